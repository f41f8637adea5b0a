import pytest
from rest_framework.test import APIClient

from civicbridge.consultations import services
from tests.consultations.factories import ConsultationFactory, end, remark_on

pytestmark = pytest.mark.django_db


def test_the_api_lists_published_consultations_open_first(
    consultation, body, django_assert_max_num_queries
):
    ended = end(ConsultationFactory(issuing_body=body, title="Zakończone"))
    ConsultationFactory(issuing_body=body, published_at=None, title="Szkic")
    client = APIClient()

    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/consultations/")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["title"] for item in results] == [consultation.title, ended.title]
    assert results[0]["phase"] == "open" and results[0]["accepts_remarks"] is True
    assert results[0]["territory_code"] == "1607" and results[0]["issuing_body"]["id"] == body.pk


def test_the_api_filters_and_refuses_unknown_values(consultation):
    client = APIClient()
    assert client.get("/api/v1/consultations/", {"territory": "1607"}).json()["count"] == 1
    assert client.get("/api/v1/consultations/", {"territory": "1601"}).json()["count"] == 0
    assert client.get("/api/v1/consultations/", {"status": "ended"}).json()["count"] == 0
    assert client.get("/api/v1/consultations/", {"kind": "law"}).status_code == 400
    assert client.get("/api/v1/consultations/", {"search": "współpracy"}).json()["count"] == 1


def test_the_detail_has_the_sections_with_counts(consultation, citizen):
    section = consultation.sections.first()
    services.submit_remark(
        by=citizen, consultation=consultation, section=section, justification="Uwaga."
    )
    data = APIClient().get(f"/api/v1/consultations/{consultation.pk}/").json()
    assert [s["label"] for s in data["sections"]] == ["§ 1", "§ 2", "§ 3"]
    assert data["sections"][0]["remark_count"] == 1


def test_the_report_answers_counts_and_remarks_hidden_without_text(
    consultation, citizen, officer, organization
):
    shown = remark_on(
        consultation.sections.first(),
        author=citizen,
        organization=organization,
        justification="Jawna.",
    )
    hidden = remark_on(consultation.sections.first(), author=citizen, justification="Ukryta treść.")
    client = APIClient()
    assert (
        client.get(f"/api/v1/consultations/{consultation.pk}/report/").status_code == 404
    )  # still open
    end(consultation)
    services.hide_remark(by=officer, remark=hidden, reason="Spam")
    services.answer_remark(by=officer, remark=shown, answer="accepted", justification="Tak.")

    before = client.get(f"/api/v1/consultations/{consultation.pk}/report/").json()
    assert before["published"] is False and "answer" not in before["remarks"]["results"][0]

    services.publish_report(by=officer, consultation=consultation)
    data = client.get(f"/api/v1/consultations/{consultation.pk}/report/").json()
    assert data["summary"]["total"] == 2 and data["summary"]["hidden"] == 1
    assert data["summary"]["by_answer"]["accepted"] == 1
    by_id = {item["id"]: item for item in data["remarks"]["results"]}
    assert (
        by_id[shown.pk]["organization"]["name"] == organization.name
        and by_id[shown.pk]["answer"] == "accepted"
    )
    assert by_id[hidden.pk]["hidden"] is True and by_id[hidden.pk]["hidden_reason"] == "Spam"
    assert "justification_html" not in by_id[hidden.pk] and "Ukryta" not in str(data)


def test_a_draft_is_404_in_the_api(body):
    draft = ConsultationFactory(issuing_body=body, published_at=None)
    assert APIClient().get(f"/api/v1/consultations/{draft.pk}/").status_code == 404


def test_the_body_filter_takes_the_bodys_address_name_or_number(consultation, body):
    other = ConsultationFactory(title="Inny organ")
    client = APIClient()
    assert [
        item["id"]
        for item in client.get("/api/v1/consultations/", {"body": body.slug}).json()["results"]
    ] == [consultation.pk]
    assert (
        client.get("/api/v1/consultations/", {"body": other.issuing_body.pk}).json()["count"] == 1
    )
    assert client.get("/api/v1/consultations/", {"body": "nie-ma-takiego"}).status_code == 400
