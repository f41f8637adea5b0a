import factory

from civicbridge.core.models import Territory
from civicbridge.directory.models import Organization, Plenipotentiary
from civicbridge.directory.services import organization_search_document


def _a_municipality():
    return Territory.objects.filter(level=Territory.Level.MUNICIPALITY, country="PL").order_by("code").first()


class OrganizationFactory(factory.django.DjangoModelFactory):
    """Organizations as the services store them, search column included."""

    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Stowarzyszenie Testowe {n}")
    slug = factory.Sequence(lambda n: f"stowarzyszenie-testowe-{n}")
    kind = Organization.Kind.NGO
    legal_form = Organization.LegalForm.ASSOCIATION
    territory = factory.LazyFunction(_a_municipality)
    # As the services store it: a domestic entry's country is its territory's.
    country = factory.LazyAttribute(lambda o: o.territory.country if o.territory else "")
    description = "Działamy na rzecz lokalnej społeczności."

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        obj.search_document = organization_search_document(obj)
        if create:
            obj.save(update_fields=["search_document"])


class PublicBodyFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Urząd Testowy {n}")
    slug = factory.Sequence(lambda n: f"urzad-testowy-{n}")
    kind = Organization.Kind.PUBLIC_BODY
    legal_form = Organization.LegalForm.LOCAL_GOVERNMENT


class PlenipotentiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plenipotentiary

    public_body = factory.SubFactory(PublicBodyFactory)
    full_name = factory.Sequence(lambda n: f"Anna Testowa {n}")
    position = "Pełnomocnik ds. współpracy z organizacjami pozarządowymi"
    email = factory.Sequence(lambda n: f"pelnomocnik{n}@example.org")


# Tax numbers with their check digits, computed here, independently of the code under test
# (and of python-stdnum): never a real organization's number looked up.
NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def nip(first_nine: str) -> str:
    """A NIP: the nine digits and the check digit their weighted sum gives."""
    check = sum(int(d) * w for d, w in zip(first_nine, NIP_WEIGHTS, strict=True)) % 11
    assert check < 10, "no NIP begins with these nine digits"
    return first_nine + str(check)


def vkn(first_nine: str) -> str:
    """A VKN with its check digit (the Turkish revenue administration's algorithm)."""
    total = 0
    for position, digit in enumerate(reversed(first_nine), start=1):
        shifted = (int(digit) + position) % 10
        if shifted:
            total += (shifted * 2**position) % 9 or 9
    return first_nine + str((10 - total) % 10)
