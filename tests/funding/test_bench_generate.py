"""bench/generate_calls.py: bulk calls for the benchmark, resumable."""

import random

import pytest
from bench.generate_calls import ensure_calls

from civicbridge.funding.models import Call

pytestmark = pytest.mark.django_db


def test_ensure_calls_adds_calls_with_their_deadlines_up_to_the_target():
    ensure_calls(30, random.Random(7))
    ensure_calls(45, random.Random(8))

    assert Call.objects.count() == 45
    for call in Call.objects.prefetch_related("deadlines"):
        moments = sorted(d.deadline_at for d in call.deadlines.all())
        assert len(moments) == (2 if call.deadline_model == "two_stage" else 1)
        assert call.closes_at == moments[-1]
        assert call.search_document


def test_ensure_calls_does_nothing_when_the_target_is_reached():
    ensure_calls(5, random.Random(7))

    ensure_calls(3, random.Random(7))

    assert Call.objects.count() == 5
