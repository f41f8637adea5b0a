"""The partner search's writes: who may post, answer and decide, and what is refused."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection, connections
from django.utils import timezone

from civicbridge.core.models import Territory, ThematicArea
from civicbridge.core.search import search
from civicbridge.partners import phases, services
from civicbridge.partners.models import ExpressionOfInterest, PartnerRequest, Twinning
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory
from tests.partners.factories import (
    ExpressionOfInterestFactory,
    PartnerRequestFactory,
    TwinningFactory,
    make_call,
)

pytestmark = pytest.mark.django_db


def data(**overrides):
    values = {
        "direction": PartnerRequest.Direction.SEEKING,
        "title": "Wymiana młodzieży o klimacie",
        "description": "Szukamy partnerów do wymiany młodzieży (Erasmus+ KA152).",
        "role_sought": "partner",
        "partner_kinds": ["ngo", "school"],
        "countries": ["de", "TR"],
        "expected_contribution": "Grupa 10 osób i jeden lider.",
        "deadline": phases.today() + datetime.timedelta(days=14),
    }
    values.update(overrides)
    return values


@pytest.fixture
def youth():
    return ThematicArea.objects.get(code="eu-youth")


@pytest.fixture
def other_organization(municipality):
    return OrganizationFactory(territory=municipality)


@pytest.fixture
def other_representative(other_organization):
    return MembershipFactory(organization=other_organization).user


@pytest.fixture
def partner_request(organization):
    return PartnerRequestFactory(organization=organization)


def error_fields(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


# --- posting -------------------------------------------------------------------------------------


def test_a_representative_posts_a_request_for_the_organization(representative, organization, youth, county):
    partner_request = services.post_request(
        by=representative, organization=organization, data=data(), thematic_areas=[youth], territories=[county]
    )

    partner_request.refresh_from_db()
    assert partner_request.organization == organization
    assert partner_request.created_by == representative
    assert partner_request.status == PartnerRequest.Status.OPEN
    assert list(partner_request.thematic_areas.all()) == [youth]
    assert list(partner_request.territories.all()) == [county]


def test_kinds_and_countries_are_stored_as_normalized_codes(representative, organization):
    partner_request = services.post_request(
        by=representative, organization=organization,
        data=data(partner_kinds=["NGO", "school", "ngo"], countries="de, tr,DE"),
    )

    assert partner_request.partner_kinds == "ngo,school"
    assert partner_request.countries == "DE,TR"


def test_a_posted_request_is_found_by_search_in_any_language_of_its_areas_and_countries(representative, organization, youth):
    partner_request = services.post_request(
        by=representative, organization=organization, data=data(), thematic_areas=[youth]
    )

    for query in ("klimacie", "młodzież", "Niemcy", "Almanya", organization.name.split()[0]):
        assert list(search(PartnerRequest.objects.all(), query)) == [partner_request], query


def test_a_coordinator_posts_on_behalf_of_any_organization(coordinator, organization):
    partner_request = services.post_request(by=coordinator, organization=organization, data=data())

    assert partner_request.organization == organization


@pytest.mark.parametrize("who", ["citizen", "representative_of_another"])
def test_others_may_not_post_for_an_organization(organization, other_representative, who):
    person = UserFactory() if who == "citizen" else other_representative

    with pytest.raises(PermissionDenied):
        services.post_request(by=person, organization=organization, data=data())

    assert not PartnerRequest.objects.exists()


def test_an_inactive_representative_may_not_post(representative, organization):
    representative.is_active = False
    representative.save()

    with pytest.raises(PermissionDenied):
        services.post_request(by=representative, organization=organization, data=data())


def test_an_unknown_kind_of_partner_is_refused(representative, organization):
    with pytest.raises(ValidationError) as excinfo:
        services.post_request(by=representative, organization=organization, data=data(partner_kinds=["pirates"]))

    assert error_fields(excinfo) == {"partner_kinds"}
    assert "pirates" in excinfo.value.message_dict["partner_kinds"][0]


def test_an_unknown_country_code_is_refused(representative, organization):
    with pytest.raises(ValidationError) as excinfo:
        services.post_request(by=representative, organization=organization, data=data(countries=["DE", "ZZ"]))

    assert error_fields(excinfo) == {"countries"}
    assert "ZZ" in excinfo.value.message_dict["countries"][0]


def test_a_deadline_in_the_past_is_refused(representative, organization):
    with pytest.raises(ValidationError) as excinfo:
        services.post_request(
            by=representative, organization=organization,
            data=data(deadline=phases.today() - datetime.timedelta(days=1)),
        )

    assert error_fields(excinfo) == {"deadline"}


def test_todays_deadline_is_accepted(representative, organization):
    partner_request = services.post_request(
        by=representative, organization=organization, data=data(deadline=phases.today())
    )

    assert phases.accepts_answers(partner_request)


def test_a_title_and_a_description_are_required(representative, organization):
    with pytest.raises(ValidationError) as excinfo:
        services.post_request(by=representative, organization=organization, data=data(title="  ", description=""))

    assert {"title", "description"} <= error_fields(excinfo)


def test_a_request_is_attached_to_an_open_call(representative, organization):
    call = make_call()

    partner_request = services.post_request(by=representative, organization=organization, data=data(call=call))

    assert partner_request.call == call


def test_a_request_is_attached_to_a_forthcoming_call(representative, organization):
    call = make_call(opens_in_days=10, closes_in_days=90)

    partner_request = services.post_request(by=representative, organization=organization, data=data(call=call))

    assert partner_request.call == call


@pytest.mark.parametrize(("closes_in_days", "published"), [(-1, True), (30, False)])
def test_a_closed_or_unpublished_call_is_refused(representative, organization, closes_in_days, published):
    call = make_call(opens_in_days=-60, closes_in_days=closes_in_days, published=published)

    with pytest.raises(ValidationError) as excinfo:
        services.post_request(by=representative, organization=organization, data=data(call=call))

    assert error_fields(excinfo) == {"call"}


# --- changing and closing ------------------------------------------------------------------------------


def test_the_posters_representative_changes_the_request(representative, partner_request, youth):
    services.update_request(
        by=representative, partner_request=partner_request, data={"title": "Nowy tytuł"}, thematic_areas=[youth]
    )

    partner_request.refresh_from_db()
    assert partner_request.title == "Nowy tytuł"
    assert list(partner_request.thematic_areas.all()) == [youth]
    assert list(search(PartnerRequest.objects.all(), "tytuł")) == [partner_request]


def test_another_organizations_representative_may_not_change_the_request(other_representative, partner_request):
    with pytest.raises(PermissionDenied):
        services.update_request(by=other_representative, partner_request=partner_request, data={"title": "X"})


def test_a_past_deadline_left_unchanged_does_not_block_other_changes(representative, organization):
    partner_request = PartnerRequestFactory(organization=organization, deadline=phases.today() - datetime.timedelta(days=3))

    services.update_request(by=representative, partner_request=partner_request, data={"title": "Poprawiony"})

    partner_request.refresh_from_db()
    assert partner_request.title == "Poprawiony"


def test_closing_takes_the_request_out_of_search(representative, partner_request):
    services.close_request(by=representative, partner_request=partner_request)

    partner_request.refresh_from_db()
    assert partner_request.status == PartnerRequest.Status.CLOSED
    assert partner_request.search_document == ""
    assert not phases.accepts_answers(partner_request)


def test_a_closed_request_cannot_be_closed_again_or_changed(representative, partner_request):
    services.close_request(by=representative, partner_request=partner_request)

    with pytest.raises(ValidationError):
        services.close_request(by=representative, partner_request=partner_request)
    with pytest.raises(ValidationError):
        services.update_request(by=representative, partner_request=partner_request, data={"title": "X"})


def test_a_coordinator_may_close_a_request(coordinator, partner_request):
    services.close_request(by=coordinator, partner_request=partner_request)

    partner_request.refresh_from_db()
    assert partner_request.status == PartnerRequest.Status.CLOSED


def test_others_may_not_close_the_request(other_representative, partner_request):
    with pytest.raises(PermissionDenied):
        services.close_request(by=other_representative, partner_request=partner_request)


# --- expressions of interest --------------------------------------------------------------------------


def test_a_representative_of_another_organization_expresses_interest(other_representative, other_organization, partner_request):
    interest = services.express_interest(
        by=other_representative, request=partner_request, organization=other_organization, message="  Chętnie!  "
    )

    assert interest.status == ExpressionOfInterest.Status.PENDING
    assert interest.message == "Chętnie!"
    assert interest.created_by == other_representative


def test_one_may_answer_only_for_an_organization_one_represents(other_representative, partner_request, municipality):
    stranger = OrganizationFactory(territory=municipality)

    with pytest.raises(PermissionDenied):
        services.express_interest(by=other_representative, request=partner_request, organization=stranger, message="Hi")


def test_an_organization_cannot_answer_its_own_request(representative, organization, partner_request):
    with pytest.raises(ValidationError) as excinfo:
        services.express_interest(by=representative, request=partner_request, organization=organization, message="Hi")

    assert error_fields(excinfo) == {"organization"}


def test_a_second_answer_of_the_same_organization_is_refused_by_the_constraint(
    other_representative, other_organization, partner_request
):
    services.express_interest(by=other_representative, request=partner_request, organization=other_organization, message="1")

    with pytest.raises(ValidationError) as excinfo:
        services.express_interest(by=other_representative, request=partner_request, organization=other_organization, message="2")

    assert error_fields(excinfo) == {"organization"}
    assert ExpressionOfInterest.objects.count() == 1


def test_a_closed_request_refuses_answers(representative, other_representative, other_organization, partner_request):
    services.close_request(by=representative, partner_request=partner_request)

    with pytest.raises(ValidationError, match="closed"):
        services.express_interest(by=other_representative, request=partner_request, organization=other_organization, message="Hi")


def test_a_request_past_its_deadline_refuses_answers(other_representative, other_organization, organization):
    partner_request = PartnerRequestFactory(organization=organization, deadline=phases.today() - datetime.timedelta(days=1))

    with pytest.raises(ValidationError, match="deadline"):
        services.express_interest(by=other_representative, request=partner_request, organization=other_organization, message="Hi")

    assert not ExpressionOfInterest.objects.exists()


def test_an_empty_message_is_refused(other_representative, other_organization, partner_request):
    with pytest.raises(ValidationError) as excinfo:
        services.express_interest(by=other_representative, request=partner_request, organization=other_organization, message=" ")

    assert error_fields(excinfo) == {"message"}


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [((23, 59, 59), True), ((0, 0, 0), False)],
    ids=["last-second-of-the-deadline-day", "midnight-after-it"],
)
def test_answers_are_accepted_until_the_end_of_the_deadline_day_in_the_deployment_time_zone(
    organization, settings, moment, accepted
):
    settings.TIME_ZONE = "Europe/Warsaw"
    deadline = datetime.date(2031, 6, 30)
    partner_request = PartnerRequestFactory(organization=organization, deadline=deadline)
    day = deadline if accepted else deadline + datetime.timedelta(days=1)
    local = timezone.make_aware(datetime.datetime.combine(day, datetime.time(*moment)), timezone.get_default_timezone())

    # 23:59:59 in Warsaw is 21:59:59 UTC: still the deadline day there.
    assert phases.accepts_answers(partner_request, now=local.astimezone(datetime.UTC)) is accepted


def test_a_request_without_a_deadline_accepts_answers_until_it_is_closed(organization):
    partner_request = PartnerRequestFactory(organization=organization, deadline=None)

    assert phases.accepts_answers(partner_request, now=timezone.now() + datetime.timedelta(days=3650))


# --- decisions -------------------------------------------------------------------------------------


@pytest.fixture
def interest(partner_request, other_organization, other_representative):
    return ExpressionOfInterestFactory(request=partner_request, organization=other_organization, created_by=other_representative)


@pytest.mark.parametrize(("accept", "status"), [(True, "accepted"), (False, "declined")])
def test_the_posters_representative_decides_an_answer(representative, interest, accept, status):
    services.decide_interest(by=representative, interest=interest, accept=accept)

    interest.refresh_from_db()
    assert interest.status == status
    assert interest.decided_by == representative
    assert interest.decided_at is not None


@pytest.mark.parametrize("who", ["answerer", "coordinator", "citizen"])
def test_only_the_poster_decides(interest, other_representative, coordinator, who):
    person = {"answerer": other_representative, "coordinator": coordinator, "citizen": UserFactory()}[who]

    with pytest.raises(PermissionDenied):
        services.decide_interest(by=person, interest=interest, accept=True)

    interest.refresh_from_db()
    assert interest.status == ExpressionOfInterest.Status.PENDING


def test_an_answer_is_decided_once(representative, interest):
    services.decide_interest(by=representative, interest=interest, accept=True)

    with pytest.raises(ValidationError):
        services.decide_interest(by=representative, interest=interest, accept=False)

    interest.refresh_from_db()
    assert interest.status == ExpressionOfInterest.Status.ACCEPTED


def test_answers_still_waiting_can_be_decided_after_the_request_is_closed(representative, partner_request, interest):
    services.close_request(by=representative, partner_request=partner_request)

    services.decide_interest(by=representative, interest=interest, accept=False)

    interest.refresh_from_db()
    assert interest.status == ExpressionOfInterest.Status.DECLINED


# --- twinning ---------------------------------------------------------------------------------------


def twinning_data(**overrides):
    values = {
        "territory": Territory.objects.get(country="PL", code="1661011"),
        "partner_city": " Potsdam ",
        "partner_country": "de",
        "since": 1973,
        "activities": "Wymiany szkół.",
    }
    values.update(overrides)
    return values


def test_a_coordinator_lists_a_twinning(coordinator):
    twinning = services.create_twinning(
        by=coordinator, data=twinning_data(), thematic_areas=[ThematicArea.objects.get(code="pb-european-integration")]
    )

    assert (twinning.partner_city, twinning.partner_country, twinning.since) == ("Potsdam", "DE", 1973)
    assert twinning.thematic_areas.count() == 1


@pytest.mark.parametrize("who", ["citizen", "representative"])
def test_only_coordinators_manage_twinnings(representative, who):
    person = UserFactory() if who == "citizen" else representative

    with pytest.raises(PermissionDenied):
        services.create_twinning(by=person, data=twinning_data())
    twinning = TwinningFactory()
    with pytest.raises(PermissionDenied):
        services.update_twinning(by=person, twinning=twinning, data={"since": 2000})
    with pytest.raises(PermissionDenied):
        services.delete_twinning(by=person, twinning=twinning)


def test_the_same_twinning_is_listed_once(coordinator):
    services.create_twinning(by=coordinator, data=twinning_data())

    with pytest.raises(ValidationError) as excinfo:
        services.create_twinning(by=coordinator, data=twinning_data())

    assert error_fields(excinfo) == {"partner_city"}
    assert Twinning.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"), [("partner_country", "ZZ"), ("since", 1850), ("since", 2999), ("partner_city", "")]
)
def test_a_twinning_with_bad_values_is_refused(coordinator, field, value):
    with pytest.raises(ValidationError) as excinfo:
        services.create_twinning(by=coordinator, data=twinning_data(**{field: value}))

    assert field in error_fields(excinfo)


def test_a_coordinator_changes_and_removes_a_twinning(coordinator):
    twinning = TwinningFactory()

    services.update_twinning(by=coordinator, twinning=twinning, data={"since": 1989})
    twinning.refresh_from_db()
    assert twinning.since == 1989

    services.delete_twinning(by=coordinator, twinning=twinning)
    assert not Twinning.objects.exists()


# --- concurrency (PostgreSQL) -----------------------------------------------------------------------


def _race(actions) -> list[str]:
    """Run the actions at the same moment in separate transactions; what each ended with."""
    barrier = threading.Barrier(len(actions), timeout=20)
    outcomes: list[str] = []

    def run(action):
        try:
            barrier.wait()
            action()
            outcomes.append("done")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        except Exception as error:  # reported by the assertions
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    close_old_connections()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_representatives_answering_at_once_for_one_organization_leave_one_answer(municipality):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL's concurrent transactions")
    partner_request = PartnerRequestFactory(organization=OrganizationFactory(territory=municipality))
    answerer = OrganizationFactory(territory=municipality)
    people = [MembershipFactory(organization=answerer).user for _ in range(2)]

    outcomes = _race([
        lambda person=person: services.express_interest(
            by=person, request=partner_request, organization=answerer, message=f"From {person.username}"
        )
        for person in people
    ])

    assert outcomes == ["This organization has already answered this request.", "done"]
    assert ExpressionOfInterest.objects.filter(request=partner_request).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_representatives_deciding_at_once_leave_one_decision(municipality):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL's concurrent transactions")
    poster = OrganizationFactory(territory=municipality)
    interest = ExpressionOfInterestFactory(
        request=PartnerRequestFactory(organization=poster), organization=OrganizationFactory(territory=municipality)
    )
    accepting, declining = (MembershipFactory(organization=poster).user for _ in range(2))

    outcomes = _race([
        lambda: services.decide_interest(by=accepting, interest=interest, accept=True),
        lambda: services.decide_interest(by=declining, interest=interest, accept=False),
    ])

    assert outcomes == ["This answer has already been decided.", "done"]
    interest.refresh_from_db()
    assert interest.status in (ExpressionOfInterest.Status.ACCEPTED, ExpressionOfInterest.Status.DECLINED)
