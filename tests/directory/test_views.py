"""The registry's pages: list and filters, detail, forms, membership requests, plenipotentiaries."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from civicbridge.accounts.models import Membership
from civicbridge.core import deployment
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.directory.models import Organization, Plenipotentiary
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import (
    OrganizationFactory,
    PlenipotentiaryFactory,
    PublicBodyFactory,
    nip,
    vkn,
)

LIST_URL = "/en/organizations/"

# Anonymous list page: count, page, its thematic areas, and the filter form's two choice lists.
LIST_QUERIES = 8
# Detail page: the organization, its areas, plenipotentiaries, representatives; plus session,
# user, the permission check and the pending requests when a representative looks.
DETAIL_QUERIES_ANONYMOUS = 6
DETAIL_QUERIES_REPRESENTATIVE = 5  # session, user, the entry, its areas, its memberships (representatives, requests, own)
PLENIPOTENTIARY_LIST_QUERIES = 5




def _names_on_page(response):
    return [organization.name for organization in response.context["page"].object_list]


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- list -------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 30])
def test_the_list_runs_the_same_bounded_number_of_queries_for_few_or_many_organizations(
    client, municipality, django_assert_max_num_queries, count
):
    areas = list(ThematicArea.objects.all()[:3])
    for _ in range(count):
        OrganizationFactory(territory=municipality).thematic_areas.set(areas)

    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL)

    assert response.status_code == 200
    assert response.context["page"].paginator.count == count
    assert f"{count} organizations" in response.content.decode()


def test_the_list_shows_each_organizations_name_territory_and_thematic_areas(client, organization):
    area = ThematicArea.objects.get(code="pb-ecology-animals")
    organization.thematic_areas.add(area)

    page = client.get(LIST_URL).content.decode()

    assert organization.name in page
    assert organization.get_absolute_url() in page
    assert "Nysa" in page
    assert area.name_en in page


def test_the_list_is_paginated(client, municipality, settings):
    settings.CIVICBRIDGE_PAGE_SIZE = 10
    for _ in range(12):
        OrganizationFactory(territory=municipality)

    second = client.get(LIST_URL, {"page": 2})

    assert len(second.context["page"].object_list) == 2


def test_a_page_number_out_of_range_shows_the_last_page(client, organization):
    response = client.get(LIST_URL, {"page": "999"})

    assert response.status_code == 200
    assert _names_on_page(response) == [organization.name]


def test_the_list_filters_by_kind(client, municipality):
    OrganizationFactory(name="Fundacja Rozwoju", territory=municipality)
    PublicBodyFactory(name="Urząd Gminy Nysa", territory=municipality)

    response = client.get(LIST_URL, {"kind": "public_body"})

    assert _names_on_page(response) == ["Urząd Gminy Nysa"]


def test_the_list_filters_by_several_kinds_at_once(client, municipality):
    OrganizationFactory(name="Fundacja Rozwoju", territory=municipality)
    PublicBodyFactory(name="Urząd Gminy Nysa", territory=municipality)
    OrganizationFactory(name="Szkoła Podstawowa", kind=Organization.Kind.SCHOOL, territory=municipality)

    response = client.get(LIST_URL, {"kind": ["public_body", "school"]})

    assert sorted(_names_on_page(response)) == ["Szkoła Podstawowa", "Urząd Gminy Nysa"]


@pytest.mark.parametrize(("unit", "found"), [("municipality", True), ("county", True), ("region", True), ("other_county", False)])
def test_the_territory_filter_includes_organizations_of_the_sub_units(client, request, organization, unit, found):
    territory = request.getfixturevalue(unit)

    response = client.get(LIST_URL, {"territory": territory.pk})

    assert (organization.name in _names_on_page(response)) is found


def test_the_territory_filter_excludes_organizations_of_other_units(client, municipality, other_county):
    OrganizationFactory(name="Nyskie Stowarzyszenie", territory=municipality)
    OrganizationFactory(name="Brzeskie Stowarzyszenie", territory=other_county.children.first())

    response = client.get(LIST_URL, {"territory": other_county.pk})

    assert _names_on_page(response) == ["Brzeskie Stowarzyszenie"]


def test_the_list_filters_by_thematic_area(client, municipality):
    ecology = ThematicArea.objects.get(code="pb-ecology-animals")
    OrganizationFactory(name="Zielona Nysa", territory=municipality).thematic_areas.add(ecology)
    OrganizationFactory(name="Klub Seniora", territory=municipality)

    response = client.get(LIST_URL, {"thematic_area": ecology.pk})

    assert _names_on_page(response) == ["Zielona Nysa"]


@pytest.mark.parametrize(("value", "expected"), [("true", ["Sprawdzona"]), ("false", ["Niesprawdzona"])])
def test_the_list_filters_by_verification(client, municipality, value, expected):
    OrganizationFactory(name="Sprawdzona", territory=municipality, is_verified=True)
    OrganizationFactory(name="Niesprawdzona", territory=municipality)

    response = client.get(LIST_URL, {"verified": value})

    assert _names_on_page(response) == expected


def test_the_list_filters_by_a_search_query(client, municipality):
    OrganizationFactory(name="Stowarzyszenie Przyjaciół Nysy", territory=municipality)
    OrganizationFactory(name="Fundacja Zdrowia", territory=municipality)

    response = client.get(LIST_URL, {"q": "stowarz"})

    assert _names_on_page(response) == ["Stowarzyszenie Przyjaciół Nysy"]


def test_filters_combine(client, municipality, other_county):
    OrganizationFactory(name="Fundacja Nyska", territory=municipality, is_verified=True)
    OrganizationFactory(name="Fundacja Brzeska", territory=other_county, is_verified=True)
    OrganizationFactory(name="Fundacja Nyska Druga", territory=municipality)

    response = client.get(LIST_URL, {"q": "fundacja", "territory": municipality.parent_id, "verified": "true"})

    assert _names_on_page(response) == ["Fundacja Nyska"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [("name", ["Alfa", "Beta", "Gamma"]), ("-name", ["Gamma", "Beta", "Alfa"]),
     ("founding_year", ["Beta", "Gamma", "Alfa"]), ("-founding_year", ["Alfa", "Gamma", "Beta"])],
)
def test_the_list_is_ordered_as_asked(client, municipality, ordering, expected):
    OrganizationFactory(name="Gamma", founding_year=2000, territory=municipality)
    OrganizationFactory(name="Alfa", founding_year=2010, territory=municipality)
    OrganizationFactory(name="Beta", founding_year=1990, territory=municipality)

    response = client.get(LIST_URL, {"ordering": ordering})

    assert _names_on_page(response) == expected


def test_the_registry_s_name_order_keeps_accented_letters_beside_their_base_letters(client, municipality):
    # Byte order put every name starting with Ç, İ, Ö, Ş or Ü after Z (and "Cąkała" after "Czak").
    names = ["Zeytin Derneği", "Şafak Vakfı", "Sabah Derneği", "Öz Gençlik", "Oba Kulübü", "İnegöl Spor",
             "Irmak Derneği", "Çamlık Köyü", "Ağaç Dostları", "Czak", "Cąkała"]
    for name in names:
        OrganizationFactory(name=name, territory=municipality)
    expected = ["Ağaç Dostları", "Cąkała", "Çamlık Köyü", "Czak", "İnegöl Spor", "Irmak Derneği", "Oba Kulübü",
                "Öz Gençlik", "Sabah Derneği", "Şafak Vakfı", "Zeytin Derneği"]

    ascending = _names_on_page(client.get(LIST_URL))
    descending = _names_on_page(client.get(LIST_URL, {"ordering": "-name"}))
    api = [row["name"] for row in client.get("/api/v1/organizations/").json()["results"]]

    assert ascending == expected and descending == expected[::-1] and api == expected


def test_an_htmx_request_for_the_results_gets_only_the_results_partial(client, organization):
    response = client.get(LIST_URL, {"q": "stowarzyszenie"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "<form" not in body
    assert 'class="results-body"' in body
    assert organization.name in body


def test_an_htmx_request_for_another_target_gets_the_whole_page(client, organization):
    response = client.get(LIST_URL, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main")

    assert "<html" in response.content.decode()


def test_an_unknown_territory_gives_the_page_with_an_error_message(client, organization):
    response = client.get(LIST_URL, {"territory": "abc"})

    assert response.status_code == 200
    assert "territory" in response.context["filter"].form.errors
    assert 'class="error-summary"' in response.content.decode()


def test_a_territory_that_does_not_exist_gives_an_error_message(client, organization):
    missing = Territory.objects.order_by("-pk").first().pk + 1000

    response = client.get(LIST_URL, {"territory": missing})

    assert response.status_code == 200
    assert "territory" in response.context["filter"].form.errors


def test_an_unknown_verified_value_gives_the_page_with_an_error_message(client, organization):
    response = client.get(LIST_URL, {"verified": "maybe"})

    assert response.status_code == 200
    assert "verified" in response.context["filter"].form.errors


@pytest.mark.parametrize(
    "params",
    [{"verified": "maybe"}, {"thematic_area": "x"}, {"kind": "spaceship"}, {"ordering": "password"},
     {"page": "last"}, {"page": "-1"}, {"q": '"(*'}],
)
def test_invalid_filter_values_never_give_a_server_error(client, organization, params):
    response = client.get(LIST_URL, params)

    assert response.status_code == 200


def test_the_list_page_is_in_polish_under_the_polish_prefix(client, organization):
    response = client.get("/pl/organizations/")

    assert response.status_code == 200
    assert '<html lang="pl">' in response.content.decode()


def test_the_list_page_is_in_turkish_under_the_turkish_prefix(client, organization):
    response = client.get("/tr/organizations/")

    assert '<html lang="tr">' in response.content.decode()


# --- freshness (more in tests/core/test_freshness.py) ----------------------------------------------


def test_a_new_organization_shows_on_the_anonymous_list_at_once(
    client, organization, user, municipality, django_capture_on_commit_callbacks
):
    from civicbridge.directory import services

    assert "Fundacja Świeża" not in client.get(LIST_URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.create_organization(by=user, data={"name": "Fundacja Świeża", "kind": "ngo", "territory": municipality})

    assert "Fundacja Świeża" in client.get(LIST_URL).content.decode()


def test_a_verification_shows_on_the_anonymous_detail_page_at_once(
    client, organization, coordinator, django_capture_on_commit_callbacks
):
    from civicbridge.directory import services

    assert "badge-verified" not in client.get(organization.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.set_verified(organization=organization, by=coordinator, verified=True)

    assert "badge-verified" in client.get(organization.get_absolute_url()).content.decode()


def test_a_logged_in_person_is_never_served_the_anonymous_page(client, organization, user):
    client.get(LIST_URL)
    client.force_login(user)

    response = client.get(LIST_URL)

    assert CREATE_URL in response.content.decode()  # the "register" link only people logged in see


def test_the_htmx_partial_and_the_full_page_are_told_apart_by_browsers_and_proxies(client, organization):
    client.get(LIST_URL)

    partial = client.get(LIST_URL, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    full = client.get(LIST_URL)

    assert "<html" not in partial.content.decode()
    assert "<html" in full.content.decode()
    assert "HX-Target" in partial["Vary"]


def test_each_language_has_its_own_page(client, organization):
    client.get("/en/organizations/")

    assert '<html lang="pl">' in client.get("/pl/organizations/").content.decode()


# --- detail -----------------------------------------------------------------------------------------


def test_the_detail_page_shows_the_organization(client, organization):
    response = client.get(organization.get_absolute_url())

    assert response.status_code == 200
    assert organization.name in response.content.decode()


def test_the_detail_page_names_its_thematic_areas_in_the_pages_language_each_a_link_to_the_registry_filtered(
    client, organization,
):
    seniors = ThematicArea.objects.get(code="pb-seniors")
    organization.thematic_areas.set([seniors])

    page = client.get(f"/pl{organization.get_absolute_url()[3:]}").content.decode()

    assert f'<a href="/pl/organizations/?thematic_area={seniors.pk}">{seniors.name_pl}</a>' in page


@pytest.mark.parametrize("count", [1, 10])
def test_the_detail_page_runs_a_bounded_number_of_queries(
    client, municipality, django_assert_max_num_queries, count
):
    body = PublicBodyFactory(territory=municipality)
    body.thematic_areas.set(ThematicArea.objects.all()[:count])
    for _ in range(count):
        PlenipotentiaryFactory(public_body=body)
        MembershipFactory(organization=body)

    with django_assert_max_num_queries(DETAIL_QUERIES_ANONYMOUS):
        response = client.get(body.get_absolute_url())

    assert response.status_code == 200
    assert len(response.context["organization"].approved_memberships) == count


@pytest.mark.parametrize("count", [1, 10])
def test_the_detail_page_seen_by_a_representative_runs_a_bounded_number_of_queries(
    client, organization, representative, django_assert_max_num_queries, count
):
    for _ in range(count):
        MembershipFactory(organization=organization, status=Membership.Status.PENDING)
    client.force_login(representative)

    with django_assert_max_num_queries(DETAIL_QUERIES_REPRESENTATIVE):
        response = client.get(organization.get_absolute_url())

    assert len(response.context["pending"]) == count


def test_a_signed_in_visitor_s_own_membership_is_read_with_the_representatives(
    client, organization, representative, user, django_assert_num_queries
):
    # session, user, the entry, its areas, and its memberships (the representatives and the
    # visitor's own in one query): the rights and the claim form ask nothing more.
    client.force_login(user)
    with django_assert_num_queries(5):
        response = client.get(organization.get_absolute_url())

    assert response.context["own_membership"] is None
    assert response.context["claim_form"] is not None
    assert not response.context["can_change"]
    assert [m.user for m in response.context["organization"].approved_memberships] == [representative]


@pytest.mark.parametrize("status", [Membership.Status.PENDING, Membership.Status.REJECTED])
def test_a_request_to_represent_not_approved_shows_as_the_visitor_s_own_and_gives_no_rights(
    client, organization, representative, user, status
):
    mine = MembershipFactory(user=user, organization=organization, status=status)
    client.force_login(user)

    response = client.get(organization.get_absolute_url())

    assert response.context["own_membership"] == mine
    assert not response.context["can_change"]
    assert response.context["claim_form"] is None
    assert reverse("directory:organization_edit", args=[organization.slug]) not in response.content.decode()
    # Only approved representatives are listed as such.
    assert [m.user for m in response.context["organization"].approved_memberships] == [representative]


def test_a_representative_s_rights_on_the_page_come_from_their_approved_membership(
    client, organization, representative
):
    client.force_login(representative)

    response = client.get(organization.get_absolute_url())

    assert response.context["can_change"]
    assert response.context["own_membership"].status == Membership.Status.APPROVED
    assert response.context["invite_form"] is not None


def test_an_unknown_slug_gives_404(client, db):
    assert client.get("/en/organizations/no-such-organization/").status_code == 404


def test_the_description_is_rendered_as_sanitized_markdown(client, municipality):
    organization = OrganizationFactory(
        territory=municipality, description="## Cele\n\n<script>alert('x')</script>\n\n**ważne**"
    )

    page = client.get(organization.get_absolute_url()).content.decode()

    assert "<h2>Cele</h2>" in page
    assert "<strong>ważne</strong>" in page
    assert "alert('x')" not in page


def test_the_detail_page_offers_editing_only_to_those_who_may_edit(client, organization, representative, user):
    edit_url = reverse("directory:organization_edit", args=[organization.slug])

    assert edit_url not in client.get(organization.get_absolute_url()).content.decode()
    client.force_login(user)
    assert edit_url not in client.get(organization.get_absolute_url()).content.decode()
    client.force_login(representative)
    assert edit_url in client.get(organization.get_absolute_url()).content.decode()


# --- create -----------------------------------------------------------------------------------------

CREATE_URL = "/en/organizations/new/"


def _form_data(territory, **overrides):
    return {"name": "Fundacja Nowa Nysa", "kind": "ngo", "territory": territory.pk, **overrides}


def test_an_anonymous_visitor_is_sent_to_log_in_before_registering_an_organization(client, municipality):
    response = client.post(CREATE_URL, _form_data(municipality))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Organization.objects.exists()


def test_a_logged_in_person_sees_the_registration_form(client, user):
    client.force_login(user)

    response = client.get(CREATE_URL)

    assert response.status_code == 200
    assert 'name="registry_number"' in response.content.decode()


def test_a_logged_in_person_registers_an_organization_and_asks_to_represent_it(client, user, municipality):
    client.force_login(user)

    response = client.post(CREATE_URL, _form_data(municipality, registry_type="krs", registry_number="0000123456"))

    organization = Organization.objects.get()
    assert response.status_code == 302
    assert response["Location"] == organization.get_absolute_url()
    assert organization.registry_number == "0000123456"
    assert Membership.objects.filter(user=user, organization=organization, status="pending").exists()


def test_a_bad_krs_number_re_renders_the_form_with_the_message_on_its_field(client, user, municipality):
    client.force_login(user)

    response = client.post(CREATE_URL, _form_data(municipality, registry_type="krs", registry_number="12345"))

    assert response.status_code == 200
    assert "10 digits" in " ".join(response.context["form"].errors["registry_number"])
    body = response.content.decode()
    assert 'id="id_registry_number_error"' in body
    assert 'value="Fundacja Nowa Nysa"' in body  # what was typed is kept
    assert not Organization.objects.exists()


def test_a_form_without_a_name_writes_nothing(client, user, municipality):
    client.force_login(user)

    response = client.post(CREATE_URL, _form_data(municipality, name=""))

    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not Organization.objects.exists()


def test_a_duplicate_registry_number_is_reported_on_its_field(client, user, municipality):
    OrganizationFactory(territory=municipality, registry_type="krs", registry_number="0000123456")
    client.force_login(user)

    response = client.post(CREATE_URL, _form_data(municipality, registry_type="krs", registry_number="0000123456"))

    assert "registry_number" in response.context["form"].errors


def test_a_duplicate_registry_number_re_renders_the_form_and_writes_nothing(client, user, municipality):
    OrganizationFactory(territory=municipality, registry_type="krs", registry_number="0000123456")
    client.force_login(user)

    response = client.post(CREATE_URL, _form_data(municipality, registry_type="krs", registry_number="0000123456"))

    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert Organization.objects.count() == 1


# --- edit ---------------------------------------------------------------------------------------------


def _edit_url(organization):
    return reverse("directory:organization_edit", args=[organization.slug])


def _edit_data(organization, **overrides):
    return {
        "name": organization.name, "kind": organization.kind, "legal_form": organization.legal_form,
        "territory": organization.territory_id, "description": organization.description, **overrides,
    }


def test_a_representative_opens_the_edit_form(client, organization, representative):
    client.force_login(representative)

    assert client.get(_edit_url(organization)).status_code == 200


def test_a_representative_saves_changes(client, organization, representative):
    client.force_login(representative)

    response = client.post(_edit_url(organization), _edit_data(organization, phone="+48 77 431 00 00"))

    organization.refresh_from_db()
    assert response.status_code == 302
    assert organization.phone == "+48 77 431 00 00"


def test_a_coordinator_saves_changes_to_any_organization(client, organization, coordinator):
    client.force_login(coordinator)

    client.post(_edit_url(organization), _edit_data(organization, address="Rynek 1"))

    organization.refresh_from_db()
    assert organization.address == "Rynek 1"


def test_another_person_gets_403_on_the_edit_form(client, organization, user):
    client.force_login(user)

    assert client.get(_edit_url(organization)).status_code == 403


def test_another_person_cannot_post_changes(client, organization, user):
    client.force_login(user)

    response = client.post(_edit_url(organization), _edit_data(organization, name="Przejęta"))

    organization.refresh_from_db()
    assert response.status_code == 403
    assert organization.name != "Przejęta"


def test_an_anonymous_visitor_is_sent_to_log_in_before_editing(client, organization):
    response = client.get(_edit_url(organization))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_editing_an_unknown_organization_gives_404(client, user):
    client.force_login(user)

    assert client.get("/en/organizations/no-such-organization/edit/").status_code == 404


def _wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def test_every_mistake_of_an_edit_is_shown_at_once_and_what_was_typed_is_kept(client, organization, representative):
    # Not one message per submit: the registry number's, the NIP's and the year's show beside
    # the empty name's, and nothing is saved.
    client.force_login(representative)
    year = str(timezone.localdate().year + 1)
    bad_nip = _wrong_check_digit(nip("000123456"))

    response = client.post(
        f"/pl/organizations/{organization.slug}/edit/",
        _edit_data(organization, name="", registry_type="krs", registry_number="12AB", tax_number=bad_nip,
                   founding_year=year),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "registry_number", "tax_number", "founding_year"}
    page = response.content.decode()
    assert "To pole jest wymagane." in page
    assert "Numer KRS ma dokładnie 10 cyfr, np. 0000123456." in page
    assert "To nie jest prawidłowy NIP: musi mieć 10 cyfr i poprawną cyfrę kontrolną." in page
    assert "Rok założenia nie może przypadać w przyszłości." in page
    assert 'value="12AB"' in page and f'value="{bad_nip}"' in page and f'value="{year}"' in page
    saved = Organization.objects.get(pk=organization.pk)
    assert (saved.name, saved.registry_number, saved.tax_number, saved.founding_year) == (
        organization.name, "", "", None,
    )


def test_every_mistake_of_an_edit_is_shown_at_once_on_a_turkish_deployment(client, settings, db):
    settings.CIVICBRIDGE_DEPLOYMENT = deployment.PRESETS["orhangazi"]
    orhangazi = Territory.objects.get(country="TR", level=Territory.Level.COUNTY, name_en="Orhangazi")
    organization = OrganizationFactory(territory=orhangazi)
    person = UserFactory()
    MembershipFactory(user=person, organization=organization)
    client.force_login(person)
    bad_vkn = _wrong_check_digit(vkn("000123456"))

    response = client.post(
        f"/tr/organizations/{organization.slug}/edit/",
        _edit_data(organization, name="", registry_type="tr_association", registry_number="ABC", tax_number=bad_vkn),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Bu alan zorunludur." in page
    assert "Dernek kütük numarası 16-123-456 biçimindedir (veya 8 ila 10 hanelidir)." in page
    assert "Bu geçerli bir Vergi Kimlik Numarası (VKN) değil" in page
    assert 'value="ABC"' in page and f'value="{bad_vkn}"' in page
    saved = Organization.objects.get(pk=organization.pk)
    assert (saved.name, saved.registry_number, saved.tax_number) == (organization.name, "", "")


def test_every_mistake_of_a_registration_is_shown_at_once(client, user, municipality):
    client.force_login(user)

    response = client.post(
        CREATE_URL,
        _form_data(municipality, name="", registry_type="krs", registry_number="12AB", pic="12345",
                   latitude="50.5", founding_year="1700"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"name", "registry_number", "pic", "longitude", "founding_year"}
    page = response.content.decode()
    assert "A KRS number has exactly 10 digits" in page
    assert "An EU PIC has 9 digits." in page
    assert "Give both latitude and longitude, or neither." in page
    assert "Ensure this value is greater than or equal to 1800." in page
    assert 'value="12AB"' in page and 'value="12345"' in page and 'value="1700"' in page
    assert not Organization.objects.exists()


# --- verify ----------------------------------------------------------------------------------------------


def _verify_url(organization):
    return reverse("directory:organization_verify", args=[organization.slug])


def test_a_coordinator_marks_an_organization_as_verified(client, organization, coordinator):
    client.force_login(coordinator)

    response = client.post(_verify_url(organization), {"verified": "true"})

    organization.refresh_from_db()
    assert response.status_code == 302
    assert organization.is_verified
    assert organization.verified_by == coordinator


def test_a_representative_gets_403_when_verifying_their_organization(client, organization, representative):
    client.force_login(representative)

    response = client.post(_verify_url(organization), {"verified": "true"})

    organization.refresh_from_db()
    assert response.status_code == 403
    assert not organization.is_verified


def test_verification_is_not_done_by_a_get_request(client, organization, coordinator):
    client.force_login(coordinator)

    response = client.get(_verify_url(organization), {"verified": "true"})

    organization.refresh_from_db()
    assert response.status_code == 405
    assert not organization.is_verified


# --- claim and invite --------------------------------------------------------------------------------------


def _claim_url(organization):
    return reverse("directory:organization_claim", args=[organization.slug])


def _invite_url(organization):
    return reverse("directory:organization_invite", args=[organization.slug])


def test_a_logged_in_person_claims_an_organization_and_waits_for_approval(client, organization, user):
    client.force_login(user)

    response = client.post(_claim_url(organization), {"message": "Jestem prezesem zarządu."})

    membership = Membership.objects.get(user=user, organization=organization)
    assert response.status_code == 302
    assert membership.status == Membership.Status.PENDING
    assert membership.origin == Membership.Origin.CLAIM
    assert membership.message == "Jestem prezesem zarządu."


def test_a_second_claim_gives_an_error_message_not_a_server_error(client, organization, user):
    client.force_login(user)
    client.post(_claim_url(organization), {"message": "Jestem prezesem."})

    response = client.post(_claim_url(organization), {"message": "Jeszcze raz."}, follow=True)

    assert response.status_code == 200
    assert "already asked" in response.content.decode()
    assert Membership.objects.filter(user=user, organization=organization).count() == 1


def test_a_representative_who_claims_again_gets_an_error_message(client, organization, representative):
    client.force_login(representative)

    response = client.post(_claim_url(organization), {"message": "x"})

    assert response.status_code == 302
    assert any("already" in message for message in _messages(response))
    assert Membership.objects.get(user=representative).status == Membership.Status.APPROVED


def test_a_claim_without_a_message_is_refused_with_a_message(client, organization, user):
    client.force_login(user)

    response = client.post(_claim_url(organization), {"message": ""})

    assert _messages(response)
    assert not Membership.objects.filter(user=user).exists()


def test_an_anonymous_visitor_is_sent_to_log_in_before_claiming(client, organization):
    response = client.post(_claim_url(organization), {"message": "x"})

    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Membership.objects.exists()


def test_a_representative_invites_a_registered_person_who_then_waits_for_approval(
    client, organization, representative
):
    invitee = UserFactory(email="marta@example.org")
    client.force_login(representative)

    response = client.post(_invite_url(organization), {"email": "Marta@Example.org"})

    membership = Membership.objects.get(user=invitee)
    assert response.status_code == 302
    assert membership.status == Membership.Status.PENDING
    assert membership.origin == Membership.Origin.INVITATION
    assert membership.invited_by == representative


def test_a_coordinators_invitation_takes_effect_at_once(client, organization, coordinator):
    invitee = UserFactory()
    client.force_login(coordinator)

    client.post(_invite_url(organization), {"email": invitee.email})

    assert Membership.objects.get(user=invitee).status == Membership.Status.APPROVED


def test_inviting_an_unknown_e_mail_gives_an_error_message(client, organization, representative):
    client.force_login(representative)

    response = client.post(_invite_url(organization), {"email": "nobody@example.org"}, follow=True)

    assert response.status_code == 200
    assert "Nobody with this e-mail has an account" in response.content.decode()
    assert Membership.objects.count() == 1  # the representative's own


def test_inviting_someone_twice_gives_an_error_message(client, organization, representative):
    invitee = UserFactory()
    client.force_login(representative)
    client.post(_invite_url(organization), {"email": invitee.email})

    response = client.post(_invite_url(organization), {"email": invitee.email})

    assert response.status_code == 302
    assert any("already represents" in message for message in _messages(response))
    assert Membership.objects.filter(user=invitee).count() == 1


def test_a_stranger_gets_403_when_inviting(client, organization, user):
    invitee = UserFactory()
    client.force_login(user)

    response = client.post(_invite_url(organization), {"email": invitee.email})

    assert response.status_code == 403
    assert not Membership.objects.filter(user=invitee).exists()


# --- plenipotentiaries ------------------------------------------------------------------------------------

PLENIPOTENTIARY_LIST_URL = "/en/plenipotentiaries/"


@pytest.fixture
def county_body(county):
    return PublicBodyFactory(name="Starostwo Powiatowe w Nysie", territory=county)


@pytest.fixture
def municipal_body(municipality):
    return PublicBodyFactory(name="Urząd Miejski w Nysie", territory=municipality)


@pytest.fixture
def other_county_body(other_county):
    return PublicBodyFactory(name="Starostwo Powiatowe w Brzegu", territory=other_county)


@pytest.fixture
def regional_body(region):
    return PublicBodyFactory(name="Urząd Marszałkowski", territory=region)


@pytest.fixture
def plenipotentiaries(county_body, municipal_body, other_county_body, regional_body):
    return {
        body.name: PlenipotentiaryFactory(public_body=body)
        for body in (county_body, municipal_body, other_county_body, regional_body)
    }


def _groups(response):
    return [
        (group.code if group else None, sorted(p.public_body.name for p in people))
        for group, people in response.context["groups"]
    ]


def test_plenipotentiaries_are_grouped_by_county_with_regional_bodies_first(client, plenipotentiaries):
    response = client.get(PLENIPOTENTIARY_LIST_URL)

    assert response.status_code == 200
    assert _groups(response) == [
        (None, ["Urząd Marszałkowski"]),
        ("1601", ["Starostwo Powiatowe w Brzegu"]),
        ("1607", ["Starostwo Powiatowe w Nysie", "Urząd Miejski w Nysie"]),
    ]


def test_former_plenipotentiaries_are_not_listed(client, county_body):
    PlenipotentiaryFactory(public_body=county_body, full_name="Jan Były", is_active=False)

    response = client.get(PLENIPOTENTIARY_LIST_URL)

    assert "Jan Był" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 10])
def test_the_plenipotentiary_list_runs_a_bounded_number_of_queries(
    client, county, django_assert_max_num_queries, count
):
    for municipality in county.children.all()[:count]:
        PlenipotentiaryFactory(public_body=PublicBodyFactory(territory=municipality))

    with django_assert_max_num_queries(PLENIPOTENTIARY_LIST_QUERIES):
        response = client.get(PLENIPOTENTIARY_LIST_URL)

    assert sum(len(people) for _, people in response.context["groups"]) == min(count, county.children.count())


def test_the_plenipotentiary_list_filters_by_county(client, plenipotentiaries, county):
    response = client.get(PLENIPOTENTIARY_LIST_URL, {"county": county.pk})

    assert _groups(response) == [("1607", ["Starostwo Powiatowe w Nysie", "Urząd Miejski w Nysie"])]


def test_a_region_lists_the_bodies_of_its_units_under_their_counties(client, plenipotentiaries, region):
    response = client.get(PLENIPOTENTIARY_LIST_URL, {"county": region.pk})

    assert _groups(response) == [
        (None, ["Urząd Marszałkowski"]),
        ("1601", ["Starostwo Powiatowe w Brzegu"]),
        ("1607", ["Starostwo Powiatowe w Nysie", "Urząd Miejski w Nysie"]),
    ]


def test_an_unknown_unit_is_said_and_lists_nobody(client, plenipotentiaries):
    response = client.get(PLENIPOTENTIARY_LIST_URL, {"county": "9999999"})

    assert response.status_code == 200 and _groups(response) == []
    assert "No administrative unit has the code or number “9999999”" in response.content.decode()
    assert "No plenipotentiary is listed yet." not in response.content.decode()


def test_the_plenipotentiaries_are_paged_in_the_order_of_their_groups_and_the_pages_keep_the_filter(
    client, settings, county, regional_body
):
    settings.CIVICBRIDGE_PAGE_SIZE = 2
    PlenipotentiaryFactory(public_body=regional_body)
    for municipality in county.children.order_by("code")[:3]:
        PlenipotentiaryFactory(public_body=PublicBodyFactory(territory=municipality))

    first = client.get(PLENIPOTENTIARY_LIST_URL)
    second = client.get(PLENIPOTENTIARY_LIST_URL, {"page": 2})
    filtered = client.get(PLENIPOTENTIARY_LIST_URL, {"county": "1607"})

    assert [code for code, _ in _groups(first)] == [None, "1607"]
    assert [code for code, _ in _groups(second)] == ["1607"]
    assert sum(len(people) for _, people in _groups(first) + _groups(second)) == 4
    assert 'href="?county=1607&amp;page=2"' in filtered.content.decode()


def test_a_non_numeric_county_filter_gives_the_page_with_the_error_not_a_server_error(client, plenipotentiaries):
    response = client.get(PLENIPOTENTIARY_LIST_URL, {"county": "abc"})

    assert response.status_code == 200
    assert "No administrative unit has the code or number “abc”" in response.content.decode()


def _new_plenipotentiary_url(body):
    return reverse("directory:plenipotentiary_create", args=[body.slug])


PLENIPOTENTIARY_FORM = {
    "full_name": "Anna Kowalska", "position": "Pełnomocnik", "email": "anna@example.org",
    "appointed_on": "2024-01-15", "is_active": "on",
}


def test_an_officer_of_the_body_names_its_plenipotentiary(client, county_body):
    officer = MembershipFactory(organization=county_body).user
    client.force_login(officer)

    response = client.post(_new_plenipotentiary_url(county_body), PLENIPOTENTIARY_FORM)

    assert response.status_code == 302
    assert response["Location"] == county_body.get_absolute_url()
    assert Plenipotentiary.objects.get(public_body=county_body).full_name == "Anna Kowalska"


def test_a_stranger_gets_403_on_the_plenipotentiary_form(client, county_body, user):
    client.force_login(user)

    assert client.get(_new_plenipotentiary_url(county_body)).status_code == 403
    assert client.post(_new_plenipotentiary_url(county_body), PLENIPOTENTIARY_FORM).status_code == 403
    assert not Plenipotentiary.objects.exists()


def test_an_ngo_representative_naming_a_plenipotentiary_gets_the_form_back_with_an_error(
    client, organization, representative
):
    client.force_login(representative)

    response = client.post(_new_plenipotentiary_url(organization), PLENIPOTENTIARY_FORM)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Plenipotentiary.objects.exists()


def test_an_officer_edits_the_bodys_plenipotentiary(client, county_body):
    plenipotentiary = PlenipotentiaryFactory(public_body=county_body)
    officer = MembershipFactory(organization=county_body).user
    client.force_login(officer)

    response = client.post(
        reverse("directory:plenipotentiary_edit", args=[plenipotentiary.pk]),
        {**PLENIPOTENTIARY_FORM, "full_name": "Ewa Nowak"},
    )

    plenipotentiary.refresh_from_db()
    assert response.status_code == 302
    assert plenipotentiary.full_name == "Ewa Nowak"


def test_a_stranger_gets_403_when_editing_a_plenipotentiary(client, county_body, user):
    plenipotentiary = PlenipotentiaryFactory(public_body=county_body)
    client.force_login(user)

    response = client.post(
        reverse("directory:plenipotentiary_edit", args=[plenipotentiary.pk]), {**PLENIPOTENTIARY_FORM}
    )

    plenipotentiary.refresh_from_db()
    assert response.status_code == 403
    assert plenipotentiary.full_name != "Anna Kowalska"


def test_the_export_and_next_page_links_keep_the_search(client, municipality):
    import re

    for n in range(30):
        OrganizationFactory(name=f"Stowarzyszenie Sportowe {n}", territory=municipality)
    OrganizationFactory(name="Fundacja Inna", territory=municipality)

    html = client.get(LIST_URL, {"q": "sportowe"}).content.decode().replace("&amp;", "&")
    export = re.search(r'href="(/en/organizations/export\.csv[^"]*)"', html).group(1)
    following = re.search(r'href="([^"]*)" rel="next"', html).group(1)

    assert export == "/en/organizations/export.csv?q=sportowe"
    assert following == "?q=sportowe&page=2"
    exported = b"".join(client.get(export).streaming_content).decode()
    assert exported.count("Stowarzyszenie Sportowe") == 30 and "Fundacja Inna" not in exported
    assert client.get(LIST_URL + following).context["page"].number == 2


def test_the_public_bodies_index_holds_exactly_the_kinds_that_have_plenipotentiaries():
    from civicbridge.directory.models import Organization

    index = next(index for index in Organization._meta.indexes if index.name == "organization_public_bodies")
    (lookup, kinds), = index.condition.children
    assert lookup == "kind__in" and set(kinds) == set(Organization.PUBLIC_KINDS)
