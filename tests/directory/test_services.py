"""Writes to the registry: permission first, validation, constraints as the last word."""

import datetime
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection, connections
from django.utils import timezone

from civicbridge.accounts.models import Membership
from civicbridge.core.models import ThematicArea
from civicbridge.core.search import search
from civicbridge.directory import services
from civicbridge.directory.models import Organization, Plenipotentiary
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory, PlenipotentiaryFactory, PublicBodyFactory


def _data(territory, **overrides):
    return {"name": "Stowarzyszenie Miłośników Nysy", "kind": Organization.Kind.NGO, "territory": territory, **overrides}


# --- create ---------------------------------------------------------------------------------


def test_a_registered_person_who_creates_an_organization_asks_to_be_its_founder(user, municipality):
    organization = services.create_organization(by=user, data=_data(municipality))

    membership = Membership.objects.get(organization=organization)
    assert membership.user == user
    assert membership.status == Membership.Status.PENDING
    assert membership.origin == Membership.Origin.FOUNDER


def test_the_founder_may_change_the_organization_only_once_a_coordinator_approves(user, coordinator, municipality):
    organization = services.create_organization(by=user, data=_data(municipality))
    assert not user.has_perm("directory.change_organization", organization)

    from civicbridge.accounts import services as membership_services

    membership_services.decide_membership(
        membership=Membership.objects.get(organization=organization), by=coordinator, approve=True
    )

    assert user.has_perm("directory.change_organization", organization)


def test_a_coordinator_who_creates_an_organization_does_not_become_its_representative(coordinator, municipality):
    organization = services.create_organization(by=coordinator, data=_data(municipality))

    assert not Membership.objects.filter(organization=organization).exists()


def test_created_organization_is_stored_with_its_thematic_areas(user, municipality):
    areas = list(ThematicArea.objects.order_by("code")[:2])

    organization = services.create_organization(by=user, data=_data(municipality), thematic_areas=areas)

    organization.refresh_from_db()
    assert organization.name == "Stowarzyszenie Miłośników Nysy"
    assert set(organization.thematic_areas.all()) == set(areas)


def test_fields_outside_the_profile_are_ignored_on_create(user, municipality):
    organization = services.create_organization(
        by=user, data=_data(municipality, is_verified=True, slug="chosen", search_document="x")
    )

    organization.refresh_from_db()
    assert organization.is_verified is False
    assert organization.slug != "chosen"


def test_an_anonymous_visitor_cannot_create_an_organization(municipality):
    with pytest.raises(PermissionDenied):
        services.create_organization(by=AnonymousUser(), data=_data(municipality))

    assert not Organization.objects.exists()


def test_an_inactive_account_cannot_create_an_organization(municipality):
    inactive = UserFactory(is_active=False)

    with pytest.raises(PermissionDenied):
        services.create_organization(by=inactive, data=_data(municipality))


def test_an_invalid_krs_number_is_reported_on_its_field_and_nothing_is_written(user, municipality):
    with pytest.raises(ValidationError) as caught:
        services.create_organization(
            by=user, data=_data(municipality, registry_type="krs", registry_number="12345")
        )

    assert "registry_number" in caught.value.message_dict
    assert not Organization.objects.exists()
    assert not Membership.objects.exists()


def test_a_registry_number_without_a_register_is_refused(user, municipality):
    with pytest.raises(ValidationError) as caught:
        services.create_organization(by=user, data=_data(municipality, registry_number="0000123456"))

    assert "registry_type" in caught.value.message_dict


def test_a_krs_number_is_stored_without_spaces(user, municipality):
    organization = services.create_organization(
        by=user, data=_data(municipality, registry_type="krs", registry_number=" 0000 123 456 ")
    )

    organization.refresh_from_db()
    assert organization.registry_number == "0000123456"


def test_a_regon_with_a_superscript_digit_gives_a_validation_error(user, municipality):
    with pytest.raises(ValidationError):
        services.create_organization(
            by=user, data=_data(municipality, registry_type="regon", registry_number="12345678²")
        )


def test_a_registry_number_already_registered_is_refused_and_nothing_is_written(user, municipality):
    OrganizationFactory(registry_type="krs", registry_number="0000123456", territory=municipality)

    with pytest.raises(ValidationError) as caught:
        services.create_organization(
            by=user, data=_data(municipality, registry_type="krs", registry_number="0000 123456")
        )

    assert "already registered" in " ".join(caught.value.messages)
    assert Organization.objects.count() == 1
    assert not Membership.objects.filter(user=user).exists()


def test_a_registry_number_already_registered_is_reported_on_its_field(user, municipality):
    OrganizationFactory(registry_type="krs", registry_number="0000123456", territory=municipality)

    with pytest.raises(ValidationError) as caught:
        services.create_organization(
            by=user, data=_data(municipality, registry_type="krs", registry_number="0000123456")
        )

    assert "registry_number" in caught.value.message_dict


def test_the_same_number_in_another_register_is_not_a_duplicate(user, municipality):
    OrganizationFactory(registry_type="krs", registry_number="1234567890", territory=municipality)

    services.create_organization(
        by=user, data=_data(municipality, registry_type="tr_association", registry_number="1234567890")
    )

    assert Organization.objects.count() == 2


def test_several_organizations_without_a_registry_number_may_exist(user, municipality):
    services.create_organization(by=user, data=_data(municipality, name="Grupa A"))
    services.create_organization(by=user, data=_data(municipality, name="Grupa B"))

    assert Organization.objects.count() == 2


def test_a_founding_year_in_the_future_is_refused(user, municipality):
    next_year = timezone.localdate().year + 1

    with pytest.raises(ValidationError) as caught:
        services.create_organization(by=user, data=_data(municipality, founding_year=next_year))

    assert "founding_year" in caught.value.message_dict
    assert not Organization.objects.exists()


def test_this_years_founding_year_is_accepted(user, municipality):
    organization = services.create_organization(
        by=user, data=_data(municipality, founding_year=timezone.localdate().year)
    )

    assert organization.pk


def test_latitude_without_longitude_is_refused(user, municipality):
    with pytest.raises(ValidationError) as caught:
        services.create_organization(by=user, data=_data(municipality, latitude=50.47))

    assert "longitude" in caught.value.message_dict


def test_organizations_with_the_same_name_get_different_slugs(user, municipality):
    first = services.create_organization(by=user, data=_data(municipality))
    second = services.create_organization(by=user, data=_data(municipality, address="ul. Inna 2"))

    assert second.slug != first.slug
    assert second.slug.startswith(first.slug)
    assert Organization.objects.filter(slug=first.slug).count() == 1


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Stowarzyszenie Miłośników Nysy", "stowarzyszenie-milosnikow-nysy"), ("Özel Eğitim Vakfı", "ozel-egitim-vakfi")],
)
def test_a_slug_transliterates_polish_and_turkish_letters(user, municipality, name, slug):
    organization = services.create_organization(by=user, data=_data(municipality, name=name))

    assert organization.slug == slug


def test_a_name_without_latin_letters_still_gets_a_slug(user, municipality):
    organization = services.create_organization(by=user, data=_data(municipality, name="中文"))

    assert organization.slug


# --- update -------------------------------------------------------------------------------


def test_a_representative_updates_their_organization(organization, representative):
    services.update_organization(organization=organization, by=representative, data={"phone": "+48 77 000 00 00"})

    organization.refresh_from_db()
    assert organization.phone == "+48 77 000 00 00"


def test_a_coordinator_updates_any_organization(organization, coordinator):
    services.update_organization(organization=organization, by=coordinator, data={"address": "ul. Rynek 1"})

    organization.refresh_from_db()
    assert organization.address == "ul. Rynek 1"


def test_another_user_cannot_update_the_organization(organization, user):
    original = organization.name

    with pytest.raises(PermissionDenied):
        services.update_organization(organization=organization, by=user, data={"name": "Przejęta"})

    organization.refresh_from_db()
    assert organization.name == original


def test_a_representative_of_another_organization_cannot_update_it(organization, municipality):
    other_representative = MembershipFactory(organization=OrganizationFactory(territory=municipality)).user

    with pytest.raises(PermissionDenied):
        services.update_organization(organization=organization, by=other_representative, data={"name": "X"})


def test_a_person_with_a_pending_claim_cannot_update_it(organization, user):
    MembershipFactory(user=user, organization=organization, status=Membership.Status.PENDING)

    with pytest.raises(PermissionDenied):
        services.update_organization(organization=organization, by=user, data={"name": "X"})


def test_an_invalid_update_changes_nothing(organization, representative):
    original_name = organization.name

    with pytest.raises(ValidationError):
        services.update_organization(
            organization=organization, by=representative,
            data={"name": "Nowa nazwa", "registry_type": "krs", "registry_number": "12"},
        )

    organization.refresh_from_db()
    assert organization.name == original_name
    assert organization.registry_number == ""


def test_renaming_updates_the_search_document(organization, representative):
    services.update_organization(
        organization=organization, by=representative, data={"name": "Klub Kolarski Rower"}
    )

    everyone = Organization.objects.all()
    assert list(search(everyone, "kolarski")) == [organization]
    assert not search(everyone, "testowe").exists()


def test_renaming_gives_a_new_slug_and_keeping_the_name_keeps_it(organization, representative):
    old_slug = organization.slug

    services.update_organization(organization=organization, by=representative, data={"phone": "1"})
    organization.refresh_from_db()
    assert organization.slug == old_slug

    services.update_organization(organization=organization, by=representative, data={"name": "Klub Kolarski"})
    organization.refresh_from_db()
    assert organization.slug == "klub-kolarski"


def test_renaming_to_a_taken_name_gives_a_free_slug(organization, representative, municipality):
    OrganizationFactory(name="Klub Kolarski", slug="klub-kolarski", territory=municipality)

    services.update_organization(organization=organization, by=representative, data={"name": "Klub Kolarski"})

    organization.refresh_from_db()
    assert organization.slug == "klub-kolarski-2"


def test_updating_thematic_areas_replaces_them(organization, representative):
    first, second = ThematicArea.objects.order_by("code")[:2]
    organization.thematic_areas.set([first])

    services.update_organization(organization=organization, by=representative, data={}, thematic_areas=[second])

    assert list(organization.thematic_areas.all()) == [second]


def test_an_update_may_not_take_another_organizations_registry_number(organization, representative, municipality):
    OrganizationFactory(registry_type="krs", registry_number="0000123456", territory=municipality)

    with pytest.raises(ValidationError):
        services.update_organization(
            organization=organization, by=representative,
            data={"registry_type": "krs", "registry_number": "0000123456"},
        )

    organization.refresh_from_db()
    assert organization.registry_number == ""


# --- verification ---------------------------------------------------------------------------


def test_a_coordinator_verifies_an_organization_and_is_recorded(organization, coordinator):
    services.set_verified(organization=organization, by=coordinator, verified=True)

    organization.refresh_from_db()
    assert organization.is_verified
    assert organization.verified_by == coordinator
    assert organization.verified_at is not None


def test_a_coordinator_withdraws_verification(organization, coordinator):
    services.set_verified(organization=organization, by=coordinator, verified=True)

    services.set_verified(organization=organization, by=coordinator, verified=False)

    organization.refresh_from_db()
    assert not organization.is_verified
    assert organization.verified_by is None
    assert organization.verified_at is None


def test_a_representative_cannot_verify_their_own_organization(organization, representative):
    with pytest.raises(PermissionDenied):
        services.set_verified(organization=organization, by=representative, verified=True)

    organization.refresh_from_db()
    assert not organization.is_verified


def test_an_anonymous_visitor_cannot_verify(organization):
    with pytest.raises(PermissionDenied):
        services.set_verified(organization=organization, by=AnonymousUser(), verified=True)


# --- plenipotentiaries -------------------------------------------------------------------------


@pytest.fixture
def public_body(county):
    return PublicBodyFactory(name="Starostwo Powiatowe w Nysie", territory=county)


@pytest.fixture
def officer(public_body):
    return MembershipFactory(organization=public_body).user


PLENIPOTENTIARY = {
    "full_name": "Anna Kowalska",
    "position": "Pełnomocnik Starosty ds. współpracy z NGO",
    "email": "anna.kowalska@example.org",
    "appointed_on": datetime.date(2024, 1, 15),
}


def test_an_officer_of_the_body_names_its_plenipotentiary(public_body, officer):
    plenipotentiary = services.create_plenipotentiary(public_body=public_body, by=officer, data=PLENIPOTENTIARY)

    assert plenipotentiary.public_body == public_body
    assert Plenipotentiary.objects.get().full_name == "Anna Kowalska"


def test_a_coordinator_names_a_plenipotentiary_for_any_body(public_body, coordinator):
    services.create_plenipotentiary(public_body=public_body, by=coordinator, data=PLENIPOTENTIARY)

    assert Plenipotentiary.objects.filter(public_body=public_body).count() == 1


def test_a_stranger_cannot_name_a_plenipotentiary(public_body, user):
    with pytest.raises(PermissionDenied):
        services.create_plenipotentiary(public_body=public_body, by=user, data=PLENIPOTENTIARY)

    assert not Plenipotentiary.objects.exists()


def test_an_officer_of_another_body_cannot_name_this_bodys_plenipotentiary(public_body, municipality):
    other_officer = MembershipFactory(organization=PublicBodyFactory(territory=municipality)).user

    with pytest.raises(PermissionDenied):
        services.create_plenipotentiary(public_body=public_body, by=other_officer, data=PLENIPOTENTIARY)


def test_an_ngo_cannot_have_a_plenipotentiary(organization, representative):
    with pytest.raises(ValidationError) as caught:
        services.create_plenipotentiary(public_body=organization, by=representative, data=PLENIPOTENTIARY)

    assert "public_body" in caught.value.message_dict
    assert not Plenipotentiary.objects.exists()


def test_not_even_a_coordinator_names_a_plenipotentiary_for_an_ngo(organization, coordinator):
    with pytest.raises(ValidationError):
        services.create_plenipotentiary(public_body=organization, by=coordinator, data=PLENIPOTENTIARY)


def test_a_plenipotentiary_without_a_name_is_refused(public_body, officer):
    with pytest.raises(ValidationError) as caught:
        services.create_plenipotentiary(public_body=public_body, by=officer, data={**PLENIPOTENTIARY, "full_name": ""})

    assert "full_name" in caught.value.message_dict


def test_an_officer_updates_the_bodys_plenipotentiary(public_body, officer):
    plenipotentiary = PlenipotentiaryFactory(public_body=public_body)

    services.update_plenipotentiary(plenipotentiary=plenipotentiary, by=officer, data={"phone": "77 123"})

    plenipotentiary.refresh_from_db()
    assert plenipotentiary.phone == "77 123"


def test_a_stranger_cannot_update_a_plenipotentiary(public_body, user):
    plenipotentiary = PlenipotentiaryFactory(public_body=public_body)

    with pytest.raises(PermissionDenied):
        services.update_plenipotentiary(plenipotentiary=plenipotentiary, by=user, data={"phone": "1"})


# --- concurrency (PostgreSQL) -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_registrations_of_the_same_number_leave_exactly_one_row():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL's concurrent transactions")
    from civicbridge.core.models import Territory

    territory = Territory.objects.get(country="PL", code="1607053")
    people = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2, timeout=20)
    outcomes: list = []

    def register(person):
        try:
            barrier.wait()
            services.create_organization(
                by=person,
                data=_data(
                    territory, name=f"Fundacja {person.username}", registry_type="krs", registry_number="0000654321"
                ),
            )
            outcomes.append("created")
        except ValidationError as error:
            # Whichever check stops it (the Python one or the constraint), the message is the same.
            outcomes.append(" ".join(error.messages))
        except Exception as error:  # reported by the assertion below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    close_old_connections()
    assert Organization.objects.filter(registry_number="0000654321").count() == 1
    assert sorted(outcomes) == ["An organization with this registry number is already registered.", "created"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_registrations_of_the_same_name_both_succeed():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL's concurrent transactions")
    from civicbridge.core.models import Territory

    territory = Territory.objects.get(country="PL", code="1607053")
    people = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2, timeout=20)
    outcomes: list = []

    def register(person):
        try:
            barrier.wait()
            services.create_organization(by=person, data=_data(territory, name="Klub Sportowy Orzeł"))
            outcomes.append("created")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    close_old_connections()
    assert outcomes == ["created", "created"]
    assert Organization.objects.filter(name="Klub Sportowy Orzeł").count() == 2
