"""The calls' demo data: each profile's real funders, example calls of every status, valid by the
services' rules, in the profile's language."""

import io

import pytest
from django.utils import timezone

from civicbridge.funding import demo, services
from civicbridge.funding.models import Call, Funder, Programme

pytestmark = pytest.mark.django_db


def _load(profile="opole") -> str:
    out = io.StringIO()
    demo.load(profile=profile, stdout=out)
    return out.getvalue()


def _statuses() -> list[str]:
    now = timezone.now()
    return [call.status(now) for call in Call.objects.published().prefetch_related("deadlines")]


def test_the_polish_demo_has_polish_and_eu_funders_and_calls_of_every_status():
    _load("opole")

    names = set(Funder.objects.values_list("name", flat=True))
    assert names == {
        "Komisja Europejska", "Narodowy Instytut Wolności – Centrum Rozwoju Społeczeństwa Obywatelskiego",
        "Województwo Opolskie (Zarząd Województwa Opolskiego)",
    }
    statuses = _statuses()
    assert statuses.count("open") >= 5 and statuses.count("forthcoming") >= 3 and statuses.count("closed") >= 3
    assert Call.objects.filter(published_at__isnull=True).get().identifier.startswith("OPOLSKIE-")


def test_the_turkish_demo_has_turkish_eu_and_world_bank_funders_and_calls_of_every_status():
    _load("orhangazi")

    names = set(Funder.objects.values_list("name", flat=True))
    assert names == {
        "Avrupa Komisyonu", "Türkiye Ulusal Ajansı", "T.C. Gençlik ve Spor Bakanlığı",
        "Bursa Eskişehir Bilecik Kalkınma Ajansı (BEBKA)", "Dünya Bankası",
    }
    statuses = _statuses()
    assert statuses.count("open") >= 5 and statuses.count("forthcoming") >= 3 and statuses.count("closed") >= 3
    assert Call.objects.filter(published_at__isnull=True).get().identifier.startswith("TR41-")


def test_an_eu_call_closed_to_the_profiles_country_is_left_out():
    _load("orhangazi")

    # CERV is open to EU Member States only (its eligible countries leave Türkiye out).
    assert not Call.objects.filter(identifier__startswith="CERV-").exists()
    assert Call.objects.filter(identifier__startswith="ERASMUS-").exists()


def test_the_polish_demo_shows_the_eu_calls_open_to_poland():
    _load("opole")

    assert Call.objects.filter(identifier__startswith="CERV-").count() == 4
    assert not Call.objects.filter(currency="TRY").exists()


@pytest.mark.parametrize(("profile", "language"), [("opole", "pl"), ("orhangazi", "tr")])
def test_every_demo_call_follows_the_services_rules_and_says_it_is_an_example(profile, language):
    _load(profile)

    for call in Call.objects.prefetch_related("deadlines"):
        services.check_identifier(call.identifier)
        ordered = services.check_deadlines(
            deadline_model=call.deadline_model, deadlines=[d.deadline_at for d in call.deadlines.order_by("stage")],
            opens_at=call.opens_at,
        )
        assert call.closes_at == (ordered[-1] if ordered else None)
        assert call.summary.endswith(demo.EXAMPLE_NOTE[language])
        assert call.search_document


def test_national_agency_deadlines_are_at_noon_brussels_time():
    _load("orhangazi")

    calls = Call.objects.filter(programme__funder__slug="turkiye-ulusal-ajansi").prefetch_related("deadlines")
    assert calls.exists()
    for call in calls:
        for deadline in call.deadlines.all():
            assert deadline.deadline_at.astimezone(services.funder_zone(Funder(time_zone="Europe/Brussels"))).hour == 12


def test_loading_twice_changes_nothing():
    _load()
    count = Call.objects.count()

    assert "already loaded" in _load()
    assert Call.objects.count() == count


@pytest.mark.parametrize("profile", ["opole", "orhangazi"])
def test_the_loaded_profile_is_read_from_its_funders(profile):
    assert demo.loaded_profiles() == set()

    _load(profile)

    assert demo.loaded_profiles() == {profile}


def test_a_programme_whose_calls_are_all_left_out_is_left_out_too():
    _load("orhangazi")

    assert not Programme.objects.filter(code="CERV").exists()
    assert Programme.objects.filter(code="HORIZON", name="Ufuk Avrupa").exists()
