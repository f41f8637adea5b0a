"""``loaddemo``: each profile is one deployment with its own country's registry, funders, calls
and partner requests, four working demo accounts, and no room for another profile's demo."""

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.utils import timezone

from civicbridge.accounts.models import Membership
from civicbridge.directory import demo as directory_demo
from civicbridge.directory.models import Organization, Plenipotentiary
from civicbridge.funding import demo as funding_demo
from civicbridge.funding.models import Call, Funder
from civicbridge.partners import demo as partners_demo
from civicbridge.partners.models import ExpressionOfInterest, PartnerRequest, Twinning
from tests.directory.factories import nip, vkn

pytestmark = pytest.mark.django_db

DEMO_USERS = ("coordinator", "officer", "ngo", "citizen")
COUNTRY = {"opole": "PL", "orhangazi": "TR"}
LANGUAGE = {"opole": "pl", "orhangazi": "tr"}
PROFILES = tuple(COUNTRY)


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


@pytest.mark.parametrize("profile", PROFILES)
def test_demo_users_log_in_with_their_passwords(profile):
    _load(profile)

    for username in DEMO_USERS:
        # The lock-out backend (axes) needs the request the credentials came with.
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request, username=username, password=f"demo-{username}")
        assert user is not None and user.username == username
    coordinator = get_user_model().objects.get(username="coordinator")
    assert coordinator.is_coordinator and coordinator.is_staff
    assert get_user_model().objects.get(username="officer").preferred_language == LANGUAGE[profile]


@pytest.mark.parametrize("profile", PROFILES)
def test_the_authoritys_contact_address_is_no_demo_accounts_own(profile):
    """Mail to the coordination office must not land in the mailbox of a demo organization."""
    from civicbridge.core import deployment

    _load(profile)

    contact = deployment.PRESETS[profile].contact_email
    assert contact
    assert not get_user_model().objects.filter(email__iexact=contact).exists()


def test_officer_and_ngo_represent_their_organizations():
    _load("opole")

    officer = Membership.objects.approved().get(user__username="officer").organization
    ngo = Membership.objects.approved().get(user__username="ngo").organization
    assert officer.name == "Urząd Marszałkowski Województwa Opolskiego"
    assert ngo.is_ngo and ngo.territory.code == "1661011"
    assert not Membership.objects.filter(user__username="citizen").exists()


def test_orhangazi_profile_makes_the_officer_a_kaymakamlik_officer():
    _load("orhangazi")

    officer = get_user_model().objects.get(username="officer")
    ngo = Membership.objects.approved().get(user__username="ngo").organization
    assert officer.preferred_language == "tr"
    assert Membership.objects.get(user=officer).organization.name == "Orhangazi Kaymakamlığı"
    assert ngo.is_ngo and ngo.territory.name_en == "Orhangazi"


def test_the_demo_roles_are_granted_by_the_coordinator_and_recorded():
    from civicbridge.accounts.models import RightsChange

    _load("opole")

    granted = RightsChange.objects.filter(action=RightsChange.Action.GRANTED).order_by("user__username")
    people = {change.user.username for change in granted}
    # The log-ins the demo prints, and the demo people who remark in consultations and sit in
    # working groups for their organizations: every one granted by the coordinator, with a reason.
    assert {"ngo", "officer"} <= people
    assert all(name in ("ngo", "officer") or name.startswith(("remark-author-", "group-member-")) for name in people)
    assert {change.by.username for change in granted} == {"coordinator"}
    assert all(change.reason for change in granted)


@pytest.mark.parametrize("profile", PROFILES)
def test_generated_registry_numbers_tax_numbers_and_slugs_are_unique(profile):
    _load(profile)

    numbered = Organization.objects.exclude(registry_number="")
    numbers = list(numbered.values_list("registry_number", flat=True))
    slugs = list(Organization.objects.values_list("slug", flat=True))
    assert len(numbers) == len(set(numbers)) > 500
    assert len(slugs) == len(set(slugs))
    assert not Organization.objects.filter(search_document="").exists()
    # A NIP in Poland, a VKN in Turkey: with their check digits, each once; none for a group
    # without legal personality, nor for the real public bodies.
    tax_numbers = list(Organization.objects.exclude(tax_number="").values_list("tax_number", flat=True))
    assert len(tax_numbers) == len(set(tax_numbers)) > 500
    check = {"PL": nip, "TR": vkn}[COUNTRY[profile]]
    assert all(check(number[:9]) == number for number in tax_numbers)
    assert not Organization.objects.exclude(tax_number="").filter(
        kind__in=[Organization.Kind.INFORMAL_GROUP, *Organization.PUBLIC_KINDS]
    ).exists()


@pytest.mark.parametrize("profile", PROFILES)
def test_a_profile_has_a_few_organizations_abroad_in_its_towns_twin_cities(profile):
    _load(profile)

    abroad = Organization.objects.filter(territory__isnull=True)
    twin_cities = {(country, city) for (town_country, _), city, country, *_ in partners_demo.TWINNINGS
                   if town_country == COUNTRY[profile]}
    assert 3 <= abroad.count() <= 10
    for organization in abroad:
        assert any(organization.country == country and organization.city in city for country, city in twin_cities)
        assert organization.description.endswith(directory_demo.ABROAD_NOTE[LANGUAGE[profile]])
        assert organization.is_foreign and organization.thematic_areas.exists()
    pics = [pic for pic in abroad.values_list("pic", flat=True) if pic]
    assert 1 <= len(pics) < abroad.count()
    assert all(len(pic) == 9 and pic.isdigit() for pic in pics)


@pytest.mark.parametrize("profile", PROFILES)
def test_a_profile_holds_its_own_countrys_organizations_funders_and_calls_only(profile):
    _load(profile)
    country = COUNTRY[profile]

    # Organizations, and so the territories they are in; those abroad are the few partners in
    # its towns' twin cities (test_a_profile_has_a_few_organizations_abroad_in_its_towns_twin_cities).
    assert not Organization.objects.filter(territory__isnull=False).exclude(territory__country=country).exists()
    assert not Plenipotentiary.objects.exclude(public_body__territory__country=country).exists()
    # Funders: the country's own and international ones (the EU, which funds both).
    assert set(Funder.objects.values_list("country", flat=True)) == {country, ""}
    assert Funder.objects.filter(slug="european-commission").exists()
    # Calls: of those funders, open to the country, for its territories.
    assert not Call.objects.exclude(programme__funder__country__in=(country, "")).exists()
    assert not Call.objects.exclude(eligible_territories=None).exclude(eligible_territories__country=country).exists()
    assert all(
        country in call.eligible_countries.split(",") for call in Call.objects.exclude(eligible_countries="")
    )
    # Partner search: requests and answers of its organizations, twinnings of its towns.
    assert not PartnerRequest.objects.exclude(organization__territory__country=country).exists()
    assert not ExpressionOfInterest.objects.exclude(organization__territory__country=country).exists()
    assert not Twinning.objects.exclude(territory__country=country).exists()


def test_the_polish_demo_has_no_turkish_funder_and_the_turkish_demo_no_polish_one():
    _load("opole")
    polish = set(Funder.objects.values_list("slug", flat=True))

    assert {"narodowy-instytut-wolnosci", "wojewodztwo-opolskie"} <= polish
    assert not polish & {"bebka", "turkiye-ulusal-ajansi", "tc-genclik-ve-spor-bakanligi", "world-bank"}


def test_the_turkish_demo_has_the_turkish_funders_first():
    _load("orhangazi")
    turkish = set(Funder.objects.values_list("slug", flat=True))

    assert {"bebka", "turkiye-ulusal-ajansi", "tc-genclik-ve-spor-bakanligi"} <= turkish
    assert not turkish & {"narodowy-instytut-wolnosci", "wojewodztwo-opolskie"}
    # Its registry holds Bursa's districts' bodies and the Turkish funders, not Polish ones.
    assert Organization.objects.filter(name="Orhangazi Belediyesi", kind=Organization.Kind.MUNICIPALITY).exists()
    assert not Organization.objects.filter(name__startswith="Gmina ").exists()


@pytest.mark.parametrize("profile", PROFILES)
def test_each_profile_is_rich_enough_to_look_alive(profile):
    _load(profile)

    assert 500 <= Organization.objects.count() <= 3000
    assert Plenipotentiary.objects.count() >= 20
    now = timezone.now()
    statuses = [call.status(now) for call in Call.objects.published().prefetch_related("deadlines")]
    assert min(statuses.count(status) for status in ("open", "forthcoming", "closed")) >= 3
    assert PartnerRequest.objects.count() >= 8
    assert ExpressionOfInterest.objects.count() >= 5
    assert Twinning.objects.exists()


@pytest.mark.parametrize("profile", PROFILES)
def test_texts_on_pages_are_in_the_profiles_language(profile):
    _load(profile)
    language = LANGUAGE[profile]

    commission = Funder.objects.get(slug="european-commission")
    assert commission.name == {"pl": "Komisja Europejska", "tr": "Avrupa Komisyonu"}[language]
    for call in Call.objects.all():
        assert call.summary.endswith(funding_demo.EXAMPLE_NOTE[language]), call.identifier
    for partner_request in PartnerRequest.objects.all():
        assert partner_request.description.endswith(partners_demo.DEMO_NOTE[language]), partner_request.title
    # No English sentence is left in the texts the loaders write (a known complaint).
    english = ("English:", "In English", "We ", "Our ", " the ")
    texts = [
        *Organization.objects.values_list("description", flat=True),
        *Call.objects.values_list("title", flat=True), *Funder.objects.values_list("description", flat=True),
        *PartnerRequest.objects.values_list("title", flat=True),
        *PartnerRequest.objects.values_list("description", flat=True),
        *ExpressionOfInterest.objects.values_list("message", flat=True),
    ]
    assert not [text for text in texts if any(marker in text for marker in english)]


def _counts() -> tuple[int, ...]:
    return (
        Organization.objects.count(), Plenipotentiary.objects.count(), Membership.objects.count(),
        Funder.objects.count(), Call.objects.count(), PartnerRequest.objects.count(),
        ExpressionOfInterest.objects.count(), Twinning.objects.count(),
        get_user_model().objects.count(),
    )


@pytest.mark.parametrize("profile", PROFILES)
def test_running_twice_does_not_duplicate(profile):
    _load(profile)
    counts = _counts()

    _load(profile)

    assert _counts() == counts
    assert get_user_model().objects.filter(username__in=DEMO_USERS).count() == 4


@pytest.mark.parametrize(("loaded", "asked"), [("opole", "orhangazi"), ("orhangazi", "opole")])
def test_another_profiles_demo_is_refused_and_nothing_changes(loaded, asked):
    _load(loaded)
    counts = _counts()

    with pytest.raises(CommandError) as refusal:
        _load(asked)

    message = str(refusal.value)
    assert repr(loaded) in message and "CIVICBRIDGE_DATA_DIR" in message and "Nothing was changed" in message
    assert _counts() == counts
    assert not Organization.objects.filter(territory__isnull=False).exclude(territory__country=COUNTRY[loaded]).exists()
