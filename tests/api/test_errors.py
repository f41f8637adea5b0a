"""API errors: JSON with a message per field and the right status, never a 500."""

import json

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from civicbridge.core.throttling import RequestRateThrottle
from civicbridge.directory.models import Organization
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ORGANIZATIONS_URL = "/api/v1/organizations/"
TOKEN_URL = "/api/v1/auth/token/"


def as_user(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


@pytest.fixture
def anonymous():
    return APIClient(raise_request_exception=False)


def assert_json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    body = response.json()
    assert body and isinstance(body, dict)
    return body


# --- throttling -------------------------------------------------------------------------------------


def test_token_endpoint_answers_429_json_beyond_its_configured_rate(anonymous, user):
    allowed, _period = ScopedRateThrottle().parse_rate(api_settings.DEFAULT_THROTTLE_RATES["token"])
    credentials = {"username": user.username, "password": PASSWORD}
    for _ in range(allowed):
        assert anonymous.post(TOKEN_URL, credentials, format="json").status_code == 200

    response = anonymous.post(TOKEN_URL, credentials, format="json")

    body = assert_json_error(response, 429)
    assert body["detail"]
    assert int(response["Retry-After"]) > 0


def test_anonymous_reads_beyond_the_rate_get_429_json(anonymous, monkeypatch):
    monkeypatch.setattr(RequestRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute"})
    for _ in range(3):
        assert anonymous.get(ORGANIZATIONS_URL).status_code == 200

    response = anonymous.get(ORGANIZATIONS_URL)

    assert_json_error(response, 429)
    assert "Retry-After" in response


def test_user_rate_is_counted_per_user(user, monkeypatch):
    monkeypatch.setattr(RequestRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "2/minute"})
    busy = as_user(user)
    for _ in range(2):
        assert busy.get(ORGANIZATIONS_URL).status_code == 200

    assert_json_error(busy.get(ORGANIZATIONS_URL), 429)
    assert as_user(UserFactory()).get(ORGANIZATIONS_URL).status_code == 200


# --- malformed bodies -------------------------------------------------------------------------------------


def test_malformed_json_gives_400_json(user):
    response = as_user(user).post(ORGANIZATIONS_URL, data='{"name": "Fundacja', content_type="application/json")

    body = assert_json_error(response, 400)
    assert "JSON" in body["detail"]
    assert not Organization.objects.exists()


def test_malformed_json_on_the_token_endpoint_gives_400_json(anonymous, db):
    response = anonymous.post(TOKEN_URL, data="{username: x", content_type="application/json")

    assert_json_error(response, 400)


@pytest.mark.parametrize("body", ["[]", '"text"', "null", "42"])
def test_json_that_is_not_an_object_gives_400_json(user, body):
    response = as_user(user).post(ORGANIZATIONS_URL, data=body, content_type="application/json")

    assert_json_error(response, 400)
    assert not Organization.objects.exists()


def test_unsupported_media_type_gives_415_json(user):
    response = as_user(user).post(ORGANIZATIONS_URL, data="<org/>", content_type="application/xml")

    assert_json_error(response, 415)


def test_nan_is_not_accepted_as_json(user, municipality):
    body = f'{{"name": "X", "kind": "ngo", "territory": {municipality.pk}, "latitude": NaN, "longitude": 1}}'

    response = as_user(user).post(ORGANIZATIONS_URL, data=body, content_type="application/json")

    assert_json_error(response, 400)
    assert not Organization.objects.exists()


def test_body_over_the_upload_limit_gives_413_json(user, municipality):
    body = json.dumps({"name": "X", "kind": "ngo", "territory": municipality.pk,
                       "description": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    response = as_user(user).post(ORGANIZATIONS_URL, data=body, content_type="application/json")

    assert_json_error(response, 413)
    assert not Organization.objects.exists()


def test_body_over_the_upload_limit_is_refused_and_writes_nothing(user, municipality):
    body = json.dumps({"name": "X", "kind": "ngo", "territory": municipality.pk,
                       "description": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    response = as_user(user).post(ORGANIZATIONS_URL, data=body, content_type="application/json")

    assert 400 <= response.status_code < 500
    assert not Organization.objects.exists()


# --- garbage values: a message at the field, nothing written ------------------------------------------------------


GARBAGE = [
    ("territory", "x"),
    ("territory", None),
    ("territory", True),
    ("territory", {"id": 1}),
    ("territory", 987654321),
    ("territory", 10**30),
    ("latitude", "abc"),
    ("latitude", "NaN"),
    ("latitude", "Infinity"),
    ("latitude", 95),
    ("latitude", 1000.5),
    ("longitude", [1, 2]),
    ("thematic_areas", [999999]),
    ("thematic_areas", "not-a-list"),
    ("thematic_areas", [{"id": 1}]),
    ("thematic_areas", [10**30]),
    ("kind", "spaceship"),
    ("kind", ["ngo"]),
    ("legal_form", 7),
    ("name", ""),
    ("name", "x" * 301),
    ("name", "Fundacja\x00"),
    ("name", {"pl": "Fundacja"}),
    ("founding_year", "dawno"),
    ("founding_year", 1200),
    ("founding_year", 3000),
    ("founding_year", 10**30),
    ("founding_year", 1e300),
    ("website", "javascript:alert(1)"),
    ("email", "not-an-address"),
    ("registry_number", None),
    ("registry_number", "0000123456"),  # a number without its register
]


@pytest.mark.parametrize(("field", "value"), GARBAGE, ids=[f"{f}={v!r}"[:40] for f, v in GARBAGE])
def test_garbage_value_gives_400_with_a_message_at_the_field(user, municipality, field, value):
    payload = {"name": "Fundacja Testowa", "kind": "ngo", "territory": municipality.pk, field: value}
    if field == "latitude":
        payload["longitude"] = 17.3
    if field == "longitude":
        payload["latitude"] = 50.4

    response = as_user(user).post(ORGANIZATIONS_URL, payload, format="json")

    body = assert_json_error(response, 400)
    expected_field = "registry_type" if (field, value) == ("registry_number", "0000123456") else field
    assert body.get(expected_field), body
    assert not Organization.objects.exists()


@pytest.mark.parametrize("field", ["territory", "thematic_areas"])
def test_number_beyond_float_range_for_a_relation_gives_400(user, municipality, field):
    # json.dumps cannot write a number beyond float range: the body is written by hand.
    if field == "territory":
        body = '{"name": "X", "kind": "ngo", "territory": 1e400}'
    else:
        body = f'{{"name": "X", "kind": "ngo", "territory": {municipality.pk}, "thematic_areas": [1e400]}}'

    response = as_user(user).post(ORGANIZATIONS_URL, data=body, content_type="application/json")

    assert_json_error(response, 400)


def test_garbage_in_a_patch_changes_nothing(representative, organization):
    response = as_user(representative).patch(
        f"{ORGANIZATIONS_URL}{organization.pk}/",
        {"name": "Nowa nazwa", "latitude": "abc", "longitude": "1"}, format="json",
    )

    assert assert_json_error(response, 400)["latitude"]
    organization.refresh_from_db()
    assert organization.name != "Nowa nazwa"


# --- garbage in query strings and paths -------------------------------------------------------------------------------


QUERY_GARBAGE = [
    ("/api/v1/organizations/", {"territory": "x"}),
    ("/api/v1/organizations/", {"territory": "1e400"}),
    ("/api/v1/organizations/", {"thematic_area": "-1"}),
    ("/api/v1/organizations/", {"kind": "spaceship"}),
    ("/api/v1/organizations/", {"verified": "maybe"}),
    ("/api/v1/organizations/", {"ordering": "password"}),
    ("/api/v1/organizations/", {"search": "a\x00b"}),
    ("/api/v1/territories/", {"within": "x"}),
    ("/api/v1/territories/", {"level": "galaxy"}),
    ("/api/v1/territories/", {"parent": "99999999999999999999"}),
    ("/api/v1/thematic-areas/", {"scheme": "astrology"}),
    ("/api/v1/plenipotentiaries/", {"public_body": "abc"}),
]


@pytest.mark.parametrize(("url", "params"), QUERY_GARBAGE, ids=[f"{u.split('/')[3]}-{p}" for u, p in QUERY_GARBAGE])
def test_garbage_filter_gives_400_json(anonymous, region, url, params):
    body = assert_json_error(anonymous.get(url, params), 400)

    assert set(params) & set(body), body


@pytest.mark.parametrize(
    "url",
    ["/api/v1/organizations/abc/", "/api/v1/organizations/99999999999999999999999/",
     "/api/v1/territories/-1/", "/api/v1/plenipotentiaries/1e400/", "/api/v1/no-such-collection/"],
)
def test_unknown_object_gives_404(anonymous, db, url):
    assert anonymous.get(url).status_code == 404


@pytest.mark.parametrize(("params"), [{"page": "abc"}, {"page": "0"}, {"page": "-1"}, {"page": "99999999999999999999"}])
def test_bad_page_number_gives_404_json(anonymous, db, params):
    assert_json_error(anonymous.get(ORGANIZATIONS_URL, params), 404)


@pytest.mark.parametrize("page_size", ["abc", "-5", "0", "1e400", "99999999999999999999"])
def test_bad_page_size_falls_back_to_a_bounded_page(anonymous, municipality, page_size):
    from tests.directory.factories import OrganizationFactory

    OrganizationFactory.create_batch(3, territory=municipality)

    response = anonymous.get(ORGANIZATIONS_URL, {"page_size": page_size})

    assert response.status_code == 200
    assert len(response.json()["results"]) <= 100


def test_plenipotentiary_search_with_a_null_character_is_not_a_server_error(anonymous, db):
    # PostgreSQL refuses NUL in string literals; a raw query parameter must not reach it unchecked.
    response = anonymous.get("/api/v1/plenipotentiaries/", {"search": "a\x00b"})

    assert response.status_code < 500


# --- whatever the input, never a 500 -------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)
ORGANIZATION_FIELDS = ["name", "kind", "legal_form", "registry_type", "registry_number", "territory", "latitude",
                       "longitude", "thematic_areas", "founding_year", "website", "email", "description"]


@hypothesis_settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=st.dictionaries(st.sampled_from(ORGANIZATION_FIELDS), json_values, max_size=8))
def test_any_json_object_posted_gets_an_answer_below_500(user, payload):
    response = as_user(user).post(ORGANIZATIONS_URL, payload, format="json")

    assert response.status_code < 500, (payload, response.content[:300])
    assert response["Content-Type"].startswith("application/json")


query_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)


@hypothesis_settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    url=st.sampled_from(["/api/v1/organizations/", "/api/v1/territories/", "/api/v1/thematic-areas/",
                         "/api/v1/plenipotentiaries/"]),
    params=st.dictionaries(
        st.sampled_from(["search", "territory", "kind", "thematic_area", "verified", "within", "level", "scheme",
                         "public_body", "page", "page_size", "ordering"]),
        query_text, max_size=4,
    ),
)
def test_any_query_string_gets_an_answer_below_500(db, url, params):
    response = APIClient(raise_request_exception=False).get(url, params)

    assert response.status_code < 500, (url, params, response.content[:300])
