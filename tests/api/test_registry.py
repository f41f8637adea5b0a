"""The API serves what apps register in core.registry; no domain app imports the API package."""

import ast
from pathlib import Path

import pytest
import yaml
from django.apps import apps

from civicbridge.core.registry import api_collections, api_paths

SRC = Path(__file__).resolve().parents[2] / "src" / "civicbridge"
DOMAIN_APPS = sorted(
    config.name.rsplit(".", 1)[1]
    for config in apps.get_app_configs()
    if config.name.startswith("civicbridge.") and config.name not in ("civicbridge.core", "civicbridge.api", "civicbridge.demo")
)


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_no_domain_app_imports_the_api_package():
    offenders = [
        str(path.relative_to(SRC))
        for app in DOMAIN_APPS
        for path in (SRC / app).rglob("*.py")
        if any(m == "civicbridge.api" or m.startswith("civicbridge.api.") for m in imported_modules(path))
    ]
    assert offenders == []


def test_the_api_package_names_no_domain_app():
    offenders = [
        (str(path.relative_to(SRC)), module)
        for path in (SRC / "api").rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[:2] in ([["civicbridge", app] for app in DOMAIN_APPS])
    ]
    assert offenders == []


def test_every_contract_collection_is_registered():
    prefixes = {collection.prefix for collection in api_collections}
    assert {"territories", "thematic-areas", "organizations", "plenipotentiaries", "funders", "calls",
            "partner-requests", "events", "support-requests"} <= prefixes
    assert {entry.route for entry in api_paths} >= {"auth/token/", "me/"}


@pytest.mark.django_db
def test_every_registered_collection_and_path_is_in_the_schema(client):
    paths = yaml.safe_load(client.get("/api/v1/schema/").content)["paths"]

    for collection in api_collections:
        assert f"/api/v1/{collection.prefix}/" in paths
    for entry in api_paths:
        assert f"/api/v1/{entry.route}" in paths


@pytest.mark.django_db
def test_a_registered_collection_answers_at_its_prefix(client):
    response = client.get("/api/v1/territories/")

    assert response.status_code == 200
    assert "results" in response.json()
