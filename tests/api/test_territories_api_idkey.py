"""The territories API takes a unit by ``id-`` and its id, as the lists' menus and links name a
unit with no official code: a bare number is read as a code first."""

import pytest

from civicbridge.core.models import Territory

pytestmark = pytest.mark.django_db


def test_a_unit_named_by_its_id_is_never_read_as_a_code(client, county):
    orhangazi = Territory.objects.get(country="TR", level=Territory.Level.COUNTY, name_en="Orhangazi")
    Territory.objects.filter(pk=county.pk).update(code=str(orhangazi.pk))  # a district's id, a county's code

    by_number = client.get("/api/v1/territories/", {"within": str(orhangazi.pk)}).json()
    by_key = client.get("/api/v1/territories/", {"within": f"id-{orhangazi.pk}"}).json()

    assert {unit["id"] for unit in by_key["results"]} == {orhangazi.pk}
    assert orhangazi.pk not in {unit["id"] for unit in by_number["results"]}  # the code comes first
    assert client.get("/api/v1/territories/", {"within": "id-999999999"}).status_code == 400
