"""Imports of calls stop at their bounds: records, nesting depth, field length, the budget's shape.

A refused file is a clear message on the form and changes nothing; a bad budgetOverview is an
error on its row, never a server error.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicbridge.funding import imports
from civicbridge.funding.models import Call, Funder
from tests.funding.factories import FunderFactory, ProgrammeFactory
from tests.funding.test_imports import _csv, _row, _run

pytestmark = pytest.mark.django_db

IMPORT_URL = "/en/calls/import/"


@pytest.fixture
def programmes():
    commission = FunderFactory(name="European Commission", kind=Funder.Kind.EU)
    return {"CERV": ProgrammeFactory(funder=commission, code="CERV", name="Citizens, Equality, Rights and Values")}


def _record(identifier="CERV-2027-CITIZENS-TOWN-TT", **values) -> dict:
    return {
        "identifier": identifier, "title": "Town-twinning", "frameworkProgramme": "CERV",
        "deadlineDate": ["2027-03-02T17:00:00+01:00"], **values,
    }


def _upload(client, name, content, language="en"):
    url = IMPORT_URL.replace("/en/", f"/{language}/")
    return client.post(url, {"file": SimpleUploadedFile(name, content), "mode": "import"})


def _file_errors(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["file"])


# --- nesting depth ----------------------------------------------------------------------------------------


def test_json_nested_ten_thousand_levels_deep_is_refused_with_a_clear_message(coordinator, programmes):
    content = b"[" * 10_000 + b"]" * 10_000

    with pytest.raises(imports.ImportFileError) as refused:
        _run(coordinator, content, name="deep.json")

    assert str(refused.value) == "The JSON is nested more than 32 levels deep."


def test_deep_json_on_the_import_page_is_a_form_error_and_writes_nothing(client, coordinator, programmes):
    client.force_login(coordinator)
    content = b'[{"identifier": "X-1", "title": ' + b'{"a": ' * 10_000 + b"1" + b"}" * 10_000 + b"}]"

    response = _upload(client, "deep.json", content)

    assert "nested more than 32 levels" in _file_errors(response)
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("pl", "JSON ma więcej niż 32 poziomów zagnieżdżenia."), ("tr", "JSON, 32 düzeyden daha derin")],
)
def test_deep_json_is_explained_in_the_users_language(client, coordinator, programmes, language, expected):
    client.force_login(coordinator)

    response = _upload(client, "deep.json", b"[" * 10_000 + b"]" * 10_000, language=language)

    assert expected in _file_errors(response)


def test_brackets_inside_strings_do_not_count_as_nesting(coordinator, programmes):
    record = _record(summary="[[[[" * 100 + '{"quoted": "\\"[["}' + "]]]]" * 100)

    report = _run(coordinator, json.dumps([record]).encode(), name="calls.json")

    assert report.ok, report.errors
    assert Call.objects.get().summary.startswith("[[[[")


def test_a_budget_overview_nested_too_deeply_is_an_error_on_its_row(coordinator, programmes):
    content = _csv(_row(budgetOverview="[" * 10_000 + "]" * 10_000))

    report = _run(coordinator, content)

    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "budgetOverview", "The JSON is nested more than 32 levels deep.")
    ]
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    "overview",
    [
        "[1, 2]",
        '{"budgetTopicActionMap": [1]}',
        '{"budgetTopicActionMap": {"1": 5}}',
        '{"budgetTopicActionMap": {"1": ["x"]}}',
        '{"budgetTopicActionMap": {"1": [{"action": "CERV", "budgetYearMap": [1]}]}}',
        '{"budgetTopicActionMap": {"1": [{"action": "CERV", "budgetYearMap": {"2027": {"a": 1}}}]}}',
        '{"budgetTopicActionMap": {"1": [{"action": "CERV", "maxContribution": "NaN"}]}}',
        '{"budgetTopicActionMap": {"1": [{"action": "CERV", "minContribution": "Infinity"}]}}',
    ],
    ids=["a-list", "map-is-a-list", "group-is-a-number", "action-is-text", "years-are-a-list",
         "amount-is-an-object", "nan", "infinity"],
)
def test_a_budget_overview_of_another_shape_is_an_error_on_its_row(coordinator, programmes, overview):
    report = _run(coordinator, _csv(_row(budgetOverview=overview)))

    assert [(e.row, e.column) for e in report.errors] == [(2, "budgetOverview")]
    assert not Call.objects.exists()


def test_a_json_number_with_more_digits_than_python_converts_is_invalid_json(coordinator, programmes):
    content = b'[{"identifier": ' + b"9" * 10_000 + b"}]"

    with pytest.raises(imports.ImportFileError, match="not valid JSON"):
        _run(coordinator, content, name="calls.json")


# --- number of records ----------------------------------------------------------------------------------------


def _identifiers(count: int) -> list[str]:
    return [f"CERV-2027-TOPIC-{n}" for n in range(count)]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_file_at_the_call_limit_is_imported(coordinator, programmes, settings, fmt):
    settings.CIVICBRIDGE_IMPORT_MAX_CALLS = 3
    identifiers = _identifiers(3)
    if fmt == "csv":
        content = _csv(*(_row(identifier=i) for i in identifiers))
    else:
        content = json.dumps([_record(i) for i in identifiers]).encode()

    report = _run(coordinator, content, name=f"calls.{fmt}")

    assert report.ok, report.errors
    assert sorted(Call.objects.values_list("identifier", flat=True)) == identifiers


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_one_call_over_the_limit_is_refused_and_writes_nothing(coordinator, programmes, settings, fmt):
    settings.CIVICBRIDGE_IMPORT_MAX_CALLS = 3
    identifiers = _identifiers(4)
    if fmt == "csv":
        content = _csv(*(_row(identifier=i) for i in identifiers))
    else:
        content = json.dumps([_record(i) for i in identifiers]).encode()

    with pytest.raises(imports.ImportFileError, match=r"(?i)at most 3 "):
        _run(coordinator, content, name=f"calls.{fmt}")

    assert not Call.objects.exists()


def test_a_csv_with_a_million_rows_is_refused_quickly(coordinator, programmes):
    content = _csv(_row()) + b"X-1,Title\r\n" * 1_000_000

    with pytest.raises(imports.ImportFileError, match="at most 5000 rows"):
        _run(coordinator, content)



# --- field length ---------------------------------------------------------------------------------------------------


def test_an_overlong_json_string_is_refused_with_its_record_and_field(coordinator, programmes):
    content = json.dumps([_record(), _record("CERV-2", summary="x" * 40_000)]).encode()

    with pytest.raises(imports.ImportFileError) as refused:
        _run(coordinator, content, name="calls.json")

    assert str(refused.value) == "Record 2: summary holds more than 32767 characters."


def test_a_long_field_the_site_ignores_does_not_refuse_the_file(coordinator, programmes):
    # The portal's answer carries fields this site does not keep (its HTML description, say).
    content = json.dumps([_record(descriptionByte="x" * 40_000)]).encode()

    report = _run(coordinator, content, name="calls.json")

    assert report.ok, report.errors
    assert report.ignored_columns == ["descriptionByte"]


def test_an_overlong_csv_field_is_refused_with_its_row_and_column(coordinator, programmes):
    with pytest.raises(imports.ImportFileError, match="Row 2, column 2 holds more than 32767 characters"):
        _run(coordinator, _csv(_row(title="x" * 40_000)))
