"""The rights log: revocation by a coordinator, leaving by the person, and the coordinators' page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicbridge.accounts import services
from civicbridge.accounts.models import Membership, RightsChange
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # The admin logs each change with a content type from a per-process cache; a transactional
    # test run earlier in this process (browser tests) may have flushed and renumbered them.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()

LOG_URL = "/en/accounts/rights-log/"
# Session, user, count, one page with its joins; a little room for context processors. One
# query per row (person, organization or decider) would blow it with 60 rows.
LOG_PAGE_MAX_QUERIES = 7


@pytest.fixture
def body(municipality):
    return PublicBodyFactory(territory=municipality)


@pytest.fixture
def officer_membership(body):
    return MembershipFactory(organization=body)


# --- revocation ----------------------------------------------------------------------------


def test_a_coordinator_revokes_an_approved_membership_with_a_reason(officer_membership, coordinator, body):
    officer = officer_membership.user

    services.revoke_membership(membership=officer_membership, by=coordinator, reason="Left the office in May.")

    assert not Membership.objects.filter(pk=officer_membership.pk).exists()
    officer = type(officer).objects.get(pk=officer.pk)
    assert "officer" not in officer.roles
    assert not officer.has_perm("funding.add_call")
    record = RightsChange.objects.get()
    assert (record.user, record.action, record.organization, record.by, record.reason) == (
        officer, "revoked", body, coordinator, "Left the office in May."
    )


def test_a_revocation_needs_a_reason(officer_membership, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.revoke_membership(membership=officer_membership, by=coordinator, reason="  ")

    assert "reason" in excinfo.value.message_dict
    assert Membership.objects.filter(pk=officer_membership.pk).exists()
    assert not RightsChange.objects.exists()


def test_only_a_coordinator_revokes(officer_membership, body):
    colleague = MembershipFactory(organization=body).user

    with pytest.raises(PermissionDenied):
        services.revoke_membership(membership=officer_membership, by=colleague, reason="I do not like him.")
    assert Membership.objects.filter(pk=officer_membership.pk).exists()


def test_revoking_twice_says_it_is_already_done(officer_membership, coordinator):
    services.revoke_membership(membership=officer_membership, by=coordinator, reason="Gone.")

    with pytest.raises(ValidationError):
        services.revoke_membership(membership=officer_membership, by=coordinator, reason="Gone.")
    assert RightsChange.objects.count() == 1


def test_the_revoke_button_on_the_organization_page(client, officer_membership, coordinator, body):
    client.force_login(coordinator)
    page = client.get(body.get_absolute_url()).content.decode()
    assert f"/en/accounts/memberships/{officer_membership.pk}/revoke/" in page

    response = client.post(f"/en/accounts/memberships/{officer_membership.pk}/revoke/", {"reason": "Term ended."})

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=officer_membership.pk).exists()


def test_the_revoke_address_refuses_others(client, officer_membership, body):
    client.force_login(MembershipFactory(organization=body).user)

    response = client.post(f"/en/accounts/memberships/{officer_membership.pk}/revoke/", {"reason": "x"})

    assert response.status_code == 403
    assert Membership.objects.filter(pk=officer_membership.pk).exists()


def test_a_revocation_without_a_reason_on_the_page_changes_nothing_and_says_why(client, officer_membership, coordinator):
    client.force_login(coordinator)

    response = client.post(f"/en/accounts/memberships/{officer_membership.pk}/revoke/", {"reason": ""}, follow=True)

    assert "Say why the right is taken back." in response.content.decode()
    assert Membership.objects.filter(pk=officer_membership.pk).exists()


# --- leaving -----------------------------------------------------------------------------------


def test_a_person_leaves_an_organization_and_it_is_recorded(client, officer_membership, body):
    person = officer_membership.user
    client.force_login(person)

    response = client.post(f"/en/accounts/memberships/{officer_membership.pk}/leave/")

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=officer_membership.pk).exists()
    record = RightsChange.objects.get()
    assert (record.user, record.action, record.by, record.organization) == (person, "left", person, body)


def test_nobody_leaves_for_someone_else(client, officer_membership):
    client.force_login(UserFactory())

    response = client.post(f"/en/accounts/memberships/{officer_membership.pk}/leave/")

    assert response.status_code == 404
    assert Membership.objects.filter(pk=officer_membership.pk).exists()
    with pytest.raises(PermissionDenied):
        services.leave_organization(membership=officer_membership, by=UserFactory())


def test_withdrawing_a_pending_request_records_nothing(body):
    claim = services.claim_organization(user=UserFactory(), organization=body, message="me")

    services.leave_organization(membership=claim, by=claim.user)

    assert not Membership.objects.filter(pk=claim.pk).exists()
    assert not RightsChange.objects.exists()


def test_erasing_an_account_records_the_end_of_its_rights(officer_membership, body):
    person = officer_membership.user

    services.erase_account(user=person)

    record = RightsChange.objects.get()
    assert (record.user_id, record.action, record.organization) == (person.pk, "left", body)


# --- the coordinators' page ----------------------------------------------------------------------


def test_the_log_is_for_coordinators_only(client, user):
    assert client.get(LOG_URL).status_code == 302  # to log in
    client.force_login(user)
    assert client.get(LOG_URL).status_code == 403


def test_the_pending_page_links_to_the_log(client, coordinator):
    client.force_login(coordinator)

    assert LOG_URL in client.get("/en/accounts/memberships/pending/").content.decode()


def _grant(person, organization, by, reason):
    return services.record_rights_change(
        user=person, right="membership", action="granted", by=by, organization=organization, reason=reason
    )


def test_the_log_shows_who_gave_whom_which_right_when_and_why(client, coordinator, body):
    person = UserFactory(username="anna")
    _grant(person, body, coordinator, "Appointed by order 7/2026.")
    client.force_login(coordinator)

    page = client.get(LOG_URL).content.decode()

    assert "anna" in page
    assert body.name in page
    assert "Appointed by order 7/2026." in page
    assert coordinator.username in page


def test_the_log_filters_by_person_and_by_organization(client, coordinator, body):
    ngo = OrganizationFactory(name="Klub Sportowy Orzeł")
    anna, jan = UserFactory(username="anna"), UserFactory(username="jan")
    _grant(anna, body, coordinator, "reason-anna-body")
    _grant(jan, ngo, coordinator, "reason-jan-ngo")
    client.force_login(coordinator)

    by_person = client.get(LOG_URL, {"person": "anna"}).content.decode()
    by_email = client.get(LOG_URL, {"person": jan.email}).content.decode()
    by_organization = client.get(LOG_URL, {"organization": "Orzeł"}).content.decode()
    by_organization_id = client.get(LOG_URL, {"organization": str(body.pk)}).content.decode()

    assert "reason-anna-body" in by_person and "reason-jan-ngo" not in by_person
    assert "reason-jan-ngo" in by_email and "reason-anna-body" not in by_email
    assert "reason-jan-ngo" in by_organization and "reason-anna-body" not in by_organization
    assert "reason-anna-body" in by_organization_id and "reason-jan-ngo" not in by_organization_id


def test_the_log_is_paginated_and_its_queries_bounded(client, coordinator, body, django_assert_max_num_queries):
    for number in range(60):
        _grant(UserFactory(), OrganizationFactory(), UserFactory(is_coordinator=True), f"reason-{number:02d}")
    client.force_login(coordinator)
    client.get(LOG_URL)  # warm the session

    with django_assert_max_num_queries(LOG_PAGE_MAX_QUERIES):
        first = client.get(LOG_URL)
    second = client.get(LOG_URL, {"page": 2})

    assert first.status_code == 200
    assert "reason-59" in first.content.decode() and "reason-00" not in first.content.decode()
    assert "reason-00" in second.content.decode()


def test_the_log_is_read_only_in_the_admin(client, coordinator, body):
    change = _grant(UserFactory(), body, coordinator, "x")
    client.force_login(coordinator)

    assert client.get("/en/admin/accounts/rightschange/").status_code == 200
    assert client.get("/en/admin/accounts/rightschange/add/").status_code == 403
    client.post(f"/en/admin/accounts/rightschange/{change.pk}/delete/", {"post": "yes"})
    client.post(f"/en/admin/accounts/rightschange/{change.pk}/change/", {"reason": "rewritten"})
    change.refresh_from_db()
    assert change.reason == "x"


def test_a_decision_on_the_pending_page_records_its_reason(client, coordinator, body):
    claim = services.claim_organization(user=UserFactory(), organization=body, message="me")
    client.force_login(coordinator)

    client.post(f"/en/accounts/memberships/{claim.pk}/decide/", {"decision": "reject", "reason": "Unknown at the office."})

    record = RightsChange.objects.get()
    assert (record.action, record.reason, record.by) == ("rejected", "Unknown at the office.", coordinator)


@pytest.mark.parametrize(
    ("language", "title", "message"),
    [
        ("pl", "Nadane i odebrane uprawnienia", "Napisz, dlaczego odbierasz uprawnienie."),
        ("tr", "Verilen ve geri alınan yetkiler", "Yetkinin neden geri alındığını belirtin."),
    ],
)
def test_the_log_and_its_messages_speak_the_visitors_language(client, coordinator, officer_membership, language, title, message):
    client.force_login(coordinator)

    page = client.get(f"/{language}/accounts/rights-log/").content.decode()
    refused = client.post(
        f"/{language}/accounts/memberships/{officer_membership.pk}/revoke/", {"reason": ""}, follow=True
    ).content.decode()

    assert title in page
    assert message in refused


def test_the_next_page_of_a_filtered_log_keeps_the_filter_and_lands_on_page_two(client, coordinator, organization):
    import re

    person, other = UserFactory(), UserFactory()
    for n in range(55):
        services.record_rights_change(user=person, right="membership", action="granted", by=coordinator,
                                      organization=organization, reason=f"entry {n}")
    services.record_rights_change(user=other, right="membership", action="granted", by=coordinator,
                                  organization=organization, reason="someone else")
    client.force_login(coordinator)

    first = client.get(LOG_URL, {"person": person.pk})
    link = re.search(r'href="([^"]*)" rel="next"', first.content.decode()).group(1).replace("&amp;", "&")
    second = client.get(LOG_URL + link)

    assert link == f"?person={person.pk}&page=2"
    assert second.context["page"].number == 2
    assert len(second.context["page"].object_list) == 5
    assert all(change.user_id == person.pk for change in second.context["page"].object_list)
