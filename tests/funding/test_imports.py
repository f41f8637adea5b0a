"""Import of calls with the EU portal's field names: CSV and JSON, dry run, re-import, all-or-nothing."""

import csv
import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from civicbridge.funding import imports
from civicbridge.funding.models import Call, Funder
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "identifier", "title", "status", "startDate", "deadlineDate", "deadlineModel", "typesOfAction",
    "frameworkProgramme", "programmePeriod", "keywords", "budgetOverview",
]
BUDGET = json.dumps({
    "budgetYearsColumns": ["2027"],
    "budgetTopicActionMap": {"1": [{
        "action": "CERV-2027-CITIZENS-TOWN-TT - CERV Project Grants", "expectedGrants": 50,
        "minContribution": 10000, "maxContribution": 60000, "budgetYearMap": {"2027": "4000000"},
    }]},
})


@pytest.fixture
def programmes():
    commission = FunderFactory(name="European Commission", kind=Funder.Kind.EU)
    national_agency = FunderFactory(name="Türkiye Ulusal Ajansı", kind=Funder.Kind.NATIONAL_AGENCY)
    return {
        "CERV": ProgrammeFactory(funder=commission, code="CERV", name="Citizens, Equality, Rights and Values"),
        "HORIZON": ProgrammeFactory(funder=commission, code="HORIZON", name="Horizon Europe"),
        "ERASMUS": ProgrammeFactory(funder=commission, code="ERASMUS", name="Erasmus+"),
        "ERASMUS-NA": ProgrammeFactory(funder=national_agency, code="ERASMUS", name="Erasmus+ (decentralised)"),
    }


def _row(**values):
    row = {
        "identifier": "CERV-2027-CITIZENS-TOWN-TT", "title": "Town-twinning", "status": "31094502",
        "startDate": "2026-11-10T00:00:00.000+0000", "deadlineDate": "2027-03-02T17:00:00+01:00",
        "deadlineModel": "single-stage", "typesOfAction": "CERV Project Grants", "frameworkProgramme": "CERV",
        "programmePeriod": "2021 - 2027", "keywords": "town twinning;citizens", "budgetOverview": BUDGET,
    }
    row.update(values)
    return row


def _csv(*rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADERS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


def _run(user, content: bytes, *, name="calls.csv", dry_run=False, publish=False):
    return imports.import_calls(by=user, name=name, content=content, dry_run=dry_run, publish=publish)


# --- CSV --------------------------------------------------------------------------------------------


def test_a_csv_with_the_portals_field_names_creates_the_call(coordinator, programmes):
    report = _run(coordinator, _csv(_row()))

    assert report.ok and report.written and report.created == 1
    call = Call.objects.get()
    assert call.programme == programmes["CERV"]
    assert call.deadline_model == Call.DeadlineModel.SINGLE_STAGE
    assert call.closes_at == datetime(2027, 3, 2, 16, 0, tzinfo=UTC)
    # The portal's day: midnight in Brussels, 23:00 UTC the evening before.
    assert call.opens_at == datetime(2026, 11, 9, 23, 0, tzinfo=UTC)
    assert (call.total_budget, call.min_grant, call.max_grant) == (Decimal("4000000"), Decimal("10000"), Decimal("60000"))
    assert call.type_of_action == "CERV Project Grants"
    assert "*Keywords:* town twinning, citizens" in call.summary
    assert call.status_from_source == ""  # the portal agrees with the dates
    assert call.published_at is None


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(coordinator, programmes):
    report = _run(coordinator, _csv(_row(), _row(identifier="CERV-2027-CITIZENS-TOWN-NT")), dry_run=True)

    assert report.ok and not report.written
    assert [(r.identifier, r.action) for r in report.rows] == [
        ("CERV-2027-CITIZENS-TOWN-TT", "create"), ("CERV-2027-CITIZENS-TOWN-NT", "create"),
    ]
    assert not Call.objects.exists()


def test_importing_the_same_file_again_changes_nothing(coordinator, programmes):
    content = _csv(_row())
    _run(coordinator, content)

    again = _run(coordinator, content)

    assert [r.action for r in again.rows] == ["unchanged"]
    assert Call.objects.count() == 1


def test_re_importing_a_changed_row_updates_the_call_and_never_duplicates(coordinator, programmes):
    _run(coordinator, _csv(_row()), publish=True)

    report = _run(coordinator, _csv(_row(title="Town twinning 2027", deadlineDate="2027-03-09T17:00:00+01:00")))

    assert [r.action for r in report.rows] == ["update"]
    call = Call.objects.get()
    assert call.title == "Town twinning 2027"
    assert call.closes_at == datetime(2027, 3, 9, 16, 0, tzinfo=UTC)
    assert call.deadlines_revision == 1  # published, and its deadline moved


def test_one_bad_row_writes_nothing(coordinator, programmes):
    content = _csv(_row(), _row(identifier="CERV-2027-BAD", deadlineDate="next spring"))

    report = _run(coordinator, content)

    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(3, "deadlineDate")]
    assert not Call.objects.exists()


def test_the_same_identifier_twice_in_one_file_is_an_error(coordinator, programmes):
    report = _run(coordinator, _csv(_row(), _row()))

    assert [(e.row, e.column) for e in report.errors] == [(3, "identifier")]
    assert not Call.objects.exists()


def test_a_two_stage_topic_with_two_deadlines_separated_by_semicolons(coordinator, programmes):
    row = _row(
        identifier="HORIZON-CL2-2027-01-DEMOCRACY-03-two-stage", frameworkProgramme="43108390", deadlineModel="",
        deadlineDate="2027-02-10T17:00:00+01:00; 2027-09-15T17:00:00+02:00", budgetOverview="",
    )

    report = _run(coordinator, _csv(row))

    assert report.ok, report.errors
    call = Call.objects.get()
    # The portal's numeric programme code resolves nothing: the identifier's prefix decides.
    assert call.programme == programmes["HORIZON"]
    assert call.deadline_model == Call.DeadlineModel.TWO_STAGE
    assert [d.deadline_at for d in call.deadlines.order_by("stage")] == [
        datetime(2027, 2, 10, 16, 0, tzinfo=UTC), datetime(2027, 9, 15, 15, 0, tzinfo=UTC),
    ]


def test_the_eus_programme_wins_over_a_national_agencys_of_the_same_code(coordinator, programmes):
    report = _run(coordinator, _csv(_row(identifier="ERASMUS-EDU-2027-PI-ALL-INNO", frameworkProgramme="ERASMUS")))

    assert report.ok
    assert Call.objects.get().programme == programmes["ERASMUS"]


def test_an_unknown_programme_is_an_error_on_its_field(coordinator, programmes):
    report = _run(coordinator, _csv(_row(identifier="EDF-2027-DA", frameworkProgramme="")))

    assert [(e.row, e.column) for e in report.errors] == [(2, "frameworkProgramme")]


def test_a_deadline_without_a_time_is_17_00_brussels_time_and_says_so(coordinator, programmes):
    report = _run(coordinator, _csv(_row(deadlineDate="2027-03-02")), dry_run=True)

    assert report.ok
    assert "17:00 Brussels time assumed" in " ".join(report.rows[0].notes)
    _run(coordinator, _csv(_row(deadlineDate="2027-03-02")))
    assert Call.objects.get().closes_at == datetime(2027, 3, 2, 16, 0, tzinfo=UTC)


def test_a_naive_time_is_brussels_time_and_a_skipped_hour_is_an_error(coordinator, programmes):
    ok = _run(coordinator, _csv(_row(deadlineDate="2027-07-01 17:00")), dry_run=True)
    skipped = _run(coordinator, _csv(_row(deadlineDate="2027-03-28 02:30")), dry_run=True)

    assert ok.ok
    assert [(e.column, "does not exist" in e.message) for e in skipped.errors] == [("deadlineDate", True)]


def test_a_portal_status_that_disagrees_with_the_dates_is_kept_and_one_that_agrees_is_not(coordinator, programmes):
    rows = [
        _row(identifier="CERV-2027-A", status="31094503"),  # closed early: kept
        _row(identifier="CERV-2027-B", status="31094502"),  # open, as the dates say: not stored
        _row(identifier="CERV-2027-C", status="31094502", startDate="2025-01-01", deadlineDate="2025-03-01"),
    ]

    report = _run(coordinator, _csv(*rows))

    assert report.ok
    stored = dict(Call.objects.values_list("identifier", "status_from_source"))
    # C: the portal says open, but its deadline passed: a passed deadline is not overruled.
    assert stored == {"CERV-2027-A": "closed", "CERV-2027-B": "", "CERV-2027-C": ""}
    assert Call.objects.get(identifier="CERV-2027-A").status() == "closed"


def test_an_unknown_status_code_is_an_error(coordinator, programmes):
    report = _run(coordinator, _csv(_row(status="31094599")), dry_run=True)

    assert [e.column for e in report.errors] == ["status"]


# --- JSON -------------------------------------------------------------------------------------------


def test_the_portals_search_answer_can_be_imported_as_it_is(coordinator, programmes):
    answer = {
        "totalResults": 1,
        "results": [{
            "url": "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/calls-for-proposals",
            "metadata": {
                "identifier": ["CERV-2027-CITIZENS-TOWN-TT"], "title": ["Town-twinning"], "status": ["31094502"],
                "startDate": ["2026-11-10T00:00:00.000+0000"],
                "deadlineDate": ["2027-03-02T00:00:00.000+0000", "2027-09-21T00:00:00.000+0000"],
                "deadlineModel": ["multiple cut-off"], "frameworkProgramme": ["43251567"],
                "programmePeriod": ["2021 - 2027"], "keywords": ["Town twinning"], "budgetOverview": [BUDGET],
                "type": ["1"], "es_SortDate": ["2026-11-10"],
            },
        }],
    }

    report = _run(coordinator, json.dumps(answer).encode(), name="sedia.json")

    assert report.ok, report.errors
    assert report.ignored_columns == ["es_SortDate", "type"]
    call = Call.objects.get()
    assert call.deadline_model == Call.DeadlineModel.MULTIPLE_CUT_OFF
    # The portal's days at midnight UTC are deadlines at 17:00 Brussels time.
    assert [d.deadline_at for d in call.deadlines.order_by("stage")] == [
        datetime(2027, 3, 2, 16, 0, tzinfo=UTC), datetime(2027, 9, 21, 15, 0, tzinfo=UTC),
    ]
    assert call.documents_url.startswith("https://ec.europa.eu/")
    assert call.max_grant == Decimal("60000")


def test_a_plain_json_list_with_an_iso_offset(coordinator, programmes):
    content = json.dumps([{
        "callIdentifier": "CERV-2027-CHAR-LITI", "callTitle": "Strategic litigation",
        "deadlineDate": ["2027-04-15T17:00:00+02:00"], "frameworkProgramme": "CERV", "currency": "EUR",
        "eligibleCountries": ["PL", "DE"], "languages": ["en"],
    }]).encode()

    report = _run(coordinator, content, name="calls.json")

    assert report.ok, report.errors
    call = Call.objects.get()
    assert call.closes_at == datetime(2027, 4, 15, 15, 0, tzinfo=UTC)
    assert (call.eligible_countries, call.languages) == ("PL,DE", "en")


def test_a_file_that_is_not_json_is_refused_as_a_whole(coordinator, programmes):
    with pytest.raises(imports.ImportFileError):
        _run(coordinator, b"{not json", name="calls.json")


def test_a_file_without_identifiers_is_refused_as_a_whole(coordinator, programmes):
    with pytest.raises(imports.ImportFileError):
        _run(coordinator, b"name,kind\nx,y\n")


# --- permissions and publishing --------------------------------------------------------------------


def test_a_citizen_may_not_import(user, programmes):
    with pytest.raises(PermissionDenied):
        _run(user, _csv(_row()))


def test_an_officer_may_not_update_a_call_of_another_body_through_the_import(officer, other_officer, programmes):
    CallFactory(identifier="CERV-2027-CITIZENS-TOWN-TT", programme=programmes["CERV"], created_by=other_officer)

    report = _run(officer, _csv(_row(title="Changed")))

    assert [e.message for e in report.errors] == ["You may not change this call."]
    assert Call.objects.get().title != "Changed"


def test_publishing_new_calls_tells_the_alerts_after_commit_but_a_dry_run_does_not(
    coordinator, programmes, alerts_heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _run(coordinator, _csv(_row()), dry_run=True, publish=True)
    assert alerts_heard == []

    with django_capture_on_commit_callbacks(execute=True):
        _run(coordinator, _csv(_row()), publish=True)

    assert alerts_heard == [("published", "CERV-2027-CITIZENS-TOWN-TT", 0)]
    assert Call.objects.get().published_at <= timezone.now()


# --- the page -----------------------------------------------------------------------------------------


def test_the_import_page_previews_then_imports_on_confirmation(client, coordinator, programmes):
    client.force_login(coordinator)

    check = client.post(
        "/en/calls/import/", {"file": SimpleUploadedFile("calls.csv", _csv(_row())), "mode": "check", "publish": "on"}
    )
    assert "Preview: nothing is written until you confirm" in check.content.decode() and not Call.objects.exists()
    pending = check.context["pending"]

    done = client.post("/en/calls/import/", {"mode": "confirm", "pending": pending.pk}, follow=True)
    assert "Imported: 1 new, 0 updated, 0 unchanged." in done.content.decode()
    assert Call.objects.get().published_at is not None  # the option chosen with the preview


def test_a_file_sent_to_import_at_once_is_written(client, coordinator, programmes):
    client.force_login(coordinator)

    done = client.post(
        "/en/calls/import/", {"file": SimpleUploadedFile("calls.csv", _csv(_row())), "mode": "import", "publish": "on"}
    )
    assert "Import done" in done.content.decode()
    assert Call.objects.get().published_at is not None


def test_the_import_page_refuses_other_file_types(client, coordinator):
    client.force_login(coordinator)

    response = client.post("/en/calls/import/", {"file": SimpleUploadedFile("calls.pdf", b"x"), "mode": "check"})

    assert "Upload a .csv, .xlsx or .json file." in response.content.decode()
