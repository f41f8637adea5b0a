"""The calls' services: who may write, what they refuse, closes_at and the deadline revisions."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicbridge.funding import services
from civicbridge.funding.models import Call, Funder, Programme
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory
from tests.funding.factories import CallFactory, in_days

pytestmark = pytest.mark.django_db

D1 = datetime(2027, 3, 19, 16, 0, tzinfo=UTC)
D2 = datetime(2027, 9, 16, 15, 0, tzinfo=UTC)


def call_data(programme, **overrides):
    data = {
        "identifier": "CERV-2027-CITIZENS-TOWN-TT",
        "title": "Town-twinning",
        "summary": "Meetings of citizens of twinned towns.",
        "programme": programme,
        "deadline_model": Call.DeadlineModel.SINGLE_STAGE,
        "opens_at": datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
        "currency": "EUR",
        "max_grant": Decimal("60000"),
    }
    data.update(overrides)
    return data


# --- create -----------------------------------------------------------------------------------------


def test_an_officer_creates_a_draft_call_with_its_deadline_and_closes_at(officer, programme):
    call = services.create_call(by=officer, data=call_data(programme), deadlines=[D1])

    assert call.published_at is None
    assert call.created_by == officer
    assert call.closes_at == D1
    assert [(d.stage, d.deadline_at) for d in call.deadlines.all()] == [(1, D1)]


def test_a_coordinator_creates_a_call(coordinator, programme):
    call = services.create_call(by=coordinator, data=call_data(programme), deadlines=[D1])

    assert Call.objects.filter(pk=call.pk).exists()


def test_a_citizen_may_not_create_a_call(user, programme):
    with pytest.raises(PermissionDenied):
        services.create_call(by=user, data=call_data(programme), deadlines=[D1])
    assert not Call.objects.exists()


def test_a_representative_of_an_ngo_is_not_an_officer(representative, programme):
    with pytest.raises(PermissionDenied):
        services.create_call(by=representative, data=call_data(programme), deadlines=[D1])


def test_the_search_document_holds_identifier_title_programme_and_funder(officer, programme):
    call = services.create_call(by=officer, data=call_data(programme), deadlines=[D1])

    document = call.search_document.split()
    for word in ("cerv", "twinning", "citizens", programme.funder.name.split()[0].lower()):
        assert word in document


def test_a_taken_identifier_is_refused_on_its_field(officer, programme):
    CallFactory(identifier="CERV-2027-CITIZENS-TOWN-TT")

    with pytest.raises(ValidationError) as error:
        services.create_call(by=officer, data=call_data(programme), deadlines=[D1])

    assert "identifier" in error.value.message_dict
    assert Call.objects.count() == 1


@pytest.mark.parametrize("identifier", ["TR41/26/MDP", "new", "feed", "subscriptions", " -x"])
def test_identifiers_that_cannot_be_an_address_are_refused(officer, programme, identifier):
    with pytest.raises(ValidationError) as error:
        services.create_call(by=officer, data=call_data(programme, identifier=identifier), deadlines=[D1])
    assert "identifier" in error.value.message_dict


def test_a_maximum_grant_below_the_minimum_is_refused(officer, programme):
    data = call_data(programme, min_grant=Decimal("5000"), max_grant=Decimal("1000"))

    with pytest.raises(ValidationError) as error:
        services.create_call(by=officer, data=data, deadlines=[D1])
    assert "max_grant" in error.value.message_dict


def test_a_maximum_grant_above_the_total_budget_is_refused_on_its_field(officer, programme):
    data = call_data(programme, total_budget=Decimal("5000"), max_grant=Decimal("50000"))

    with pytest.raises(ValidationError) as error:
        services.create_call(by=officer, data=data, deadlines=[D1])
    assert error.value.message_dict == {"max_grant": ["The maximum grant cannot be above the total budget."]}
    assert not Call.objects.exists()


def test_a_maximum_grant_equal_to_the_total_budget_or_without_one_is_accepted(officer, programme):
    services.create_call(by=officer, data=call_data(programme, total_budget=Decimal("60000")), deadlines=[D1])
    services.create_call(by=officer, data=call_data(programme, identifier="NO-BUDGET-2027"), deadlines=[D1])

    assert Call.objects.count() == 2


def test_unknown_applicant_kinds_and_bad_country_codes_are_refused(officer, programme):
    with pytest.raises(ValidationError) as kinds:
        services.create_call(by=officer, data=call_data(programme, eligible_kinds="ngo,wizard"), deadlines=[D1])
    with pytest.raises(ValidationError) as countries:
        services.create_call(by=officer, data=call_data(programme, eligible_countries="Poland"), deadlines=[D1])

    assert "eligible_kinds" in kinds.value.message_dict
    assert "eligible_countries" in countries.value.message_dict


def test_codes_are_kept_normalized(officer, programme):
    data = call_data(programme, eligible_kinds=["ngo", "school", "ngo"], eligible_countries=" pl, tr", languages="EN,pl")

    call = services.create_call(by=officer, data=data, deadlines=[D1])

    assert (call.eligible_kinds, call.eligible_countries, call.languages) == ("ngo,school", "PL,TR", "en,pl")


# --- deadline models ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "deadlines"),
    [
        (Call.DeadlineModel.SINGLE_STAGE, []),
        (Call.DeadlineModel.SINGLE_STAGE, [D1, D2]),
        (Call.DeadlineModel.TWO_STAGE, [D1]),
        (Call.DeadlineModel.TWO_STAGE, [D2, D1]),
        (Call.DeadlineModel.TWO_STAGE, [D1, D1]),
        (Call.DeadlineModel.MULTIPLE_CUT_OFF, []),
        (Call.DeadlineModel.MULTIPLE_CUT_OFF, [D1, D1]),
        (Call.DeadlineModel.PERMANENT, [D1]),
    ],
)
def test_deadlines_that_do_not_fit_the_deadline_model_are_refused(officer, programme, model, deadlines):
    with pytest.raises(ValidationError) as error:
        services.create_call(by=officer, data=call_data(programme, deadline_model=model), deadlines=deadlines)

    assert "deadlines" in error.value.message_dict
    assert not Call.objects.exists()


def test_a_two_stage_call_keeps_its_stages_in_order_and_closes_at_its_second_deadline(officer, programme):
    data = call_data(programme, deadline_model=Call.DeadlineModel.TWO_STAGE)

    call = services.create_call(by=officer, data=data, deadlines=[D1, D2])

    assert [(d.stage, d.deadline_at) for d in call.deadlines.order_by("stage")] == [(1, D1), (2, D2)]
    assert call.closes_at == D2


def test_cut_off_dates_are_stored_in_order_whatever_the_order_given(officer, programme):
    data = call_data(programme, deadline_model=Call.DeadlineModel.MULTIPLE_CUT_OFF)

    call = services.create_call(by=officer, data=data, deadlines=[D2, D1])

    assert [d.deadline_at for d in call.deadlines.order_by("stage")] == [D1, D2]
    assert call.closes_at == D2


def test_a_permanent_call_has_no_deadline_and_no_closing_date(officer, programme):
    data = call_data(programme, deadline_model=Call.DeadlineModel.PERMANENT)

    call = services.create_call(by=officer, data=data, deadlines=[])

    assert call.closes_at is None
    assert call.status() == Call.Status.OPEN


def test_a_naive_deadline_is_refused(officer, programme):
    with pytest.raises(ValidationError):
        services.create_call(by=officer, data=call_data(programme), deadlines=[datetime(2027, 3, 19, 17)])


def test_the_call_must_open_before_its_first_deadline(officer, programme):
    data = call_data(programme, opens_at=D1 + timedelta(hours=1))

    with pytest.raises(ValidationError) as error:
        services.create_call(by=officer, data=data, deadlines=[D1])
    assert "opens_at" in error.value.message_dict


# --- set_deadlines and revisions ------------------------------------------------------------------------


def test_moving_a_published_calls_deadline_raises_its_revision_and_tells_the_alerts_after_commit(
    coordinator, alerts_heard, django_capture_on_commit_callbacks
):
    call = CallFactory(deadlines=[in_days(20)])
    new = in_days(40)

    with django_capture_on_commit_callbacks(execute=True):
        services.set_deadlines(call=call, by=coordinator, deadlines=[new])

    call.refresh_from_db()
    assert call.deadlines_revision == 1
    assert call.closes_at == new
    assert alerts_heard == [("deadlines", call.identifier, 1)]


def test_setting_the_same_deadlines_again_changes_nothing(coordinator, alerts_heard, django_capture_on_commit_callbacks):
    moment = in_days(20)
    call = CallFactory(deadlines=[moment])

    with django_capture_on_commit_callbacks(execute=True):
        services.set_deadlines(call=call, by=coordinator, deadlines=[moment])

    call.refresh_from_db()
    assert call.deadlines_revision == 0
    assert alerts_heard == []


def test_a_drafts_deadlines_change_without_a_revision_or_alert(coordinator, alerts_heard, django_capture_on_commit_callbacks):
    call = CallFactory(published_at=None, deadlines=[in_days(20)])

    with django_capture_on_commit_callbacks(execute=True):
        services.set_deadlines(call=call, by=coordinator, deadlines=[in_days(25)])

    call.refresh_from_db()
    assert call.deadlines_revision == 0
    assert alerts_heard == []


def test_no_alert_is_sent_for_a_rolled_back_deadline_change(coordinator, alerts_heard, django_capture_on_commit_callbacks):
    from django.db import transaction

    call = CallFactory(deadlines=[in_days(20)])

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.set_deadlines(call=call, by=coordinator, deadlines=[in_days(40)])
        raise RuntimeError

    assert alerts_heard == []
    call.refresh_from_db()
    assert call.deadlines_revision == 0


def test_set_deadlines_refuses_a_second_deadline_for_a_single_stage_call(coordinator):
    call = CallFactory(deadlines=[in_days(20)])

    with pytest.raises(ValidationError):
        services.set_deadlines(call=call, by=coordinator, deadlines=[in_days(20), in_days(30)])
    assert call.deadlines.count() == 1


def test_an_officer_of_another_body_may_not_move_a_deadline(other_officer, officer, programme):
    call = services.create_call(by=officer, data=call_data(programme), deadlines=[D1])

    with pytest.raises(PermissionDenied):
        services.set_deadlines(call=call, by=other_officer, deadlines=[D2])


def test_a_colleague_of_the_same_body_manages_the_call(colleague, officer, programme):
    call = services.create_call(by=officer, data=call_data(programme), deadlines=[D1])

    services.set_deadlines(call=call, by=colleague, deadlines=[D2])

    assert Call.objects.get(pk=call.pk).closes_at == D2


def test_an_officer_who_left_the_body_no_longer_manages_its_calls(officer, programme):
    call = services.create_call(by=officer, data=call_data(programme), deadlines=[D1])
    officer.memberships.update(status="rejected")

    with pytest.raises(PermissionDenied):
        services.update_call(call=call, by=officer, data={"title": "Changed"})


# --- update ---------------------------------------------------------------------------------------------


def test_update_changes_fields_and_keeps_the_deadlines_when_none_are_given(officer, programme):
    call = services.create_call(by=officer, data=call_data(programme), deadlines=[D1])

    updated = services.update_call(call=call, by=officer, data={"title": "Town twinning 2027"})

    assert updated.title == "Town twinning 2027"
    assert updated.closes_at == D1
    assert "2027" in updated.search_document


def test_changing_the_deadline_model_without_matching_deadlines_is_refused(officer, programme):
    call = services.create_call(by=officer, data=call_data(programme), deadlines=[D1])

    with pytest.raises(ValidationError):
        services.update_call(call=call, by=officer, data={"deadline_model": Call.DeadlineModel.TWO_STAGE})
    assert Call.objects.get(pk=call.pk).deadline_model == Call.DeadlineModel.SINGLE_STAGE


def test_a_published_call_keeps_its_identifier(coordinator):
    call = CallFactory()

    with pytest.raises(ValidationError) as error:
        services.update_call(call=call, by=coordinator, data={"identifier": "OTHER-2027"})
    assert "identifier" in error.value.message_dict


def test_updating_a_published_calls_deadlines_tells_the_alerts(coordinator, alerts_heard, django_capture_on_commit_callbacks):
    call = CallFactory(deadlines=[in_days(20)])

    with django_capture_on_commit_callbacks(execute=True):
        services.update_call(call=call, by=coordinator, data={}, deadlines=[in_days(21)])

    assert alerts_heard == [("deadlines", call.identifier, 1)]


# --- publish --------------------------------------------------------------------------------------------


def test_publishing_sets_the_date_and_tells_the_alerts_after_commit(officer, programme, alerts_heard, django_capture_on_commit_callbacks):
    call = services.create_call(by=officer, data=call_data(programme), deadlines=[D1])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.publish_call(call=call, by=officer)
    assert alerts_heard == []  # nothing before the commit
    for callback in callbacks:
        callback()

    assert Call.objects.get(pk=call.pk).published_at is not None
    assert alerts_heard == [("published", call.identifier, 0)]


def test_a_published_call_cannot_be_published_twice(coordinator):
    call = CallFactory()

    with pytest.raises(ValidationError):
        services.publish_call(call=call, by=coordinator)


def test_a_citizen_may_not_publish(user, officer, programme):
    call = services.create_call(by=officer, data=call_data(programme), deadlines=[D1])

    with pytest.raises(PermissionDenied):
        services.publish_call(call=call, by=user)
    assert Call.objects.get(pk=call.pk).published_at is None


# --- funders and programmes -----------------------------------------------------------------------------


def test_a_coordinator_adds_a_funder_and_its_programme(coordinator):
    funder = services.create_funder(
        by=coordinator, data={"name": "Bursa Eskişehir Bilecik Kalkınma Ajansı", "kind": Funder.Kind.DEVELOPMENT_AGENCY,
                              "country": "tr", "time_zone": "Europe/Istanbul"},
    )
    programme = services.create_programme(by=coordinator, funder=funder, data={"code": "mdp", "name": "Mali Destek Programı"})

    assert funder.slug == "bursa-eskisehir-bilecik-kalkinma-ajansi"
    assert funder.country == "TR"
    assert programme.code == "MDP"


def test_an_officer_may_not_add_funders(officer):
    with pytest.raises(PermissionDenied):
        services.create_funder(by=officer, data={"name": "X", "kind": Funder.Kind.OTHER})


def test_a_programme_name_is_unique_per_funder(coordinator, programme):
    with pytest.raises(ValidationError):
        services.create_programme(by=coordinator, funder=programme.funder, data={"name": programme.name})
    assert Programme.objects.filter(name=programme.name).count() == 1


def test_an_ngo_representative_of_an_unrelated_organization_gains_nothing(programme):
    person = UserFactory()
    MembershipFactory(user=person, organization=OrganizationFactory())

    with pytest.raises(PermissionDenied):
        services.create_call(by=person, data=call_data(programme), deadlines=[D1])
