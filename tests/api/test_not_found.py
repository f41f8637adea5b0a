"""An address under the API that no route takes is a JSON 404, like every other API error."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-collection/",
        "/api/v1/calls/not%20a%20valid%20identifier/",  # the router's pattern refuses spaces
        "/api/v1/calls/line%0Abreak/",
        "/api/v1/organizations/1/no-such-action/",
    ],
)
def test_an_address_no_route_takes_is_a_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_every_method_gets_the_json_404(client):
    response = client.post("/api/v1/no-such-collection/", data={}, content_type="application/json")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_address_without_its_trailing_slash_is_still_redirected_to_the_route(client):
    response = client.get("/api/v1/territories")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/territories/"


def test_the_catch_all_is_not_in_the_schema(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    assert [path for path in schema["paths"] if "[" in path or "\\" in path] == []


@pytest.mark.parametrize(
    "path", ["/api/v1/subscriptions/civicbridge.api/", "/api/v1/organizations/1.api/", "/api/v1/territories.api/"]
)
def test_a_format_suffix_never_turns_an_answer_into_html(client, path):
    # Schemathesis found "/subscriptions/civicbridge.api/" answered by DRF's HTML page.
    response = client.get(path)

    assert response.status_code in (401, 404)
    assert response["Content-Type"] == "application/json"
