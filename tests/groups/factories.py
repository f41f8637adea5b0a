import datetime

import factory
from django.utils import timezone

from civicbridge.groups.models import Member, Sector, WorkingGroup
from civicbridge.groups.services import group_search_document


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Zespół roboczy ds. konsultacji {n}")
    purpose = "Projekt standardu konsultowania aktów prawa miejscowego."
    purpose_html = "<p>Projekt standardu konsultowania aktów prawa miejscowego.</p>"

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        obj.search_document = group_search_document(obj)
        if create:
            obj.save(update_fields=["search_document"])


class MemberFactory(factory.django.DjangoModelFactory):
    """A member (without an approved membership: add one when the test needs the person to represent)."""

    class Meta:
        model = Member

    group = factory.SubFactory(WorkingGroupFactory)
    user = factory.SubFactory("tests.accounts.factories.UserFactory")
    organization = factory.SubFactory("tests.directory.factories.OrganizationFactory")
    sector = Sector.NGO
    joined_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
