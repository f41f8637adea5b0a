"""``__any``: membership in a list, as one array parameter on PostgreSQL and IN elsewhere."""

import pytest

from civicbridge.core.models import ThematicArea

pytestmark = pytest.mark.django_db


def test_any_finds_the_rows_whose_value_is_in_the_list():
    wanted = list(ThematicArea.objects.order_by("pk").values_list("pk", flat=True)[:3])

    found = ThematicArea.objects.filter(pk__any=wanted)

    assert sorted(found.values_list("pk", flat=True)) == wanted


def test_any_of_an_empty_list_finds_nothing():
    assert not ThematicArea.objects.filter(pk__any=[]).exists()


def test_any_of_a_long_list_is_one_parameter_on_postgresql():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    every = list(ThematicArea.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as captured:
        assert ThematicArea.objects.filter(pk__any=every * 20).count() == len(every)

    if connection.vendor == "postgresql":
        assert "ANY(" in captured.captured_queries[0]["sql"]


def test_any_of_a_subquery_is_an_in_subquery():
    some = ThematicArea.objects.filter(scheme=ThematicArea.objects.first().scheme).values("pk")

    assert ThematicArea.objects.filter(pk__any=some).count() == some.count()


def test_any_of_a_set_of_ids_or_of_their_text_finds_the_same_rows_and_ignores_none():
    wanted = set(ThematicArea.objects.order_by("pk").values_list("pk", flat=True)[:3])

    assert set(ThematicArea.objects.filter(pk__any=wanted).values_list("pk", flat=True)) == wanted
    assert set(ThematicArea.objects.filter(pk__any=[str(pk) for pk in wanted] + [None]).values_list("pk", flat=True)) == wanted
    themes = ThematicArea.objects.filter(scheme__any=["eu_theme"])  # text, not ids
    assert themes.exists() and set(themes.values_list("scheme", flat=True)) == {"eu_theme"}


def test_any_of_a_value_that_is_not_a_whole_number_is_refused():
    with pytest.raises((ValueError, TypeError)):
        list(ThematicArea.objects.filter(pk__any={"1", "one"}))
