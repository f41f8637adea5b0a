import datetime

import pytest
from rest_framework.test import APIClient

from civicbridge.groups import services
from civicbridge.groups.models import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def standards(group, chair, coordinator, public_body):
    draft = services.create_standard(
        by=chair.user, group=group, title="Szkic standardu", text="Szkic"
    )
    published = services.create_standard(
        by=chair.user, group=group, title="Standard finansowania", text="Zasady"
    )
    services.move_standard(
        by=coordinator, standard=published, to_stage=Stage.IN_CONSULTATION, note="Konsultacje w BIP"
    )
    services.move_standard(
        by=coordinator,
        standard=published,
        to_stage=Stage.ADOPTED,
        resolution_number="7/2025 (demo)",
        resolution_date=datetime.date(2025, 4, 1),
        adopting_body=public_body,
    )
    services.move_standard(by=coordinator, standard=published, to_stage=Stage.PUBLISHED)
    return draft, published


def test_the_api_lists_groups_with_members_sector_and_chair(
    group, chair, member, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = APIClient().get("/api/v1/working-groups/")
    item = response.json()["results"][0]
    assert response.json()["count"] == 1 and item["name"] == group.name
    assert {(m["name"], m["sector"], m["is_chair"]) for m in item["members"]} == {
        ("Anna Urzędnik", "public", True),
        ("Jan Społecznik", "ngo", False),
    }
    assert "posts" not in item and "documents" not in item


def test_the_api_searches_groups_and_refuses_unknown_filters(group):
    client = APIClient()
    assert client.get("/api/v1/working-groups/", {"search": "konsultacji"}).json()["count"] == 1
    assert client.get("/api/v1/working-groups/", {"search": "rolnictwo"}).json()["count"] == 0


def test_the_api_lists_published_standards_to_visitors(standards, django_assert_max_num_queries):
    draft, published = standards
    client = APIClient()
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/standards/")
    assert [item["title"] for item in response.json()["results"]] == [published.title]
    assert client.get(f"/api/v1/standards/{draft.pk}/").status_code == 404
    assert client.get("/api/v1/standards/", {"stage": "bogus"}).status_code == 400


def test_a_standard_in_the_api_has_its_history_and_versions(standards):
    _draft, published = standards
    detail = APIClient().get(f"/api/v1/standards/{published.pk}/").json()
    assert [step["to_stage"] for step in detail["history"]] == [
        "draft",
        "in_consultation",
        "adopted",
        "published",
    ]
    assert (
        detail["versions"][0]["text"] == "Zasady" and detail["resolution_number"] == "7/2025 (demo)"
    )


def test_members_see_their_groups_drafts_in_the_api(standards, member, group):
    client = APIClient()
    client.force_authenticate(member.user)
    assert client.get("/api/v1/standards/", {"group": group.pk}).json()["count"] == 2
    assert client.get("/api/v1/standards/", {"stage": "draft"}).json()["count"] == 1
