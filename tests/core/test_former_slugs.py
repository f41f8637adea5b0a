"""Addresses once published keep working: a renamed organization's old addresses redirect (301)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError

from civicbridge.core.slugs import FormerSlug
from civicbridge.directory import services
from civicbridge.directory.models import Organization
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db


def _rename(organization, name, by):
    return services.update_organization(organization=organization, by=by, data={"name": name})


@pytest.fixture
def renamed_twice(coordinator, municipality):
    organization = services.create_organization(
        by=coordinator, data={"name": "Stowarzyszenie Pierwsze", "kind": Organization.Kind.NGO, "territory": municipality},
    )
    _rename(organization, "Stowarzyszenie Drugie", coordinator)
    organization.refresh_from_db()
    _rename(organization, "Fundacja Trzecia", coordinator)
    organization.refresh_from_db()
    return organization


def test_a_rename_changes_the_slug_and_every_old_address_leads_to_the_newest(client, renamed_twice):
    assert renamed_twice.slug == "fundacja-trzecia"
    for old in ("stowarzyszenie-pierwsze", "stowarzyszenie-drugie"):
        response = client.get(f"/pl/organizations/{old}/")
        assert response.status_code == 301
        assert response["Location"] == "/pl/organizations/fundacja-trzecia/"
    assert client.get("/pl/organizations/fundacja-trzecia/").status_code == 200


def test_the_redirect_keeps_the_query_string_and_the_language(client, renamed_twice):
    response = client.get("/tr/organizations/stowarzyszenie-pierwsze/?utm_source=mail&x=%C5%82")
    assert response.status_code == 301
    assert response["Location"] == "/tr/organizations/fundacja-trzecia/?utm_source=mail&x=%C5%82"


def test_a_slug_never_used_is_still_404(client, renamed_twice):
    assert client.get("/pl/organizations/nigdy-nie-istniala/").status_code == 404


def test_a_cached_old_page_does_not_hide_the_redirect(
    client, coordinator, municipality, django_capture_on_commit_callbacks,
):
    organization = services.create_organization(
        by=coordinator, data={"name": "Klub Sportowy Orzeł", "kind": Organization.Kind.NGO, "territory": municipality},
    )
    assert client.get(f"/en/organizations/{organization.slug}/").status_code == 200  # now in the page cache
    with django_capture_on_commit_callbacks(execute=True):
        _rename(organization, "Klub Sportowy Sokół", coordinator)
    response = client.get("/en/organizations/klub-sportowy-orzel/")
    assert response.status_code == 301
    assert response["Location"] == "/en/organizations/klub-sportowy-sokol/"


def test_the_pages_under_an_old_address_redirect_too(client, renamed_twice, coordinator):
    client.force_login(coordinator)
    response = client.get("/en/organizations/stowarzyszenie-pierwsze/edit/")
    assert response.status_code == 301
    assert response["Location"] == "/en/organizations/fundacja-trzecia/edit/"
    response = client.get("/en/partners/for/stowarzyszenie-drugie/")
    assert response.status_code == 301
    assert response["Location"] == "/en/partners/for/fundacja-trzecia/"


def test_a_form_posted_to_an_old_address_is_posted_to_the_new_one(client, renamed_twice, coordinator):
    client.force_login(coordinator)
    response = client.post("/en/organizations/stowarzyszenie-pierwsze/verify/", {"verified": "1"})
    assert response.status_code == 308
    assert response["Location"] == "/en/organizations/fundacja-trzecia/verify/"


def test_an_old_address_of_an_entry_the_visitor_may_not_see_reveals_nothing(client, coordinator, municipality):
    founder = UserFactory()
    body = services.create_organization(
        by=founder, data={"name": "Urząd Gminy Ukryty", "kind": Organization.Kind.PUBLIC_BODY, "territory": municipality},
    )
    assert body.registration == Organization.Registration.PENDING  # not listed until approved
    _rename(body, "Urząd Gminy Jawny", coordinator)
    assert client.get("/en/organizations/urzad-gminy-ukryty/").status_code == 404
    client.force_login(coordinator)
    response = client.get("/en/organizations/urzad-gminy-ukryty/")
    assert response.status_code == 301
    assert response["Location"] == "/en/organizations/urzad-gminy-jawny/"


def test_a_new_entry_never_takes_an_address_that_still_leads_to_another(client, renamed_twice, coordinator, municipality):
    newcomer = services.create_organization(
        by=coordinator,
        data={"name": "Stowarzyszenie Pierwsze", "kind": Organization.Kind.NGO, "territory": municipality,
              "description": "Another association of the same name."},
    )
    assert newcomer.slug == "stowarzyszenie-pierwsze-2"
    response = client.get("/en/organizations/stowarzyszenie-pierwsze/")
    assert response["Location"] == f"/en/organizations/{renamed_twice.slug}/"


def test_a_live_slug_wins_over_a_former_one(client, renamed_twice):
    # Data older than the rule (an import, the demo) may hold a slug that also redirects: the
    # object holding it now is shown, not redirected away from.
    holder = OrganizationFactory(name="Stowarzyszenie Drugie", slug="stowarzyszenie-drugie")
    response = client.get("/en/organizations/stowarzyszenie-drugie/")
    assert response.status_code == 200
    assert response.context["organization"] == holder


def test_renamed_back_an_entry_takes_its_old_address_back(client, renamed_twice, coordinator):
    _rename(renamed_twice, "Stowarzyszenie Pierwsze", coordinator)
    renamed_twice.refresh_from_db()
    assert renamed_twice.slug == "stowarzyszenie-pierwsze"
    assert client.get("/en/organizations/stowarzyszenie-pierwsze/").status_code == 200
    assert client.get("/en/organizations/fundacja-trzecia/")["Location"] == "/en/organizations/stowarzyszenie-pierwsze/"
    content_type = ContentType.objects.get_for_model(Organization)
    assert set(FormerSlug.objects.filter(content_type=content_type).values_list("slug", flat=True)) == {
        "stowarzyszenie-drugie", "fundacja-trzecia",
    }


def test_an_edit_that_keeps_the_name_keeps_the_address_and_records_nothing(renamed_twice, coordinator):
    services.update_organization(organization=renamed_twice, by=coordinator, data={"description": "Nowy opis."})
    renamed_twice.refresh_from_db()
    assert renamed_twice.slug == "fundacja-trzecia"
    assert FormerSlug.objects.count() == 2


def test_a_deleted_entry_frees_its_former_addresses(client, renamed_twice, coordinator):
    services.delete_organization(organization=renamed_twice, by=coordinator)
    assert FormerSlug.objects.count() == 0
    assert client.get("/en/organizations/stowarzyszenie-pierwsze/").status_code == 404


def test_the_database_keeps_a_former_slug_unique_per_model(renamed_twice):
    content_type = ContentType.objects.get_for_model(Organization)
    with pytest.raises(IntegrityError):
        FormerSlug.objects.create(content_type=content_type, object_id=renamed_twice.pk + 1, slug="stowarzyszenie-drugie")


def test_a_representative_renaming_their_organization_keeps_its_old_address(client, municipality):
    organization = PublicBodyFactory(name="Urząd Miasta Stary", slug="urzad-miasta-stary", territory=municipality)
    officer = UserFactory()
    MembershipFactory(user=officer, organization=organization)
    _rename(organization, "Urząd Miasta Nowy", officer)
    assert client.get("/en/organizations/urzad-miasta-stary/")["Location"] == "/en/organizations/urzad-miasta-nowy/"


def test_the_redirect_runs_a_bounded_number_of_queries(client, renamed_twice, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/en/organizations/stowarzyszenie-pierwsze/")
    assert response.status_code == 301
