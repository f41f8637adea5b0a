"""``loaddemo``: a registry big enough to try the platform, four working demo accounts."""

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from civicbridge.accounts.models import Membership
from civicbridge.directory.models import Organization, Plenipotentiary

pytestmark = pytest.mark.django_db

DEMO_USERS = ("coordinator", "officer", "ngo", "citizen")


def _load(profile: str) -> str:
    out = io.StringIO()
    call_command("loaddemo", profile=profile, stdout=out)
    return out.getvalue()


def test_opole_demo_fills_the_registry_and_lists_the_log_ins():
    output = _load("opole")

    assert Organization.objects.count() >= 2000
    assert Plenipotentiary.objects.exists()
    for username in DEMO_USERS:
        assert f"{username} / demo-{username}" in output


def test_demo_users_log_in_with_their_passwords():
    _load("opole")

    for username in DEMO_USERS:
        # The lock-out backend (axes) needs the request the credentials came with.
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request, username=username, password=f"demo-{username}")
        assert user is not None and user.username == username
    coordinator = get_user_model().objects.get(username="coordinator")
    assert coordinator.is_coordinator and coordinator.is_staff
    assert get_user_model().objects.get(username="officer").preferred_language == "pl"


def test_officer_and_ngo_represent_their_organizations():
    _load("opole")

    officer = Membership.objects.approved().get(user__username="officer").organization
    ngo = Membership.objects.approved().get(user__username="ngo").organization
    assert officer.name == "Urząd Marszałkowski Województwa Opolskiego"
    assert ngo.is_ngo
    assert not Membership.objects.filter(user__username="citizen").exists()


def test_the_demo_roles_are_granted_by_the_coordinator_and_recorded():
    from civicbridge.accounts.models import RightsChange

    _load("opole")

    granted = RightsChange.objects.filter(action=RightsChange.Action.GRANTED).order_by("user__username")
    assert [(change.user.username, change.by.username) for change in granted] == [
        ("ngo", "coordinator"), ("officer", "coordinator"),
    ]
    assert all(change.reason for change in granted)


def test_generated_registry_numbers_and_slugs_are_unique():
    _load("opole")

    numbered = Organization.objects.exclude(registry_number="")
    numbers = list(numbered.values_list("registry_number", flat=True))
    slugs = list(Organization.objects.values_list("slug", flat=True))
    assert len(numbers) == len(set(numbers)) > 1000
    assert len(slugs) == len(set(slugs))
    assert not Organization.objects.filter(search_document="").exists()


def _counts() -> tuple[int, int, int]:
    return Organization.objects.count(), Plenipotentiary.objects.count(), Membership.objects.count()


def test_running_twice_does_not_duplicate():
    _load("opole")
    counts = _counts()

    _load("opole")

    assert _counts() == counts
    assert get_user_model().objects.filter(username__in=DEMO_USERS).count() == 4


def test_orhangazi_profile_makes_the_officer_a_kaymakamlik_officer():
    _load("orhangazi")

    officer = get_user_model().objects.get(username="officer")
    assert officer.preferred_language == "tr"
    assert Membership.objects.get(user=officer).organization.name == "Orhangazi Kaymakamlığı"
