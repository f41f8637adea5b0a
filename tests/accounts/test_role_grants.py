"""Every path that could give a person a role, and proof that none does without a coordinator.

A role here is what the probe of issue 9 obtained: ``officer`` or ``representative`` in
``/api/v1/me/`` and ``User.roles``, and with it ``funding.add_call``, ``directory.add_plenipotentiary``
on a public body and ``directory.change_organization``. The paths: sign-up, registering an
organization (page and API), a claim, an invitation by a representative, an invitation by a
coordinator, the CSV/XLSX import, a change of an entry's kind, and the administration site
(memberships, the coordinator/staff/superuser flags, Django's own permissions and groups).
Each path that a non-coordinator takes ends in a pending request; the coordinator's decision
grants the role and the rights log records it.
"""

import csv
import io
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection, connections
from rest_framework.test import APIClient

from civicbridge.accounts import services
from civicbridge.accounts.models import Membership, RightsChange
from civicbridge.core.notifications import deliver_due
from civicbridge.directory import imports
from civicbridge.directory import services as directory_services
from civicbridge.directory.models import Organization
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import PublicBodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # The admin logs each change with a content type from a per-process cache; a transactional
    # test run earlier in this process (browser tests) may have flushed and renumbered them.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()

User = get_user_model()


def fresh(user):
    """The user as the next request sees it (no cached memberships or permissions)."""
    return User.objects.get(pk=user.pk)


def me(user) -> dict:
    client = APIClient()
    client.force_authenticate(fresh(user))
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    return response.json()


def assert_holds_no_role(user, body: Organization) -> None:
    person, body = fresh(user), Organization.objects.get(pk=body.pk)
    assert person.roles == ["citizen"]
    assert me(person)["roles"] == ["citizen"]
    assert me(person)["organizations"] == []
    assert not person.has_perm("funding.add_call")
    assert not person.has_perm("directory.add_plenipotentiary", body)
    assert not person.has_perm("directory.change_organization", body)


def assert_is_officer_of(user, body: Organization) -> None:
    person, body = fresh(user), Organization.objects.get(pk=body.pk)
    assert "officer" in person.roles
    assert "officer" in me(person)["roles"]
    assert body.pk in me(person)["organizations"]
    assert person.has_perm("funding.add_call")
    assert person.has_perm("directory.add_plenipotentiary", body)
    assert person.has_perm("directory.change_organization", body)


@pytest.fixture
def body(municipality):
    """A listed public body (entered by the coordination office)."""
    return PublicBodyFactory(territory=municipality, name="Gmina Nysa")


@pytest.fixture
def citizen(db):
    return UserFactory()


def registration(territory, **overrides):
    return {"name": "Gmina Fikcyjna", "kind": "municipality", "territory": territory.pk, **overrides}


# --- sign-up ---------------------------------------------------------------------------------


def test_signing_up_and_confirming_gives_no_role(body, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person = services.sign_up(
            username="nowy", email="nowy@example.org", password="a-long-test-password-42", preferred_language="pl",
            accepted_privacy=True,
        )
    person.is_active = True
    person.save(update_fields=["is_active"])

    assert_holds_no_role(person, body)


# --- registering an organization -------------------------------------------------------------


def test_registering_a_public_body_on_the_page_gives_no_role_and_asks_a_coordinator(
    client, citizen, coordinator, municipality, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(citizen)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/organizations/new/", registration(municipality))

    fake = Organization.objects.get(name="Gmina Fikcyjna")
    assert response.status_code == 302
    assert fake.registration == Organization.Registration.PENDING
    membership = Membership.objects.get(user=citizen, organization=fake)
    assert (membership.status, membership.origin) == (Membership.Status.PENDING, Membership.Origin.FOUNDER)
    assert_holds_no_role(citizen, fake)
    deliver_due()  # the worker's part: the notice was queued with the request
    assert [m.to for m in mailoutbox] == [[coordinator.email]]


def test_registering_a_public_body_through_the_api_gives_no_role(citizen, municipality):
    client = APIClient()
    client.force_authenticate(citizen)

    response = client.post("/api/v1/organizations/", registration(municipality), format="json")

    assert response.status_code == 201
    assert response.json()["registration"] == "pending"
    fake = Organization.objects.get(pk=response.json()["id"])
    assert_holds_no_role(citizen, fake)
    assert not RightsChange.objects.exists()


def test_the_pending_founder_cannot_name_a_plenipotentiary_or_enter_a_call(citizen, municipality):
    fake = directory_services.create_organization(by=citizen, data={**registration(municipality), "territory": municipality})

    with pytest.raises(PermissionDenied):
        directory_services.create_plenipotentiary(public_body=fake, by=fresh(citizen), data={"full_name": "Jan Kowalski"})
    client = APIClient()
    client.force_authenticate(citizen)
    assert client.post("/api/v1/plenipotentiaries/", {"public_body": fake.pk, "full_name": "Jan"}, format="json").status_code == 403
    from civicbridge.funding import services as funding_services

    with pytest.raises(PermissionDenied):
        funding_services.create_call(by=fresh(citizen), data={"title": "Fake call"}, deadlines=[])


# --- claims and invitations --------------------------------------------------------------------


def test_a_claim_gives_no_role_until_a_coordinator_approves_it(citizen, body, coordinator):
    membership = services.claim_organization(user=citizen, organization=body, message="I am the mayor.")

    assert_holds_no_role(citizen, body)
    services.decide_membership(membership=membership, by=coordinator, approve=True, reason="Checked by phone.")

    assert_is_officer_of(citizen, body)
    record = RightsChange.objects.get(user=citizen)
    assert (record.action, record.right, record.organization, record.by, record.reason) == (
        "granted", "membership", body, coordinator, "Checked by phone."
    )


def test_an_invitation_by_a_representative_gives_no_role(citizen, body):
    officer = MembershipFactory(organization=body).user

    services.invite_representative(organization=body, email=citizen.email, by=officer)

    assert Membership.objects.get(user=citizen).status == Membership.Status.PENDING
    assert_holds_no_role(citizen, body)


def test_an_invitation_by_a_coordinator_is_a_grant_and_is_recorded(citizen, body, coordinator):
    services.invite_representative(organization=body, email=citizen.email, by=coordinator)

    assert_is_officer_of(citizen, body)
    assert RightsChange.objects.filter(user=citizen, action="granted", by=coordinator, organization=body).count() == 1


# --- import ------------------------------------------------------------------------------------


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["name", "kind", "territory_code"])
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def test_only_a_coordinator_imports_and_an_import_makes_nobody_a_representative(citizen, coordinator, municipality):
    content = _csv([{"name": "Gmina Importowana", "kind": "municipality", "territory_code": municipality.code}])

    with pytest.raises(PermissionDenied):
        imports.import_organizations(by=citizen, name="x.csv", content=content, dry_run=False)
    report = imports.import_organizations(by=coordinator, name="x.csv", content=content, dry_run=False)

    assert report.created == 1 and not report.errors
    assert not Membership.objects.exists()
    assert fresh(coordinator).memberships.count() == 0


# --- a change of kind ----------------------------------------------------------------------------


def test_a_representative_cannot_turn_an_ngo_into_a_public_body(municipality, coordinator):
    ngo = directory_services.create_organization(
        by=coordinator, data={"name": "Stowarzyszenie X", "kind": "ngo", "territory": municipality}
    )
    person = MembershipFactory(organization=ngo).user

    with pytest.raises(ValidationError) as excinfo:
        directory_services.update_organization(organization=ngo, by=person, data={"kind": "municipality"})

    assert "kind" in excinfo.value.message_dict
    ngo.refresh_from_db()
    assert ngo.kind == "ngo"
    assert "officer" not in fresh(person).roles


def test_a_representative_cannot_turn_an_ngo_into_a_public_body_through_the_api(municipality, coordinator):
    ngo = directory_services.create_organization(
        by=coordinator, data={"name": "Stowarzyszenie Y", "kind": "ngo", "territory": municipality}
    )
    person = MembershipFactory(organization=ngo).user
    client = APIClient()
    client.force_authenticate(person)

    response = client.patch(f"/api/v1/organizations/{ngo.pk}/", {"kind": "public_body"}, format="json")

    assert response.status_code == 400
    assert "kind" in response.json()
    assert "officer" not in fresh(person).roles


def test_a_coordinator_may_change_the_kind(municipality, coordinator):
    ngo = directory_services.create_organization(
        by=coordinator, data={"name": "Urząd Z", "kind": "ngo", "territory": municipality}
    )

    directory_services.update_organization(organization=ngo, by=coordinator, data={"kind": "public_body"})

    ngo.refresh_from_db()
    assert ngo.kind == "public_body"


# --- the administration site ---------------------------------------------------------------------


@pytest.fixture
def admin_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_a_membership_added_in_the_admin_goes_through_the_service_and_is_recorded(admin_client, citizen, body, coordinator):
    response = admin_client.post(
        "/en/admin/accounts/membership/add/",
        {"user": citizen.pk, "organization": body.pk, "reason": "Appointed by the mayor's order 12/2026."},
    )

    assert response.status_code == 302
    assert_is_officer_of(citizen, body)
    record = RightsChange.objects.get(user=citizen)
    assert (record.action, record.by, record.reason) == ("granted", coordinator, "Appointed by the mayor's order 12/2026.")


def test_a_membership_cannot_be_approved_by_editing_it_in_the_admin(admin_client, citizen, body):
    pending = MembershipFactory(user=citizen, organization=body, status=Membership.Status.PENDING, origin="claim")

    admin_client.post(f"/en/admin/accounts/membership/{pending.pk}/change/", {"status": "approved"})

    pending.refresh_from_db()
    assert pending.status == Membership.Status.PENDING
    assert_holds_no_role(citizen, body)


def test_the_admins_approve_action_decides_through_the_service(admin_client, citizen, body, coordinator):
    pending = MembershipFactory(user=citizen, organization=body, status=Membership.Status.PENDING, origin="claim")

    admin_client.post(
        "/en/admin/accounts/membership/", {"action": "approve", "_selected_action": [pending.pk]}
    )

    assert_is_officer_of(citizen, body)
    assert RightsChange.objects.filter(user=citizen, action="granted", by=coordinator).count() == 1


def test_a_membership_cannot_be_deleted_in_the_admin_only_revoked(admin_client, body, coordinator):
    approved = MembershipFactory(organization=body)

    admin_client.post(f"/en/admin/accounts/membership/{approved.pk}/delete/", {"post": "yes"})
    assert Membership.objects.filter(pk=approved.pk).exists()
    admin_client.post("/en/admin/accounts/membership/", {"action": "revoke", "_selected_action": [approved.pk]})

    assert not Membership.objects.filter(pk=approved.pk).exists()
    assert RightsChange.objects.filter(user=approved.user, action="revoked", by=coordinator).count() == 1


def _user_change_form(person, **flags):
    data = {
        "username": person.username, "email": person.email, "first_name": "", "last_name": "",
        "preferred_language": "en", "is_active": "on", "last_login_0": "", "last_login_1": "",
        "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00",
    }
    data.update({name: "on" for name, value in flags.items() if value})
    return data


def test_the_coordinator_flag_given_in_the_admin_is_recorded(admin_client, citizen, coordinator):
    response = admin_client.post(f"/en/admin/accounts/user/{citizen.pk}/change/", _user_change_form(citizen, is_coordinator=True))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert "coordinator" in fresh(citizen).roles
    record = RightsChange.objects.get(user=citizen)
    assert (record.right, record.action, record.by) == ("coordinator", "granted", coordinator)


def test_the_staff_flag_taken_in_the_admin_is_recorded(admin_client, coordinator):
    staff = UserFactory(is_staff=True)

    admin_client.post(f"/en/admin/accounts/user/{staff.pk}/change/", _user_change_form(staff))

    assert not fresh(staff).is_staff
    assert RightsChange.objects.filter(user=staff, right="staff", action="revoked", by=coordinator).count() == 1


def test_a_coordinator_who_is_not_a_superuser_cannot_make_a_superuser(admin_client, citizen):
    admin_client.post(f"/en/admin/accounts/user/{citizen.pk}/change/", _user_change_form(citizen, is_superuser=True))

    assert not fresh(citizen).is_superuser
    assert not RightsChange.objects.filter(right="superuser").exists()
    with pytest.raises(PermissionDenied):
        services.set_staff_flags(user=citizen, by=fresh(UserFactory(is_coordinator=True)), flags={"is_superuser": True})


def test_a_superuser_may_make_a_superuser_and_it_is_recorded(client, citizen):
    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)

    client.post(f"/en/admin/accounts/user/{citizen.pk}/change/", _user_change_form(citizen, is_superuser=True))

    assert fresh(citizen).is_superuser
    assert RightsChange.objects.filter(user=citizen, right="superuser", action="granted", by=root).count() == 1


def test_the_user_admin_offers_no_django_permissions_or_groups(admin_client, citizen):
    response = admin_client.get(f"/en/admin/accounts/user/{citizen.pk}/change/")

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "user_permissions" not in form.fields
    assert "groups" not in form.fields
    assert admin_client.get("/en/admin/auth/group/").status_code == 404


def test_a_django_permission_written_by_other_means_grants_nothing(client, citizen, body):
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from civicbridge.funding.models import Call

    def permission(model, codename):
        # A transactional test elsewhere may have flushed the tables migrations fill.
        content_type = ContentType.objects.get_for_model(model)
        return Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": codename})[0]

    citizen.user_permissions.add(permission(Call, "add_call"))
    group = Group.objects.create(name="editors")
    group.permissions.add(permission(Organization, "change_organization"))
    citizen.groups.add(group)
    citizen = fresh(citizen)

    assert not citizen.has_perm("funding.add_call")
    assert not citizen.has_perm("directory.change_organization", body)
    assert citizen.get_all_permissions() == set()
    client.force_login(citizen)
    assert client.get("/en/calls/new/").status_code == 403
    assert client.get(f"{body.get_absolute_url()}edit/").status_code == 403


def test_nobody_but_a_coordinator_uses_the_flag_service(citizen):
    other = UserFactory()

    with pytest.raises(PermissionDenied):
        services.set_staff_flags(user=other, by=citizen, flags={"is_coordinator": True})
    assert not fresh(other).is_coordinator


# --- the approved path -----------------------------------------------------------------------------


def test_approving_the_founder_approves_the_registration_and_makes_an_officer(citizen, coordinator, municipality):
    fake = directory_services.create_organization(by=citizen, data={**registration(municipality), "territory": municipality})
    founder = Membership.objects.get(organization=fake)

    services.decide_membership(membership=founder, by=coordinator, approve=True, reason="Confirmed with the office.")

    fake.refresh_from_db()
    assert fake.registration == Organization.Registration.APPROVED
    assert Organization.objects.listed().filter(pk=fake.pk).exists()
    assert_is_officer_of(citizen, fake)
    assert RightsChange.objects.filter(user=citizen, action="granted", origin="founder", organization=fake).count() == 1


def test_rejecting_the_founder_leaves_the_body_unlisted_and_the_person_without_role(citizen, coordinator, municipality):
    fake = directory_services.create_organization(by=citizen, data={**registration(municipality), "territory": municipality})

    services.decide_membership(
        membership=Membership.objects.get(organization=fake), by=coordinator, approve=False, reason="Not the office."
    )

    fake.refresh_from_db()
    assert fake.registration == Organization.Registration.REJECTED
    assert not Organization.objects.listed().filter(pk=fake.pk).exists()
    assert_holds_no_role(citizen, fake)
    assert RightsChange.objects.get(user=citizen).action == "rejected"


def test_nobody_else_can_be_approved_for_a_body_whose_registration_waits(citizen, coordinator, municipality):
    fake = directory_services.create_organization(by=citizen, data={**registration(municipality), "territory": municipality})
    other = UserFactory()
    # Not possible through the pages (the body is hidden), but a row could come from elsewhere.
    stray = MembershipFactory(user=other, organization=fake, status=Membership.Status.PENDING, origin="claim")

    with pytest.raises(ValidationError):
        services.decide_membership(membership=stray, by=coordinator, approve=True)
    with pytest.raises(ValidationError):
        services.claim_organization(user=UserFactory(), organization=fake, message="me")
    with pytest.raises(ValidationError):
        services.grant_membership(user=other, organization=fake, by=coordinator)
    assert_holds_no_role(other, fake)


def test_a_person_who_is_not_a_coordinator_cannot_decide(citizen, body):
    pending = services.claim_organization(user=UserFactory(), organization=body, message="me")

    with pytest.raises(PermissionDenied):
        services.decide_membership(membership=pending, by=citizen, approve=True)
    pending.refresh_from_db()
    assert pending.status == Membership.Status.PENDING


# --- two coordinators at the same moment -------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_coordinators_deciding_the_same_request_one_wins_the_other_is_told_it_is_decided(municipality):
    if connection.vendor != "postgresql":
        # The in-memory test database's shared cache answers "table is locked" instead of waiting.
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL's concurrent transactions")
    body = PublicBodyFactory(territory=municipality)
    claimant = UserFactory()
    pending = MembershipFactory(user=claimant, organization=body, status=Membership.Status.PENDING, origin="claim")
    coordinators = [UserFactory(is_coordinator=True), UserFactory(is_coordinator=True)]
    barrier = threading.Barrier(2, timeout=20)
    outcomes: list = []

    def decide(coordinator, approve):
        try:
            barrier.wait()
            services.decide_membership(
                membership=Membership.objects.get(pk=pending.pk), by=coordinator, approve=approve
            )
            outcomes.append("approved" if approve else "rejected")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        except Exception as error:  # reported by the assertion below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(coordinators[0], True)),
        threading.Thread(target=decide, args=(coordinators[1], False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    close_old_connections()
    decided = [outcome for outcome in outcomes if outcome in ("approved", "rejected")]
    assert len(decided) == 1, outcomes
    assert sorted(outcomes) == sorted([decided[0], "This request has already been decided."]), outcomes
    pending.refresh_from_db()
    assert pending.status == decided[0]
    assert list(RightsChange.objects.filter(user=claimant).values_list("action", flat=True)) == [
        "granted" if decided[0] == "approved" else "rejected"
    ]


def test_an_approved_membership_of_a_registration_a_coordinator_took_back_gives_no_role(citizen, coordinator, municipality):
    fake = directory_services.create_organization(by=citizen, data={**registration(municipality), "territory": municipality})
    services.decide_membership(membership=Membership.objects.get(organization=fake), by=coordinator, approve=True)
    assert_is_officer_of(citizen, fake)

    # A coordinator corrects the registration in the administration site.
    Organization.objects.filter(pk=fake.pk).update(registration=Organization.Registration.REJECTED)

    assert_holds_no_role(citizen, Organization.objects.get(pk=fake.pk))
