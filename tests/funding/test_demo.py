"""The calls' demo data: real funders, example calls of every status, valid by the services' rules."""

import io

import pytest
from django.utils import timezone

from civicbridge.funding import demo, services
from civicbridge.funding.models import Call, Funder

pytestmark = pytest.mark.django_db


def _load(profile="opole") -> str:
    out = io.StringIO()
    demo.load(profile=profile, stdout=out)
    return out.getvalue()


def test_the_demo_has_the_funders_of_both_offices_and_calls_of_every_status():
    _load()

    names = set(Funder.objects.values_list("name", flat=True))
    assert {"European Commission", "Türkiye Ulusal Ajansı", "T.C. Gençlik ve Spor Bakanlığı", "World Bank"} <= names
    now = timezone.now()
    statuses = [call.status(now) for call in Call.objects.published()]
    assert statuses.count("open") >= 5 and statuses.count("forthcoming") >= 3 and statuses.count("closed") >= 3
    assert Call.objects.filter(published_at__isnull=True).count() == 1


def test_every_demo_call_follows_the_services_rules_and_says_it_is_an_example():
    _load("orhangazi")

    for call in Call.objects.prefetch_related("deadlines"):
        services.check_identifier(call.identifier)
        ordered = services.check_deadlines(
            deadline_model=call.deadline_model, deadlines=[d.deadline_at for d in call.deadlines.order_by("stage")],
            opens_at=call.opens_at,
        )
        assert call.closes_at == (ordered[-1] if ordered else None)
        assert "example entry" in call.summary.lower()
        assert call.search_document


def test_national_agency_deadlines_are_at_noon_brussels_time():
    _load()

    for call in Call.objects.filter(programme__funder__slug="turkiye-ulusal-ajansi").prefetch_related("deadlines"):
        for deadline in call.deadlines.all():
            assert deadline.deadline_at.astimezone(services.funder_zone(Funder(time_zone="Europe/Brussels"))).hour == 12


def test_loading_twice_changes_nothing():
    _load()
    count = Call.objects.count()

    assert "already loaded" in _load()
    assert Call.objects.count() == count
