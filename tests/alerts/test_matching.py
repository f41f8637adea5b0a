"""Which subscriptions a call matches: the rule, its database fan-out, and who gets notified.

The rule is ``subscription_matches`` over plain values; ``matching_subscription_ids`` is
the fast database version. Hypothesis draws random calls and random subscriptions,
writes them as rows, and checks that the fan-out finds exactly the subscriptions the
rule accepts, and that an instant notice reaches exactly those.
"""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from civicbridge.alerts.matching import (
    Criteria,
    keywords_match,
    matching_subscription_ids,
    matching_subscriptions,
    subscription_matches,
)
from civicbridge.alerts.models import Delivery, Subscription
from civicbridge.core.models import Territory
from civicbridge.core.registry import AlertFacts
from civicbridge.core.search import build_document
from civicbridge.funding import alerts
from tests.accounts.factories import UserFactory
from tests.alerts.factories import (
    CallFactory,
    FunderFactory,
    ProgrammeFactory,
    SubscriptionFactory,
)
from tests.alerts.outbox import delivered

pytestmark = pytest.mark.django_db

REGION, COUNTY, TOWN, OTHER_COUNTY = "/1/", "/1/4/", "/1/4/27/", "/1/5/"


def facts(**values) -> AlertFacts:
    return AlertFacts(**values)


def document(text: str) -> frozenset[str]:
    return frozenset(build_document(text).split())


# --- the rule, by example -------------------------------------------------------------------


def test_a_subscription_without_filters_matches_every_call():
    call = facts(funder_id=3, kinds=frozenset({"school"}), territory_paths=frozenset({TOWN}),
                 area_ids=frozenset({2}), max_grant=Decimal(10), document_forms=document("water"))
    assert subscription_matches(Criteria(), call)


def test_a_funder_filter_matches_only_that_funders_calls():
    assert subscription_matches(Criteria(funder_id=1), facts(funder_id=1))
    assert not subscription_matches(Criteria(funder_id=1), facts(funder_id=2))


def test_an_applicant_kind_matches_calls_open_to_all_kinds_or_listing_it():
    assert subscription_matches(Criteria(applicant_kind="ngo"), facts())
    assert subscription_matches(Criteria(applicant_kind="ngo"), facts(kinds=frozenset({"ngo", "school"})))
    assert not subscription_matches(Criteria(applicant_kind="ngo"), facts(kinds=frozenset({"school"})))


def test_a_county_alert_hears_of_calls_for_its_region_its_towns_and_calls_open_anywhere():
    county = Criteria(territory_path=COUNTY)
    assert subscription_matches(county, facts(territory_paths=frozenset({REGION})))
    assert subscription_matches(county, facts(territory_paths=frozenset({TOWN})))
    assert subscription_matches(county, facts(territory_paths=frozenset({COUNTY})))
    assert subscription_matches(county, facts())


def test_a_county_alert_does_not_hear_of_a_neighbouring_countys_call():
    assert not subscription_matches(Criteria(territory_path=COUNTY), facts(territory_paths=frozenset({OTHER_COUNTY})))


def test_one_eligible_territory_on_the_line_is_enough():
    call = facts(territory_paths=frozenset({OTHER_COUNTY, TOWN}))
    assert subscription_matches(Criteria(territory_path=COUNTY), call)


def test_path_prefixes_compare_whole_ids_not_digits():
    # "/1/4/" is not above "/1/45/": paths end with a slash for this reason.
    assert not subscription_matches(Criteria(territory_path="/1/4/"), facts(territory_paths=frozenset({"/1/45/"})))


def test_a_thematic_area_matches_calls_that_have_it():
    assert subscription_matches(Criteria(thematic_area_id=2), facts(area_ids=frozenset({1, 2})))
    assert not subscription_matches(Criteria(thematic_area_id=2), facts(area_ids=frozenset({1})))
    assert not subscription_matches(Criteria(thematic_area_id=2), facts())


def test_a_minimum_amount_matches_calls_whose_maximum_grant_reaches_it_or_is_unknown():
    wants = Criteria(min_amount=Decimal("1000"))
    assert subscription_matches(wants, facts(max_grant=Decimal("1000")))
    assert subscription_matches(wants, facts(max_grant=None))
    assert not subscription_matches(wants, facts(max_grant=Decimal("999.99")))


def test_a_maximum_amount_matches_calls_whose_maximum_grant_stays_within_it_or_is_unknown():
    wants = Criteria(max_amount=Decimal("1000"))
    assert subscription_matches(wants, facts(max_grant=Decimal("1000")))
    assert subscription_matches(wants, facts(max_grant=None))
    assert not subscription_matches(wants, facts(max_grant=Decimal("1000.01")))


def test_a_programme_matches_only_its_own_calls():
    assert subscription_matches(Criteria(programme_id=3), facts(programme_id=3))
    assert not subscription_matches(Criteria(programme_id=3), facts(programme_id=4))
    # An item of content without programmes (an event) matches no alert that names one.
    assert not subscription_matches(Criteria(programme_id=3), facts())


def test_a_country_matches_calls_open_to_applicants_from_it_or_from_anywhere():
    germany = Criteria(country="DE")
    assert subscription_matches(germany, facts(countries=frozenset({"DE", "PL"})))
    assert subscription_matches(germany, facts())  # names no countries: open to applicants from anywhere
    assert not subscription_matches(germany, facts(countries=frozenset({"PL"})))
    assert subscription_matches(Criteria(), facts(countries=frozenset({"PL"})))


def test_keywords_match_other_word_forms_and_prefixes_like_the_search_box():
    call = facts(document_forms=document("Wsparcie organizacji pozarządowych w Nysie"))
    assert keywords_match("organizacje", call)
    assert keywords_match("organiz", call)
    assert keywords_match("ORGANIZACJE pozarządowe", call)
    assert not keywords_match("organizacje sport", call)
    assert keywords_match("organizacje pozarz", call)
    assert not keywords_match("organiz pozarządowe", call)  # only the last word may be unfinished


def test_keywords_match_turkish_forms_without_turkish_letters():
    call = facts(document_forms=document("Orhangazi Kültür ve Sanat Derneği"))
    assert keywords_match("dernek kultur", call)


def test_a_short_keyword_matches_a_whole_word_only():
    call = facts(document_forms=document("EU funds for europe"))
    assert keywords_match("eu", call)
    assert not keywords_match("eur", facts(document_forms=document("EU funds")))
    assert not keywords_match("fu", call)


def test_keywords_without_any_word_match_every_call():
    assert keywords_match("?!", facts(document_forms=document("water")))


# --- the rule, by property ---------------------------------------------------------------------

PATHS = [REGION, COUNTY, TOWN, OTHER_COUNTY, "/1/5/31/", "/2/", "/2/9/"]
PATH_COUNTRIES = {"/1/": "PL", "/2/": "TR"}
WORDS = ["organizacje", "organizacja", "kultura", "kultury", "youth", "młodzież", "çevre", "derneği",
         "dernek", "water", "sport", "edukacja", "education", "eu", "ab"]
KEYWORDS = [*WORDS, "org", "kult", "edu", "wat", "spor", "Kültür"]
KINDS = ["ngo", "school", "municipality"]
MIN_AMOUNTS = [None, Decimal("0"), Decimal("1000"), Decimal("1000.01"), Decimal("50000")]
MAX_GRANTS = [None, Decimal("999.99"), Decimal("1000"), Decimal("50000"), Decimal("100000")]
MAX_AMOUNTS = [None, Decimal("0"), Decimal("999.99"), Decimal("1000"), Decimal("50000")]
COUNTRIES = ["DE", "PL", "TR"]

keyword_strings = st.lists(st.sampled_from(KEYWORDS), max_size=2).map(" ".join)
titles = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)

criteria_values = st.fixed_dictionaries({
    "keywords": st.one_of(st.just(""), keyword_strings),
    "funder": st.sampled_from([None, 0, 1]),
    "programme": st.sampled_from([None, 0, 1]),
    "applicant_kind": st.sampled_from(["", *KINDS]),
    "territory": st.one_of(st.none(), st.integers(0, len(PATHS) - 1)),
    "thematic_area": st.sampled_from([None, 0, 1, 2]),
    "min_amount": st.sampled_from(MIN_AMOUNTS),
    "max_amount": st.sampled_from(MAX_AMOUNTS),
    "country": st.sampled_from(["", *COUNTRIES]),
})
call_values = st.fixed_dictionaries({
    "title": titles,
    "funder": st.sampled_from([0, 1]),
    "kinds": st.frozensets(st.sampled_from(KINDS), max_size=2),
    "territories": st.frozensets(st.integers(0, len(PATHS) - 1), max_size=2),
    "areas": st.frozensets(st.integers(0, 2), max_size=2),
    "max_grant": st.sampled_from(MAX_GRANTS),
    "countries": st.frozensets(st.sampled_from(COUNTRIES), max_size=2),
})


def pure_criteria(values) -> Criteria:
    return Criteria(
        keywords=values["keywords"], funder_id=values["funder"], programme_id=values["programme"],
        applicant_kind=values["applicant_kind"],
        territory_path=None if values["territory"] is None else PATHS[values["territory"]],
        territory_country="" if values["territory"] is None else PATH_COUNTRIES[PATHS[values["territory"]][:3]],
        thematic_area_id=values["thematic_area"], min_amount=values["min_amount"], max_amount=values["max_amount"],
        country=values["country"],
    )


def pure_facts(values) -> AlertFacts:
    return AlertFacts(
        # Each of the two funders has one programme: the call's programme is its funder's.
        funder_id=values["funder"], programme_id=values["funder"], kinds=values["kinds"],
        territory_paths=frozenset(PATHS[i] for i in values["territories"]), area_ids=values["areas"],
        max_grant=values["max_grant"], document_forms=document(values["title"]), countries=values["countries"],
    )


@settings(max_examples=200, deadline=None)
@given(criteria=criteria_values, call=call_values, dropped=st.sampled_from(
    ["keywords", "funder", "programme", "applicant_kind", "territory", "thematic_area", "min_amount", "max_amount",
     "country"]))
def test_dropping_a_filter_never_loses_a_match(criteria, call, dropped):
    wider = {**criteria, dropped: "" if dropped in ("keywords", "applicant_kind", "country") else None}
    if subscription_matches(pure_criteria(criteria), pure_facts(call)):
        assert subscription_matches(pure_criteria(wider), pure_facts(call))


@settings(max_examples=200, deadline=None)
@given(criteria=criteria_values, call=call_values)
def test_a_match_is_the_conjunction_of_single_filter_matches(criteria, call):
    singles = [
        {**{"keywords": "", "funder": None, "programme": None, "applicant_kind": "", "territory": None,
            "thematic_area": None, "min_amount": None, "max_amount": None, "country": ""}, name: criteria[name]}
        for name in criteria
    ]
    expected = all(subscription_matches(pure_criteria(single), pure_facts(call)) for single in singles)
    assert subscription_matches(pure_criteria(criteria), pure_facts(call)) == expected


# --- the database fan-out agrees with the rule ------------------------------------------------------


@pytest.fixture
def world(region, county, municipality, other_county, areas):
    """Rows the drawn values refer to: two funders, seven territories on two lines, three areas."""
    turkey = Territory.objects.filter(country="TR", level=Territory.Level.REGION).first()
    turkish_unit = turkey.children.first() if turkey else None
    other_town = other_county.children.first()
    territories = [region, county, municipality, other_county, other_town, turkey, turkish_unit]
    assert all(territories), "reference territories are loaded by the migrations"
    programmes = [ProgrammeFactory(funder=FunderFactory()), ProgrammeFactory(funder=FunderFactory())]
    return {"programmes": programmes, "territories": territories, "areas": areas, "user": UserFactory()}


def _rows(world, call, subscriptions):
    territories, areas, programmes = world["territories"], world["areas"], world["programmes"]
    created_call = CallFactory(
        title=call["title"], programme=programmes[call["funder"]], eligible_kinds=",".join(sorted(call["kinds"])),
        max_grant=call["max_grant"], territories=[territories[i] for i in call["territories"]],
        areas=[areas[i] for i in call["areas"]], eligible_countries=",".join(sorted(call["countries"])),
    )
    rows = [
        SubscriptionFactory(
            user=world["user"], keywords=values["keywords"],
            funder=None if values["funder"] is None else programmes[values["funder"]].funder,
            programme=None if values["programme"] is None else programmes[values["programme"]],
            applicant_kind=values["applicant_kind"],
            territory=None if values["territory"] is None else territories[values["territory"]],
            thematic_area=None if values["thematic_area"] is None else areas[values["thematic_area"]],
            min_amount=values["min_amount"], max_amount=values["max_amount"], country=values["country"],
            frequency=values.get("frequency", Subscription.Frequency.INSTANT),
        )
        for values in subscriptions
    ]
    return created_call, rows


def _expected(world, call_values_, subscriptions, rows) -> set[int]:
    """Ids the rule accepts, from the drawn values themselves, not from the rows."""
    territories, areas, programmes = world["territories"], world["areas"], world["programmes"]
    call_facts = AlertFacts(
        funder_id=programmes[call_values_["funder"]].funder_id, programme_id=programmes[call_values_["funder"]].pk,
        kinds=call_values_["kinds"],
        territory_paths=frozenset(territories[i].path for i in call_values_["territories"]),
        area_ids=frozenset(areas[i].pk for i in call_values_["areas"]), max_grant=call_values_["max_grant"],
        document_forms=document(call_values_["title"]), countries=call_values_["countries"],
    )
    expected = set()
    for values, row in zip(subscriptions, rows, strict=True):
        criteria = Criteria(
            keywords=values["keywords"],
            funder_id=None if values["funder"] is None else programmes[values["funder"]].funder_id,
            programme_id=None if values["programme"] is None else programmes[values["programme"]].pk,
            applicant_kind=values["applicant_kind"],
            territory_path=None if values["territory"] is None else territories[values["territory"]].path,
            territory_country="" if values["territory"] is None else territories[values["territory"]].country,
            thematic_area_id=None if values["thematic_area"] is None else areas[values["thematic_area"]].pk,
            min_amount=values["min_amount"], max_amount=values["max_amount"], country=values["country"],
        )
        if subscription_matches(criteria, call_facts):
            expected.add(row.pk)
    return expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(call=call_values, subscriptions=st.lists(criteria_values, min_size=1, max_size=8))
def test_the_database_fan_out_finds_exactly_the_subscriptions_the_rule_accepts(world, call, subscriptions):
    with transaction.atomic():
        created_call, rows = _rows(world, call, subscriptions)

        found = matching_subscription_ids("calls", alerts.call_facts(created_call))
        event("some match" if found else "no match")
        event("some miss" if len(found) < len(rows) else "all match")

        assert found == sorted(_expected(world, call, subscriptions, rows))
        assert found == sorted(
            row.pk for row in rows
            if subscription_matches(Criteria.from_subscription(row), alerts.call_facts(created_call))
        )
        transaction.set_rollback(True)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(call=call_values, subscriptions=st.lists(
    criteria_values.map(lambda values: {**values, "active": True}) | criteria_values.map(
        lambda values: {**values, "active": False}),
    min_size=1, max_size=6,
))
def test_a_person_is_told_once_naming_exactly_the_alerts_the_call_matches(
    world, call, subscriptions, django_capture_on_commit_callbacks
):
    with transaction.atomic():
        mail.outbox = []
        created_call, rows = _rows(world, call, subscriptions)
        for values, row in zip(subscriptions, rows, strict=True):
            if not values["active"]:
                Subscription.objects.filter(pk=row.pk).update(is_active=False)
        active = [(values, row) for values, row in zip(subscriptions, rows, strict=True) if values["active"]]

        alerts.call_published(created_call)
        sent = delivered()

        expected = _expected(world, call, [v for v, _r in active], [r for _v, r in active])
        # The alerts share one owner: one e-mail naming every alert that matched, or none.
        assert len(sent) == (1 if expected else 0)
        told = list(Delivery.objects.filter(item_id=created_call.pk, mail__status="sent").values_list("subscription_id", flat=True))
        assert told == ([min(expected)] if expected else [])
        if expected:
            assert {row.pk for row in rows if f"“{row.name}”" in sent[0].body} == expected
        transaction.set_rollback(True)


def test_frequencies_narrow_the_fan_out(world):
    call = CallFactory(programme=world["programmes"][0])
    instant = SubscriptionFactory(user=world["user"])
    daily = SubscriptionFactory(user=world["user"], frequency=Subscription.Frequency.DAILY)

    assert matching_subscription_ids("calls", alerts.call_facts(call)) == [instant.pk, daily.pk]
    assert matching_subscription_ids("calls", alerts.call_facts(call), frequencies=["daily"]) == [daily.pk]


def test_the_fan_out_runs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    call = CallFactory(programme=world["programmes"][0], territories=[world["territories"][1]],
                       areas=world["areas"][:2])
    for _ in range(30):
        SubscriptionFactory(user=world["user"], keywords="organizacje")
    # Loaded as the alert tasks load it: matching reads the funder's and programme's current names.
    call = type(call).objects.select_related("programme__funder").get(pk=call.pk)

    with django_assert_max_num_queries(5):
        matching_subscription_ids("calls", alerts.call_facts(call))


def test_the_shares_of_a_calls_matches_are_the_matches_split_among_workers_by_person_without_overlap():
    call = CallFactory()
    funder_alert = SubscriptionFactory(funder=call.programme.funder)
    open_alerts = [SubscriptionFactory() for _ in range(6)]
    open_alerts += [SubscriptionFactory(user=alert.user) for alert in open_alerts[:3]]  # people with two alerts
    SubscriptionFactory(funder=FunderFactory())  # another funder's: no share has it

    shares = [matching_subscriptions("calls", alerts.call_facts(call), share=(part, 3)) for part in range(3)]

    everyone = sorted(s.pk for s in [funder_alert, *open_alerts])
    assert sorted(pk for share in shares for pk, _owner in share) == everyone
    for part, share in enumerate(shares):
        # All of a person's alerts in one share: one worker writes that person's one digest.
        assert all(owner % 3 == part for _pk, owner in share)
    assert shares == [sorted(share) for share in shares]


def test_a_call_matches_only_the_alerts_on_calls_not_those_on_other_content():
    call = CallFactory()
    on_calls = SubscriptionFactory()
    SubscriptionFactory(user=on_calls.user, alertable="events")  # same filters, other content

    assert matching_subscription_ids("calls", alerts.call_facts(call)) == [on_calls.pk]
    assert matching_subscription_ids("events", alerts.call_facts(call)) != [on_calls.pk]


def test_one_person_may_be_told_of_items_with_the_same_id_in_two_contents():
    subscription = SubscriptionFactory()
    for content in ("calls", "events"):
        Delivery.objects.create(recipient=subscription.user, subscription=subscription, alertable=content,
                                item_id=1, kind=Delivery.Kind.INSTANT, occasion="published")

    assert Delivery.objects.filter(item_id=1).count() == 2


def test_a_country_alert_matches_exactly_the_calls_the_list_shows_for_that_country():
    """One rule for both (core.countries.open_to_applicants_from): a saved search finds what the list showed."""
    from civicbridge.funding.filters import CallFilter
    from civicbridge.funding.models import Call

    calls = {countries: CallFactory(eligible_countries=countries) for countries in ("", "DE", "PL", "DE,PL", "PL,TR")}
    alert = SubscriptionFactory(country="DE")

    listed = set(CallFilter({"country": "de"}, queryset=Call.objects.all()).qs.values_list("pk", flat=True))
    alerted = {call.pk for call in calls.values()
               if matching_subscription_ids("calls", alerts.call_facts(call)) == [alert.pk]}

    assert listed == alerted == {calls[""].pk, calls["DE"].pk, calls["DE,PL"].pk}


@pytest.mark.parametrize("unit", ["county", "turkish_region"])
def test_a_territory_alert_matches_exactly_the_calls_the_list_shows_for_that_territory(unit, county, other_county):
    """The list's territory filter also asks that a call naming applicants' countries names the
    unit's country (core.countries.open_to_applicants_from): a saved search finds what the list showed."""
    from civicbridge.funding.filters import CallFilter
    from civicbridge.funding.models import Call

    territory = county if unit == "county" else Territory.objects.filter(
        country="TR", level=Territory.Level.REGION).first()
    calls = [
        CallFactory(eligible_countries=countries, territories=territories)
        for countries in ("", "PL", "TR", "DE", "DE,PL", "PL,TR")
        for territories in ([], [county], [other_county], [territory])
    ]
    alert = SubscriptionFactory(territory=territory)

    listed = set(CallFilter({"territory": territory.pk}, queryset=Call.objects.all()).qs.values_list("pk", flat=True))
    alerted = {call.pk for call in calls if matching_subscription_ids("calls", alerts.call_facts(call)) == [alert.pk]}
    by_rule = {call.pk for call in calls
               if subscription_matches(Criteria.from_subscription(alert), alerts.call_facts(call))}

    assert listed == alerted == by_rule
    assert listed and not any(call.pk in listed for call in calls if call.eligible_countries == "DE")
