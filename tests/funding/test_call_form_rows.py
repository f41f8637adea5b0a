"""The call form's deadline rows and its countries chosen by name and by group."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.utils import translation

from civicbridge.core.countries import EU_MEMBER_STATES
from civicbridge.funding import services
from civicbridge.funding.forms import MAX_DEADLINES, CallForm
from civicbridge.funding.models import Call
from tests.funding.call_form_data import deadline_rows
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

OPENS = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def warsaw_programme():
    return ProgrammeFactory(funder=FunderFactory(time_zone="Europe/Warsaw"))


def _data(programme, *rows, deadline_model="single_stage", initial=0, removed=(), **fields):
    data = {
        "identifier": "OPOLSKIE-2027-OKO-KULTURA", "title": "Kultura 2027", "programme": programme.pk,
        "deadline_model": deadline_model, "currency": "PLN",
        **deadline_rows(*rows, initial=initial, removed=removed),
    }
    data.update(fields)
    return data


# --- rows -------------------------------------------------------------------------------------------


def test_a_new_call_form_offers_empty_rows_and_no_numbered_deadline_fields():
    form = CallForm()

    assert len(form.deadline_rows.forms) == 3
    assert all(row.is_empty() for row in form.deadline_rows.forms)
    assert not [name for name in form.fields if name.startswith("deadline_") and name != "deadline_model"]


def test_two_rows_make_a_two_stage_calls_deadlines_in_order_on_the_funders_clock(warsaw_programme):
    form = CallForm(_data(
        warsaw_programme, ("2027-02-10", "17:00"), ("2027-09-15", "17:00"), ("", ""), deadline_model="two_stage",
    ))

    assert form.is_valid(), (form.errors, form.deadline_rows.errors)
    assert form.cleaned_data["deadlines"] == [
        datetime(2027, 2, 10, 16, 0, tzinfo=UTC), datetime(2027, 9, 15, 15, 0, tzinfo=UTC),
    ]


def test_a_row_added_by_the_script_beyond_the_spare_ones_is_read(warsaw_programme):
    rows = [("", "")] * 3 + [("2027-05-04", "12:00")]

    form = CallForm(_data(warsaw_programme, *rows))

    assert form.is_valid(), form.deadline_rows.errors
    assert form.cleaned_data["deadlines"] == [datetime(2027, 5, 4, 10, 0, tzinfo=UTC)]


def test_a_removed_row_is_left_out(warsaw_programme):
    form = CallForm(_data(warsaw_programme, ("2027-01-15", "15:30"), ("2027-02-15", "15:30"), removed=(1,)))

    assert form.is_valid(), form.deadline_rows.errors
    assert form.cleaned_data["deadlines"] == [datetime(2027, 1, 15, 14, 30, tzinfo=UTC)]


def test_more_rows_than_the_limit_are_refused_with_a_message(warsaw_programme):
    rows = [(f"2027-0{month}-15", "15:30") for month in range(1, MAX_DEADLINES + 2)]

    form = CallForm(_data(warsaw_programme, *rows, deadline_model="multiple_cut_off"))

    assert not form.is_valid()
    assert form.deadline_rows.non_form_errors()


def test_a_time_the_clocks_skip_is_refused_on_its_row(warsaw_programme):
    form = CallForm(_data(warsaw_programme, ("2027-01-15", "15:30"), ("2027-03-28", "02:30"), deadline_model="two_stage"))

    assert not form.is_valid()
    assert "does not exist" in str(form.deadline_rows.forms[1].errors["time"])
    assert not form.deadline_rows.forms[0].errors


def test_a_time_that_happens_twice_is_taken_at_its_first_occurrence_in_a_row(warsaw_programme):
    form = CallForm(_data(warsaw_programme, ("2026-10-25", "02:30")))

    assert form.is_valid(), form.deadline_rows.errors
    assert form.cleaned_data["deadlines"] == [datetime(2026, 10, 25, 0, 30, tzinfo=UTC)]


def test_a_date_without_a_time_asks_for_the_time(warsaw_programme):
    form = CallForm(_data(warsaw_programme, ("2027-01-15", "")))

    assert not form.is_valid()
    assert form.deadline_rows.forms[0].errors["time"] == ["Give the deadline's time too."]


def test_the_deadline_models_rule_is_shown_above_the_rows(client, officer, warsaw_programme):
    client.force_login(officer)

    response = client.post("/en/calls/new/", _data(warsaw_programme, ("2027-01-15", "15:30"), deadline_model="two_stage"))

    page = response.content.decode()
    assert 'id="deadlines_errors"' in page and "exactly two deadlines" in page
    assert 'href="#deadlines"' in page  # the summary leads to the rows
    assert not Call.objects.exists()


def test_a_rows_mistake_is_listed_in_the_summary_with_a_link_to_its_field(client, officer, warsaw_programme):
    client.force_login(officer)

    response = client.post("/en/calls/new/", _data(warsaw_programme, ("2027-03-28", "02:30")))

    page = response.content.decode()
    assert 'href="#id_deadlines-0-time"' in page
    assert "does not exist" in page
    assert not Call.objects.exists()


def test_the_edit_form_shows_each_deadline_as_a_row_on_the_funders_clock(client, officer, warsaw_programme):
    call = CallFactory(
        programme=warsaw_programme, deadline_model=Call.DeadlineModel.TWO_STAGE, opens_at=OPENS, created_by=officer,
        deadlines=[datetime(2027, 2, 10, 16, 0, tzinfo=UTC), datetime(2027, 9, 15, 15, 0, tzinfo=UTC)],
    )
    client.force_login(officer)

    response = client.get(f"/en/calls/{call.identifier}/edit/")

    rows = response.context["form"].deadline_rows
    assert [(str(r.initial.get("date")), str(r.initial.get("time"))) for r in rows.forms[:2]] == [
        ("2027-02-10", "17:00:00"), ("2027-09-15", "17:00:00"),
    ]
    assert all(row.is_empty() for row in rows.forms[2:])
    page = response.content.decode()
    assert 'value="2027-09-15"' in page and 'name="deadlines-INITIAL_FORMS" value="2"' in page


def test_editing_hands_the_service_the_rows_deadlines_and_a_removed_one_goes(client, officer, warsaw_programme):
    call = CallFactory(
        identifier="OPOLSKIE-2027-OKO-KULTURA", programme=warsaw_programme, created_by=officer, opens_at=OPENS,
        deadline_model=Call.DeadlineModel.MULTIPLE_CUT_OFF,
        deadlines=[datetime(2027, 2, 10, 16, 0, tzinfo=UTC), datetime(2027, 9, 15, 15, 0, tzinfo=UTC)],
    )
    client.force_login(officer)
    data = _data(
        warsaw_programme, ("2027-02-10", "17:00"), ("2027-09-15", "17:00"), ("2027-12-01", "12:00"),
        deadline_model="multiple_cut_off", initial=2, removed=(0,),
    )

    with mock.patch.object(services, "update_call", wraps=services.update_call) as update_call:
        response = client.post(f"/en/calls/{call.identifier}/edit/", data)

    assert response.status_code == 302
    expected = [datetime(2027, 9, 15, 15, 0, tzinfo=UTC), datetime(2027, 12, 1, 11, 0, tzinfo=UTC)]
    assert update_call.call_args.kwargs["deadlines"] == expected
    assert [d.deadline_at for d in call.deadlines.order_by("stage")] == expected


# --- countries ----------------------------------------------------------------------------------------


def test_the_eu_group_stores_the_27_member_states_as_codes(client, officer, warsaw_programme):
    client.force_login(officer)
    data = _data(warsaw_programme, ("2027-01-15", "15:30"), eligible_countries_group=["eu"], eligible_countries=["TR"])

    response = client.post("/en/calls/new/", data)

    assert response.status_code == 302
    codes = Call.objects.get().eligible_countries.split(",")
    assert len(EU_MEMBER_STATES) == 27
    assert sorted(codes) == sorted([*EU_MEMBER_STATES, "TR"])


def test_countries_are_chosen_by_name_in_the_pages_language(client, officer):
    client.force_login(officer)

    polish = client.get("/pl/calls/new/").content.decode()
    turkish = client.get("/tr/calls/new/").content.decode()

    assert 'value="DE"' in polish and "Niemcy" in polish and "Wszystkie państwa członkowskie UE" in polish
    assert "Almanya" in turkish and "Tüm AB üyesi ülkeler" in turkish
    assert 'placeholder="PL, TR"' not in polish


def test_a_code_the_list_does_not_name_is_kept_when_the_call_is_saved(client, officer, warsaw_programme):
    call = CallFactory(identifier="OPOLSKIE-2027-OKO-KULTURA", programme=warsaw_programme, created_by=officer,
                       eligible_countries="PL,US")
    client.force_login(officer)

    form = client.get(f"/en/calls/{call.identifier}/edit/").context["form"]

    assert form.initial["eligible_countries"] == ["PL", "US"]
    assert ("US", "US") in form.fields["eligible_countries"].choices


def test_the_call_page_names_its_countries(client):
    call = CallFactory(eligible_countries="DE,TR")

    with translation.override("pl"):
        page = client.get(f"/pl/calls/{call.identifier}/").content.decode()

    assert "Niemcy, Turcja" in page
