"""A place's coordinates in the page's language: never two numbers whose decimal commas read as separators."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from civicbridge.core.coordinates import coordinates_text, machine_coordinates


@pytest.mark.parametrize(("language", "expected"), [
    ("pl", "33,868800°\xa0S, 151,209300°\xa0E"),
    ("tr", "33,868800°\xa0G, 151,209300°\xa0D"),
    ("en", "33.868800°\xa0S, 151.209300°\xa0E"),
])
def test_a_southern_latitude_is_named_by_its_hemisphere_not_a_minus(language, expected):
    with translation.override(language):
        assert coordinates_text(Decimal("-33.868800"), Decimal("151.209300")) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("pl", "40,712800°\xa0N, 74,006000°\xa0W"),
    ("tr", "40,712800°\xa0K, 74,006000°\xa0B"),
])
def test_a_western_longitude_is_named_by_its_hemisphere(language, expected):
    with translation.override(language):
        assert coordinates_text(Decimal("40.712800"), Decimal("-74.006000")) == expected


@pytest.mark.parametrize("language", ["pl", "tr", "en"])
def test_the_machine_form_keeps_decimal_points_and_signs_in_every_language(language):
    with translation.override(language):
        assert machine_coordinates(Decimal("-33.868800"), Decimal("151.209300")) == "-33.868800,151.209300"
        html = Template("{% load civicbridge %}{% coordinates lat lon %}").render(
            Context({"lat": Decimal("50.671000"), "lon": Decimal("17.926000")}))
    assert 'value="50.671000,17.926000"' in html
