"""The OpenAPI 3 document at /api/v1/schema/ and the Swagger UI at /api/v1/docs/, served without a CDN."""

import json
import re
from html.parser import HTMLParser

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/v1/schema/"
DOCS_URL = "/api/v1/docs/"
SWAGGER_UI = "/static/vendor/swagger-ui/"
CONTRACT_PATHS = [
    "/api/v1/organizations/",
    "/api/v1/organizations/{id}/",
    "/api/v1/territories/",
    "/api/v1/thematic-areas/",
    "/api/v1/plenipotentiaries/",
    "/api/v1/auth/token/",
    "/api/v1/me/",
]


@pytest.fixture
def schema(client):
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    return yaml.safe_load(response.content)


class _Assets(HTMLParser):
    """Every URL the page loads or links to: src and href attributes."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def assets_of(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


# --- the document ----------------------------------------------------------------------------------


def test_schema_is_served_as_openapi_yaml(client):
    response = client.get(SCHEMA_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")


def test_schema_is_an_openapi_3_document(schema):
    assert str(schema["openapi"]).startswith("3.")
    assert schema["info"]["title"]
    assert schema["info"]["version"]


def test_schema_passes_openapi_3_validation(schema):
    validate_schema(schema)  # raises on a document that breaks the OpenAPI 3 JSON schema


def test_schema_is_also_served_as_json(client):
    response = client.get(SCHEMA_URL, {"format": "json"})

    assert response.status_code == 200
    assert json.loads(response.content)["openapi"].startswith("3.")


@pytest.mark.parametrize("path", CONTRACT_PATHS)
def test_schema_describes_the_contract_paths(schema, path):
    assert path in schema["paths"]


def test_schema_describes_organization_writes(schema):
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/organizations/"])
    assert {"get", "put", "patch", "delete"} <= set(schema["paths"]["/api/v1/organizations/{id}/"])


def test_schema_describes_reference_data_as_read_only(schema):
    for path in ("/api/v1/territories/", "/api/v1/thematic-areas/"):
        assert set(schema["paths"][path]) == {"get"}


def test_schema_documents_list_parameters(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/organizations/"]["get"]["parameters"]}

    assert {"page", "page_size", "search", "kind", "territory", "thematic_area", "verified"} <= names


def test_schema_documents_the_paginated_list_shape(schema):
    response = schema["paths"]["/api/v1/organizations/"]["get"]["responses"]["200"]
    reference = response["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]

    assert {"count", "next", "previous", "results"} <= set(component["properties"])


def test_schema_documents_token_authentication(schema):
    schemes = schema["components"]["securitySchemes"]

    assert any(s.get("type") == "apiKey" and s.get("name") == "Authorization" for s in schemes.values())


def test_schema_documents_me(schema):
    me = schema["paths"]["/api/v1/me/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    component = schema["components"]["schemas"][me["$ref"].rsplit("/", 1)[1]]

    assert set(component["properties"]) == {"username", "roles", "organizations"}


def test_schema_generation_gives_no_warnings(tmp_path):
    # Each warning is a place where the published document guesses (e.g. a filter's type).
    GENERATOR_STATS.reset()

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


# --- the documentation page ----------------------------------------------------------------------------


def test_docs_page_is_html(client):
    response = client.get(DOCS_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_docs_page_loads_swagger_ui_from_the_apps_own_static_files(client):
    html = client.get(DOCS_URL).content.decode()

    assets = assets_of(html)
    assert f"{SWAGGER_UI}swagger-ui-bundle.js" in assets
    assert f"{SWAGGER_UI}swagger-ui.css" in assets


def test_docs_page_loads_nothing_from_another_host(client):
    html = client.get(DOCS_URL).content.decode()

    foreign = [url for url in assets_of(html) if re.match(r"^(https?:)?//", url)]
    assert foreign == []
    assert not re.search(r"cdn\.jsdelivr|unpkg\.com|cdnjs|googleapis", html)


def test_docs_script_points_at_the_schema_and_no_other_host(client):
    html = client.get(DOCS_URL).content.decode()
    script_url = next(url for url in assets_of(html) if url.startswith(DOCS_URL))

    script = client.get(script_url)

    assert script.status_code == 200
    content = script.content.decode()
    assert SCHEMA_URL in content
    assert not re.search(r"https?://", content)


@pytest.mark.parametrize("asset", ["swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"])
def test_swagger_ui_assets_are_served_by_the_app(client, asset):
    response = client.get(f"{SWAGGER_UI}{asset}")

    assert response.status_code == 200


def test_nothing_is_described_by_the_project_base_classes_docstrings(schema):
    """drf-spectacular describes a serializer or an operation by the first docstring along its
    class's bases: the shared bases explain the code (how a serializer's fields are built, that
    ``create`` answers a repeat with 200), which said nothing true of a list's GET."""
    import inspect

    from civicbridge.core.api_duplicates import RepeatAwareCreateMixin
    from civicbridge.core.serializers import FieldsBuiltOnce, ModelSerializer

    internal = {inspect.cleandoc(cls.__doc__) for cls in (FieldsBuiltOnce, ModelSerializer, RepeatAwareCreateMixin)}
    components = {
        name: component.get("description", "") for name, component in schema["components"]["schemas"].items()
    }
    operations = {
        f"{method} {path}": operation.get("description", "")
        for path, item in schema["paths"].items() for method, operation in item.items() if isinstance(operation, dict)
    }
    assert {"Call", "Organization", "PartnerRequest", "Subscription"} <= set(components)
    assert not [name for name, text in components.items() if text.strip() in internal]
    assert not [name for name, text in operations.items() if text.strip() in internal]
    # The creations that answer a repeat with 200 say so themselves.
    for path in ("/api/v1/organizations/", "/api/v1/calls/", "/api/v1/partner-requests/", "/api/v1/plenipotentiaries/"):
        creation = schema["paths"][path]["post"]
        assert {"200", "201"} <= set(creation["responses"]) and "creates nothing new" in creation["description"]


def test_every_operation_has_a_summary(schema):
    """The documentation's list of operations reads by its summaries: one without shows only its
    method and path. An app's new operation needs one (``extend_schema(summary=...)``)."""
    unnamed = [
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items() for method, operation in item.items()
        if isinstance(operation, dict) and not operation.get("summary", "").strip()
    ]
    assert unnamed == []


def test_every_query_parameter_is_described(schema):
    """Each filter says what it is, as the page's form labels it (drf-spectacular dropped it
    where a filter's type was given by hand: every territory filter had no description)."""
    bare = [
        f"{method.upper()} {path} ?{parameter['name']}"
        for path, item in schema["paths"].items() for method, operation in item.items() if isinstance(operation, dict)
        for parameter in operation.get("parameters", [])
        if "$ref" not in parameter and parameter.get("in") == "query" and not parameter.get("description", "").strip()
    ]
    assert bare == []
    territory = next(
        parameter for parameter in schema["paths"]["/api/v1/organizations/"]["get"]["parameters"]
        if parameter.get("name") == "territory"
    )
    assert territory["description"] == "Territory (with its sub-units)"


def test_the_document_is_in_english_whatever_the_clients_language(client):
    """Operations are described in the code's English: the filters' labels and the choices'
    names must not come in another language among them."""
    english = client.get(SCHEMA_URL, {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en")
    descriptions = {
        parameter["name"]: parameter.get("description")
        for parameter in json.loads(english.content)["paths"]["/api/v1/calls/"]["get"]["parameters"]
    }
    assert descriptions["amount_max"] == "Grants of at most"

    for headers, query in [({"HTTP_ACCEPT_LANGUAGE": "pl"}, {}), ({"HTTP_ACCEPT_LANGUAGE": "tr"}, {}), ({}, {"lang": "pl"})]:
        other = client.get(SCHEMA_URL, {"format": "json", **query}, **headers)
        assert other.status_code == 200
        assert other["Content-Language"] == "en"
        assert other.content == english.content, (headers, query)
