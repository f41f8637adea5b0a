"""The lists' dates: Django's ``date`` filter's output, in every language, month and format the rows use."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template.defaultfilters import date as django_date
from django.utils import translation

from civicbridge.core import dates

FORMATS = ["j E Y, H:i", "j E Y", "H:i", "d.m.Y", "j F Y", "n/j/Y G:i", "DATE_FORMAT", "SHORT_DATE_FORMAT", "D, j M",
           r"j \d\e F", "jS F Y"]


def _written(write, value, format_string):
    try:
        return write(value, format_string)
    except TypeError as error:  # Django's refusal of a time letter for a date
        return type(error)


@pytest.mark.parametrize("language", ["en", "pl", "tr"])
@pytest.mark.parametrize("format_string", FORMATS)
def test_every_month_reads_as_django_writes_it(language, format_string):
    with translation.override(language):
        for month in range(1, 13):
            moment = dt.datetime(2026, month, 3 + month, 7 + month, 4 * month, tzinfo=ZoneInfo("Europe/Istanbul"))
            assert dates.date(moment, format_string) == django_date(moment, format_string)
            day = moment.date()
            assert _written(dates.date, day, format_string) == _written(django_date, day, format_string)


def test_the_month_follows_the_active_language():
    moment = dt.datetime(2026, 5, 1, 23, 59, tzinfo=ZoneInfo("Europe/Warsaw"))
    written = {}
    for language in ("pl", "tr", "en", "pl"):
        with translation.override(language):
            written[language] = dates.date(moment, "j E Y, H:i")
    assert written == {"pl": "1 maja 2026, 23:59", "tr": "1 Mayıs 2026, 23:59", "en": "1 May 2026, 23:59"}


@pytest.mark.parametrize("value", [None, ""])
def test_nothing_is_written_for_no_date(value):
    assert dates.date(value, "j E Y") == ""


def test_a_format_of_its_own_is_split_once():
    dates._compiled.cache_clear()
    moment = dt.datetime(2026, 1, 31, 9, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
    for _ in range(3):
        dates.date(moment, "j E Y, H:i")
    assert dates._compiled.cache_info().misses == 1
