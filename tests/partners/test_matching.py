"""Matching: organizations that fit a request and requests that fit an organization, with reasons."""

import datetime
import functools
import itertools

import pytest
from django.db import connection
from django.utils import translation

from civicbridge.core.compiled import OneParameter, QueriesByShape
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.core.rows import engine
from civicbridge.directory.models import Organization
from civicbridge.partners import matching, phases, selectors
from civicbridge.partners.models import PartnerRequest
from tests.directory.factories import OrganizationFactory
from tests.funding.factories import CallFactory
from tests.partners.factories import ExpressionOfInterestFactory, PartnerRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    codes = ("eu-youth", "eu-culture", "eu-sport", "pb-seniors", "eu-health", "eu-digital")
    return {code: ThematicArea.objects.get(code=code) for code in codes}


@pytest.fixture
def poster(municipality, areas):
    organization = OrganizationFactory(name="Poster", territory=municipality)
    organization.thematic_areas.set([areas["eu-youth"], areas["eu-culture"]])
    return organization


def loaded(partner_request):
    """As the detail page loads it: areas and territories prefetched."""
    return selectors.request_detail(pk=partner_request.pk)


def names(matches):
    return [match.item.name for match in matches]


def reasons_of(matches, name):
    return next([reason.text for reason in match.reasons] for match in matches if match.item.name == name)


def org(name, territory, areas=(), **fields):
    organization = OrganizationFactory(name=name, territory=territory, **fields)
    organization.thematic_areas.set(areas)
    return organization


# --- organizations for a request ------------------------------------------------------------------


def test_organizations_are_ranked_by_the_transparent_score(poster, areas, municipality, other_county):
    elsewhere = other_county.children.first()
    # Every entry here was just updated: +1 activity each.
    org("Two areas", elsewhere, [areas["eu-youth"], areas["eu-culture"]])  # 4 + 1 = 5
    org("One area and kind", elsewhere, [areas["eu-youth"]], kind=Organization.Kind.SCHOOL)  # 2 + 2 + 1 = 5
    org("One area, here, verified", municipality, [areas["eu-youth"]], is_verified=True)  # 2 + 1 + 1 + 1 = 5
    org("Kind only", elsewhere, kind=Organization.Kind.SCHOOL)  # 2 + 1
    org("Nothing in common", municipality, [areas["pb-seniors"]])  # place only: not a candidate
    partner_request = PartnerRequestFactory(
        organization=poster, partner_kinds="school", thematic_areas=[areas["eu-youth"], areas["eu-culture"]],
        territories=[municipality.parent],
    )

    matches = matching.organizations_for_request(loaded(partner_request))

    # Equal scores: the better thematic fit first, then (equal fit) the newest update.
    assert [(match.item.name, match.score) for match in matches] == [
        ("Two areas", 5), ("One area, here, verified", 5), ("One area and kind", 5), ("Kind only", 3),
    ]


def test_each_point_comes_with_its_reason(poster, areas, municipality):
    org("Młodzi Razem", municipality, [areas["eu-youth"], areas["eu-culture"]], kind=Organization.Kind.SCHOOL, is_verified=True)
    partner_request = PartnerRequestFactory(
        organization=poster, partner_kinds="school,ngo", thematic_areas=[areas["eu-culture"], areas["eu-youth"]],
        territories=[municipality.parent],
    )

    with translation.override("en"):
        matches = matching.organizations_for_request(loaded(partner_request))

    (match,) = matches
    assert match.score == 4 + 2 + 1 + 1 + 1
    assert [reason.points for reason in match.reasons] == [4, 2, 1, 1, 1]
    assert [str(reason.part) for reason in match.reasons] == [
        "Thematic fit", "Kind of partner", "Place", "Activity", "Verification",
    ]
    assert reasons_of(matches, "Młodzi Razem") == [
        "Works in 2 of the request's 2 thematic areas: Culture and creative sectors; Youth",
        "School: a kind of partner the request seeks",
        "Based in Nysa County, a territory the request names",
        "Its entry was updated in the last 180 days",
        "Verified by the coordination office",
    ]


def test_a_country_named_in_the_request_counts_like_a_territory(poster, areas):
    bursa = Territory.objects.get(country="TR", level=Territory.Level.COUNTY, name_en="Orhangazi")
    org("Orhangazi Gençlik Derneği", bursa, [areas["eu-youth"]])
    partner_request = PartnerRequestFactory(organization=poster, countries="TR,DE", thematic_areas=[areas["eu-youth"]])

    with translation.override("en"):
        matches = matching.organizations_for_request(loaded(partner_request))

    assert reasons_of(matches, "Orhangazi Gençlik Derneği")[1] == "Based in Türkiye, a country the request names"
    assert matches[0].score == 4 + 1 + 1


def test_reasons_are_in_the_visitors_language(poster, areas, municipality):
    org("Młodzi Razem", municipality, [areas["eu-youth"]], is_verified=True)
    partner_request = PartnerRequestFactory(organization=poster, thematic_areas=[areas["eu-youth"]])

    with translation.override("pl"):
        polish = matching.organizations_for_request(loaded(partner_request))[0].reasons
    with translation.override("tr"):
        turkish = matching.organizations_for_request(loaded(partner_request))[0].reasons

    assert areas["eu-youth"].name_pl in polish[0].text
    assert areas["eu-youth"].name_tr in turkish[0].text
    assert polish[-1].text != turkish[-1].text != "Verified by the coordination office"


def test_each_reasons_points_are_written_in_the_visitors_language_and_number():
    # Labels are translated once per language and number of points (matching._points_label):
    # a Polish page after an English one still reads Polish, with Polish plural forms.
    labels = {}
    for language in ("en", "pl", "tr", "pl"):
        with translation.override(language):
            labels[language] = [matching.Reason(points, "text").points_label for points in (1, 2, 5)]

    assert labels["en"] == ["(+1 point)", "(+2 points)", "(+5 points)"]
    assert labels["pl"] == ["(+1 punkt)", "(+2 punkty)", "(+5 punktów)"]
    assert labels["tr"] == ["(+1 puan)", "(+2 puan)", "(+5 puan)"]


def test_a_match_row_shows_each_reasons_points(poster, areas, municipality):
    org("Młodzi Razem", municipality, [areas["eu-youth"]], is_verified=True)
    partner_request = PartnerRequestFactory(organization=poster, thematic_areas=[areas["eu-youth"]])
    matches = matching.organizations_for_request(loaded(partner_request))

    with translation.override("pl"):
        html = engine().get_template("partners/organization_match_rows.html").render(
            {"rows": matches, "partner_request": partner_request, "csrf_input": ""}
        )

    assert "(+4 punkty)" in html and "(+1 punkt)" in html


def test_the_poster_is_never_suggested_to_itself(poster, areas):
    partner_request = PartnerRequestFactory(
        organization=poster, partner_kinds="ngo", thematic_areas=[areas["eu-youth"], areas["eu-culture"]]
    )

    assert matching.organizations_for_request(loaded(partner_request)) == []


def test_a_request_without_areas_or_kinds_suggests_nobody(poster, municipality, areas):
    org("Anyone", municipality, [areas["eu-youth"]])
    partner_request = PartnerRequestFactory(organization=poster, territories=[municipality])

    assert matching.organizations_for_request(loaded(partner_request)) == []


def test_at_most_twenty_organizations_are_suggested(poster, areas, municipality):
    for number in range(25):
        org(f"Fit {number:02d}", municipality, [areas["eu-youth"]])
    partner_request = PartnerRequestFactory(organization=poster, thematic_areas=[areas["eu-youth"]])

    matches = matching.organizations_for_request(loaded(partner_request))

    assert len(matches) == matching.TOP == 20


@pytest.mark.parametrize("count", [5, 30])
def test_matching_for_a_request_runs_the_same_queries_for_few_or_many_organizations(
    poster, areas, municipality, django_assert_num_queries, count
):
    for number in range(count):
        org(f"Fit {number}", municipality, [areas["eu-youth"], areas["eu-culture"]], kind=Organization.Kind.SCHOOL)
    partner_request = loaded(PartnerRequestFactory(
        organization=poster, partner_kinds="school", countries="PL", thematic_areas=[areas["eu-youth"]],
        territories=[municipality.parent],
    ))

    # The units within the territory; the first of each cell, by verification, in the countries
    # or in the territory: sharing the area and of the kind sought, sharing it and of another
    # kind, of the kind sought, twelve cells in one query where the database can slice the parts
    # of a UNION (PostgreSQL), one query each elsewhere; how many of the areas they share; their
    # facts; those who answered lately and could still reach the best; the best; their areas.
    # (No call, so nobody's experience with its funder is read.)
    cells = cell_queries()
    with django_assert_num_queries(6 + cells):
        matches = matching.organizations_for_request(partner_request)

    assert len(matches) == min(count, matching.TOP)


@pytest.mark.parametrize("countries", ["", "PL,DE"])
def test_matching_builds_none_of_its_queries_again_once_their_shapes_are_compiled(
    poster, areas, municipality, monkeypatch, countries
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes dates as text: shapes with a date are built at every call there")
    # More than the limit: those who answered lately are then tested against the best read.
    org("Fit", municipality, [areas["eu-youth"], areas["eu-culture"]], kind=Organization.Kind.SCHOOL)
    org("Fits less", municipality, [areas["eu-youth"]])
    call = CallFactory()
    requests = [
        loaded(PartnerRequestFactory(
            organization=poster, partner_kinds="school,ngo", countries=countries, call=call,
            thematic_areas=[areas["eu-youth"], areas["eu-culture"]], territories=[municipality.parent],
        ))
        for _ in range(2)
    ]
    matching.organizations_for_request(requests[0], limit=1)
    built = []
    for shapes in vars(matching).values():
        if isinstance(shapes, QueriesByShape):
            monkeypatch.setattr(shapes, "_build", functools.partial(lambda build, **values: built.append(build) or build(**values), shapes._build))

    assert names(matching.organizations_for_request(requests[1], limit=1)) == ["Fit"]
    assert built == []


SEVERAL = [["eu-youth", "eu-culture"], ["eu-culture", "eu-sport"], ["eu-youth", "eu-culture", "eu-sport"]]


@pytest.mark.parametrize(("wanted_areas", "kinds", "countries"), [
    (["eu-youth", "eu-culture"], "ngo", ""),  # both areas (scored), one (cells of each kind), none
    (["eu-youth"], "school", ""),  # those sharing the area of a kind not sought, read in cells
    (["eu-youth", "eu-culture"], "business", ""),  # a kind nobody is: all of them share an area
    ([], "ngo", ""),  # the kind alone
    (["eu-youth", "eu-culture"], "", ""),  # the areas alone
    # Only those in the territory or the countries named, each part read in cells of its own.
    (["eu-youth", "eu-culture"], "ngo", "DE,AT"),
    (["eu-youth"], "school", "DE"),
    # Those sharing two areas and those sharing three, in cells of their own.
    (["eu-youth", "eu-culture", "eu-sport"], "ngo", ""),
    # Five areas: sharing one of them is worth no point (4 * 1 // 5), two 1, three 2.
    (["eu-youth", "eu-culture", "eu-sport", "eu-health", "eu-digital"], "ngo", ""),
])
def test_the_ranking_read_in_parts_is_the_ranking_of_every_candidate(
    poster, areas, municipality, other_county, wanted_areas, kinds, countries
):
    """Candidates sharing one area or none are read only as far as the first ``limit`` of each
    cell (sharing an area or not, kind, place, verification): the best are the same as if each
    candidate were scored. Reading a cell in any other order fails here, and so does leaving
    out a set read apart: those sharing several areas, those experienced with the funder or the
    recent answerers (each read by their best), or reading fewer of them than could reach the
    best read so far."""
    import random

    rng = random.Random(7)
    elsewhere = other_county.children.first()
    now = datetime.datetime.now(datetime.UTC)
    call = CallFactory()
    answered_elsewhere = PartnerRequestFactory(organization=poster)  # no call: answers to it are activity only
    organizations = []
    for number in range(240):
        # Few share several areas, so that the best of those sharing one or none count too.
        shared = rng.choice([[]] * 3 + [["eu-youth"], ["eu-culture"], ["eu-sport"]]) if number % 20 else SEVERAL[number // 20 % 3]
        territory = rng.choice([municipality, elsewhere, None])
        organization = org(
            f"Candidate {number:03d}", territory, [areas[code] for code in shared],
            kind=rng.choice([Organization.Kind.NGO, Organization.Kind.NGO, Organization.Kind.SCHOOL]),
            is_verified=rng.random() < 0.3,
            **({} if territory else {"country": rng.choice(["DE", "AT", "IT"]), "city": "Wien"}),
        )
        updated = now - datetime.timedelta(days=rng.randrange(400), minutes=number)
        Organization.objects.filter(pk=organization.pk).update(updated_at=updated)
        experienced = number % 45 == 7  # 6 of them
        if experienced:
            PartnerRequestFactory(organization=organization, call=CallFactory(programme__funder=call.programme.funder))
        answered = rng.random() < 0.1  # about 24 of them
        if answered:
            ExpressionOfInterestFactory(request=answered_elsewhere, organization=organization)
        in_place = territory == municipality or organization.country in countries.split(",")
        organizations.append((organization.pk, len(set(shared) & set(wanted_areas)), organization.kind,
                              in_place, organization.is_verified, updated, experienced, answered))
    partner_request = loaded(PartnerRequestFactory(
        organization=poster, partner_kinds=kinds, thematic_areas=[areas[code] for code in wanted_areas],
        territories=[municipality], call=call, countries=countries,
    ))
    since = now - datetime.timedelta(days=matching.ACTIVE_DAYS)

    def expected_key(pk, shared, kind, in_place, verified, updated, experienced, answered):
        area = shared * matching.AREA_POINTS // len(wanted_areas) if wanted_areas else 0
        funder = matching.FUNDER_POINTS if experienced else 0
        score = (area + (matching.KIND_POINTS if kind == kinds else 0) + funder
                 + (matching.PLACE_POINTS if in_place else 0)
                 + (matching.ACTIVE_ENTRY_POINTS if updated >= since else 0)
                 + (matching.RECENT_ANSWER_POINTS if answered else 0)
                 + (matching.VERIFIED_POINTS if verified else 0))
        return (-score, -area, -funder, -updated.timestamp(), pk)

    candidates = [row for row in organizations if (row[1] or row[2] == kinds) and (row[3] or not countries)]
    ranking = [(row[0], -expected_key(*row)[0]) for row in sorted(candidates, key=lambda row: expected_key(*row))]

    # Ranked by the score, explained by the reasons: the two agree. At every length from 1 to
    # far fewer than each cell holds, so that the cells' last row and the threshold below which
    # the recent answerers are not read fall on each.
    for limit in range(1, 9):
        matches = matching.organizations_for_request(partner_request, limit=limit)
        assert [(match.item.pk, match.score) for match in matches] == ranking[:limit], limit


def working_in_youth(areas, name, territory, *, minutes_ago, kind=Organization.Kind.NGO, verified=False,
                     funder=None, answered=None):
    """An organization working in youth, its entry updated ``minutes_ago``; it posted a request
    for a call of ``funder`` and answered the request ``answered`` when they are given."""
    organization = org(name, territory, [areas["eu-youth"]], kind=kind, is_verified=verified)
    updated = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=minutes_ago)
    Organization.objects.filter(pk=organization.pk).update(updated_at=updated)
    if funder is not None:
        PartnerRequestFactory(organization=organization, call=CallFactory(programme__funder=funder))
    if answered is not None:
        ExpressionOfInterestFactory(request=answered, organization=organization)
    return organization


def youth_request_for_ngos(poster, areas, municipality, *, call=None):
    """A request of ``poster`` for NGOs working in youth, in ``municipality``, loaded as its page loads it."""
    return loaded(PartnerRequestFactory(
        organization=poster, partner_kinds="ngo", thematic_areas=[areas["eu-youth"]], territories=[municipality],
        call=call,
    ))


def cell_queries() -> int:
    """The queries reading the cells: one UNION where the database slices a compound's parts."""
    return 1 if connection.features.supports_slicing_ordering_in_compound else 12


def worked_with_it_in_no_area(number, municipality, funder, **fields):
    """An NGO in ``municipality`` working in no area, its entry not updated for over a year, that
    posted a request for a call of ``funder``."""
    organization = org(f"Worked with it, no area {number}", municipality, [], kind=Organization.Kind.NGO, **fields)
    Organization.objects.filter(pk=organization.pk).update(
        updated_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=400 + number),
    )
    PartnerRequestFactory(organization=organization, call=CallFactory(programme__funder=funder))
    return organization


def three_at_nine(candidate, municipality):
    """Area 4 + kind 2 + place 1 + activity 1 + verified 1 = 9, three read in their cell (a limit
    of 3): the threshold. The first of them, updated an hour ago, is returned."""
    first, *_others = [
        candidate(f"Base {letter}", municipality, verified=True, minutes_ago=minutes)
        for letter, minutes in zip("ABC", (60, 120, 180), strict=True)
    ]
    return first


def test_a_recent_answerer_who_can_just_reach_the_best_read_so_far_is_read_and_ranked(
    poster, areas, municipality, other_county
):
    """Those who answered lately are read only if their score could reach the best read so far
    (the third best here, 9). Two of them reach it exactly, each by a different set of points, and
    win the tie as the most recently updated: counting one point too few for any part of the score
    leaves one out, and so does a threshold one too high."""
    elsewhere = other_county.children.first()
    answered = PartnerRequestFactory(organization=poster)
    candidate = functools.partial(working_in_youth, areas)
    first_base = three_at_nine(candidate, municipality)
    # The fresher first of the recent answerers' cells, so that the cells do not read them: 8 each.
    for number in range(3):
        candidate(f"Fresh here {number}", municipality, minutes_ago=number + 1)
        candidate(f"Fresh elsewhere {number}", elsewhere, verified=True, minutes_ago=number + 1)
    # 4 + 2 + place 1 + activity 1 + answered 1 = 9, unverified.
    answered_here = candidate("Answered here", municipality, minutes_ago=10, answered=answered)
    # 4 + 2 + activity 1 + answered 1 + verified 1 = 9, elsewhere.
    answered_verified = candidate("Answered elsewhere", elsewhere, verified=True, minutes_ago=20, answered=answered)
    partner_request = youth_request_for_ngos(poster, areas, municipality)

    matches = matching.organizations_for_request(partner_request, limit=3)

    assert [(match.item, match.score) for match in matches] == [(answered_here, 9), (answered_verified, 9), (first_base, 9)]


def test_those_who_answered_lately_are_not_read_when_none_of_them_could_reach_the_best(
    poster, areas, municipality, django_assert_num_queries
):
    """Three at 12 (area 4, kind 2, experience with the funder 2, place 1, activity 1, verified 1,
    a recent answer 1) fill a ranking of three. One who answered lately and shares at most one
    area scores 10 at most, so those who answered lately are not read; they are again once the
    ranking is long enough for one of them."""
    answered = PartnerRequestFactory(organization=poster)
    call = CallFactory()
    candidate = functools.partial(working_in_youth, areas)
    best = [
        candidate(f"Best {number}", municipality, verified=True, minutes_ago=number + 1, answered=answered,
                  funder=call.programme.funder)
        for number in range(3)
    ]
    lately = org("Answered, no shared area", municipality, kind=Organization.Kind.NGO, is_verified=True)
    ExpressionOfInterestFactory(request=answered, organization=lately)
    partner_request = youth_request_for_ngos(poster, areas, municipality, call=call)
    cells = cell_queries()

    # Those who worked with the funder; the units within the territory; the cells (sharing the
    # area and of the kind sought, sharing it, of the kind; in the territory or not; verified or
    # not); how many areas they share; their facts; the best; their areas. Nobody shares
    # several areas: one is named.
    with django_assert_num_queries(6 + cells):
        matches = matching.organizations_for_request(partner_request, limit=3)
    assert [(match.item, match.score) for match in matches] == [(organization, 12) for organization in best]

    with django_assert_num_queries(7 + cells):
        matches = matching.organizations_for_request(partner_request, limit=4)
    # Kind 2, place 1, activity 1, verified 1, a recent answer 1.
    assert (matches[3].item, matches[3].score) == (lately, 6)


def test_those_who_worked_with_the_funder_are_ranked_though_not_first_in_their_cells(
    poster, areas, municipality, other_county
):
    """Those who worked with the funder are scored though they are not in the first of their
    cells. Two reach the third best score (9) exactly, one by the funder's points, one by those
    and a recent answer, and win the tie on experience."""
    elsewhere = other_county.children.first()
    call = CallFactory()
    answered = PartnerRequestFactory(organization=poster)
    funder = call.programme.funder
    candidate = functools.partial(working_in_youth, areas)
    first_base = three_at_nine(candidate, municipality)
    # The fresher first of the experienced ones' cells: 7 and 6.
    for number in range(3):
        candidate(f"Fresh NGO elsewhere {number}", elsewhere, minutes_ago=number + 1)
        candidate(f"Fresh school here {number}", municipality, kind=Organization.Kind.SCHOOL, minutes_ago=number + 1)
    # 4 + kind 2 + funder 2 + activity 1 = 9, elsewhere.
    with_the_funder = candidate("Worked with the funder", elsewhere, minutes_ago=30, funder=funder)
    # 4 + funder 2 + place 1 + activity 1 + answered 1 = 9, a school.
    answering_too = candidate("Worked with it and answered", municipality, kind=Organization.Kind.SCHOOL,
                              minutes_ago=40, funder=funder, answered=answered)
    partner_request = youth_request_for_ngos(poster, areas, municipality, call=call)

    matches = matching.organizations_for_request(partner_request, limit=3)

    assert [(match.item, match.score) for match in matches] == [(with_the_funder, 9), (answering_too, 9), (first_base, 9)]


def test_of_those_who_worked_with_the_funder_only_those_who_can_reach_the_best_are_read(
    poster, areas, municipality, other_county, monkeypatch,
):
    """A funder many have worked with brings thousands of them: those who cannot reach the best
    read so far, even with the funder's points, are not read at all; one who can is read and
    ranked."""
    call = CallFactory()
    funder = call.programme.funder
    candidate = functools.partial(working_in_youth, areas)
    three_at_nine(candidate, municipality)
    # Kind 2 + funder 2 + place 1 = 5 at most without an area: none can reach 9.
    weak = set()
    for number in range(12):
        weak.add(worked_with_it_in_no_area(number, municipality, funder).pk)
    # Area 4 + kind 2 + funder 2 + place 1 + activity 1 = 10, behind fresher ones in its cell.
    for number in range(3):
        candidate(f"Fresh here {number}", municipality, minutes_ago=number + 1)
    strong = candidate("Worked with it, in the area", municipality, minutes_ago=500, funder=funder)
    partner_request = youth_request_for_ngos(poster, areas, municipality, call=call)
    read = set()
    for shape in (matching._FACTS_OF, matching._EXPERIENCED_REACHING, matching._ANSWERED_LATELY):
        def spying(alias, values, *, rows=shape.rows, **options):
            results = rows(alias, values, **options)
            read.update(row[0] for result in results for row in result)
            return results
        monkeypatch.setattr(shape, "rows", spying)

    matches = matching.organizations_for_request(partner_request, limit=3)

    assert (matches[0].item, matches[0].score) == (strong, 10)
    assert strong.pk in read and not read & weak


def test_those_who_worked_with_the_funder_and_share_no_area_are_not_asked_for_once_the_others_outrank_them(
    poster, areas, municipality, django_assert_num_queries,
):
    """Of those who worked with the funder and no cell read, those sharing an area are read
    first: here they raise the best read so far (8) to 10, where those sharing none could score
    8 at most, so these are not asked for at all."""
    call = CallFactory()
    funder = call.programme.funder
    candidate = functools.partial(working_in_youth, areas)
    # Area 4 + kind 2 + place 1 + activity 1 = 8: the best three the cells read.
    for number in range(3):
        candidate(f"Fresh here {number}", municipality, minutes_ago=number + 1)
    # Area 4 + kind 2 + funder 2 + place 1 + activity 1 = 10, behind the fresh ones in their cell.
    strong = [
        candidate(f"Worked with it, in the area {number}", municipality, minutes_ago=500 + number, funder=funder)
        for number in range(3)
    ]
    # Kind 2 + funder 2 + place 1 + verified 1 = 6; a recent answer and activity would make 8.
    for number in range(6):
        worked_with_it_in_no_area(number, municipality, funder, is_verified=True)
    partner_request = youth_request_for_ngos(poster, areas, municipality, call=call)
    cells = cell_queries()

    # Those who worked with the funder; the units within the territory; the cells; how many
    # areas they share; their facts; which of those who worked with the funder share an area;
    # those of them who can reach the best; those who answered lately (sharing the one area,
    # they could); the best; their areas. Not those sharing no area: none can reach 10.
    with django_assert_num_queries(9 + cells):
        matches = matching.organizations_for_request(partner_request, limit=3)

    assert [(match.item, match.score) for match in matches] == [(organization, 10) for organization in strong]


def test_of_those_sharing_several_areas_only_each_cells_first_are_read_and_a_recent_answer_is_not_missed(
    poster, areas, municipality
):
    """Those working in both of the request's areas are read as far as the first ``limit`` of
    each cell (most recently updated first), not all of them; one who answered lately is in a
    cell of its own, though its entry is the oldest: 4 + kind 2 + activity 1 + answered 1 = 8
    against 7 for the others. Leaving the recent answer out of the cells loses it."""
    both = [areas["eu-youth"], areas["eu-culture"]]
    now = datetime.datetime.now(datetime.UTC)
    fresh = []
    for number in range(6):
        organization = org(f"Both {number}", municipality, both)
        Organization.objects.filter(pk=organization.pk).update(updated_at=now - datetime.timedelta(minutes=10 * (number + 1)))
        fresh.append(organization)
    answering = org("Answered lately", municipality, both)
    ExpressionOfInterestFactory(request=PartnerRequestFactory(organization=poster), organization=answering)
    Organization.objects.filter(pk=answering.pk).update(updated_at=now - datetime.timedelta(minutes=100))
    partner_request = loaded(PartnerRequestFactory(organization=poster, partner_kinds="ngo", thematic_areas=both))

    several = matching._sharing_several(connection.alias, {
        "poster_id": poster.pk, "area_ids": [area.pk for area in both], "kinds": OneParameter(["ngo"]),
        "territory_ids": OneParameter([]), "countries": OneParameter([]),
    }, now - datetime.timedelta(days=matching.ACTIVE_DAYS), 3)
    matches = matching.organizations_for_request(partner_request, limit=3)

    assert several == {organization.pk: 2 for organization in [*fresh[:3], answering]}
    assert [(match.item, match.score) for match in matches] == [(answering, 8), (fresh[0], 7), (fresh[1], 7)]


@pytest.mark.parametrize("count", [3, 4, 5])
def test_those_sharing_several_of_three_to_five_areas_are_found_whichever_they_share(poster, areas, municipality, count):
    """Those sharing two areas of a request naming several are found whichever two they share,
    with how many they share; sharing one is not sharing several."""
    extra = [ThematicArea.objects.create(code=f"extra-{number}", scheme="eu", name_en=f"Extra {number}") for number in range(2)]
    wanted = [areas["eu-youth"], areas["eu-culture"], areas["eu-sport"], *extra][:count]
    by_pair = {pair: org(f"Pair {pair}", municipality, [wanted[index] for index in pair])
               for pair in itertools.combinations(range(count), 2)}
    every = org("Every area", municipality, wanted)
    org("One area", municipality, wanted[:1])

    several = matching._sharing_several(connection.alias, {
        "poster_id": poster.pk, "area_ids": [area.pk for area in wanted], "kinds": OneParameter(["ngo"]),
        "territory_ids": OneParameter([]), "countries": OneParameter([]),
    }, datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=matching.ACTIVE_DAYS), 20)

    assert several == {**{organization.pk: 2 for organization in by_pair.values()}, every.pk: count}


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_entries_of_a_cell_updated_at_the_same_instant_are_chosen_by_name(poster, areas, municipality, limit):
    """A cell is read as far as its first ``limit``, most recently updated first; entries updated
    at the very instant of the last of them are read too, so that the order of ties picks them by
    name, as it says, and not by the order in which they were registered."""
    instant = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=3)
    for name in ("Delta", "Alpha", "Charlie", "Bravo"):  # registered in this order
        organization = org(name, municipality, [areas["eu-youth"]])
        Organization.objects.filter(pk=organization.pk).update(updated_at=instant)
    partner_request = loaded(PartnerRequestFactory(
        organization=poster, partner_kinds="ngo", thematic_areas=[areas["eu-youth"]],
    ))

    matches = matching.organizations_for_request(partner_request, limit=limit)

    assert names(matches) == ["Alpha", "Bravo", "Charlie"][:limit]


def test_rows_tied_beyond_the_limit_are_chosen_by_name_then_id():
    """Names are folded only for the rows tied with the last one kept; a tie among more rows
    than the limit is still settled by name (folded: "Łask" is "Lask"), then id."""
    def row(pk, name):
        return (pk, "ngo", False, None, "PL", None, name, 0)

    keyed = [((-6,), row(9, "Zielona Dolina")), ((-5,), row(1, "Zorza")), ((-5,), row(2, "Łask")),
             ((-5,), row(3, "Lasy")), ((-5,), row(4, "Lask")), ((-5,), row(5, "Lask")), ((-4,), row(6, "Aaa"))]

    assert [kept[0] for kept in matching._best(keyed, 4)] == [9, 2, 4, 5]


# --- requests for an organization --------------------------------------------------------------------


@pytest.fixture
def school(municipality, areas):
    return org("Szkoła Podstawowa nr 1", municipality, [areas["eu-youth"], areas["eu-sport"]], kind=Organization.Kind.SCHOOL)


def loaded_organization(organization):
    return selectors.organization_for_matching(slug=organization.slug)


def titles(matches):
    return [match.item.title for match in matches]


def test_requests_that_fit_an_organization_are_ranked_with_reasons(school, poster, areas, municipality):
    PartnerRequestFactory(title="Sport i młodzież", organization=poster, thematic_areas=[areas["eu-youth"], areas["eu-sport"]])
    PartnerRequestFactory(
        title="Szukamy szkół w powiecie", organization=poster, partner_kinds="school",
        territories=[municipality.parent], thematic_areas=[areas["eu-youth"]],
    )
    PartnerRequestFactory(title="Seniorzy", organization=poster, thematic_areas=[areas["pb-seniors"]])

    with translation.override("en"):
        matches = matching.requests_for_organization(loaded_organization(school))

    assert [(match.item.title, match.score) for match in matches] == [
        ("Szukamy szkół w powiecie", 5), ("Sport i młodzież", 4),
    ]
    assert [reason.text for reason in matches[0].reasons] == [
        "Shared thematic areas (1): Youth",
        "Seeks partners of your kind (school)",
        "Seeks partners in Nysa County, where your organization is",
    ]


def test_a_requests_areas_and_places_are_named_in_the_visitors_language(school, poster, areas, municipality):
    county = municipality.parent
    PartnerRequestFactory(
        organization=poster, territories=[county], thematic_areas=[areas["eu-youth"], areas["eu-sport"], areas["pb-seniors"]],
    )
    organization = loaded_organization(school)
    shared = [areas["eu-sport"], areas["eu-youth"]]

    for language in ("pl", "tr"):
        with translation.override(language):
            (match,) = matching.requests_for_organization(organization)
            texts = [reason.text for reason in match.reasons]
        names = sorted(getattr(area, f"name_{language}") or area.name_en for area in shared)
        assert names[0] in texts[0] and names[1] in texts[0]
        assert areas["pb-seniors"].name_en not in texts[0]
        assert (getattr(county, f"name_{language}") or county.name_en) in texts[1]
    assert texts[0] != "Shared thematic areas (2): Sport; Youth"


def test_an_organizations_own_closed_and_expired_requests_do_not_fit_it(school, poster, areas):
    PartnerRequestFactory(title="Own", organization=school, thematic_areas=[areas["eu-youth"]])
    PartnerRequestFactory(title="Closed", organization=poster, status=PartnerRequest.Status.CLOSED, thematic_areas=[areas["eu-youth"]])
    PartnerRequestFactory(
        title="Expired", organization=poster, deadline=phases.today() - datetime.timedelta(days=1),
        thematic_areas=[areas["eu-youth"]],
    )
    PartnerRequestFactory(title="Open", organization=poster, thematic_areas=[areas["eu-youth"]])

    assert titles(matching.requests_for_organization(loaded_organization(school))) == ["Open"]


def test_a_request_the_organization_already_answered_is_marked(school, poster, areas):
    partner_request = PartnerRequestFactory(title="Answered", organization=poster, thematic_areas=[areas["eu-youth"]])
    answered_by_another = PartnerRequestFactory(title="Not yet", organization=poster, thematic_areas=[areas["eu-youth"]])
    ExpressionOfInterestFactory(request=partner_request, organization=school)
    ExpressionOfInterestFactory(request=answered_by_another, organization=OrganizationFactory())

    matches = matching.requests_for_organization(loaded_organization(school))

    assert {match.item.title: match.already_answered for match in matches} == {"Answered": True, "Not yet": False}


def test_a_verified_poster_and_a_named_country_add_a_point_each(school, areas, other_county):
    verified = org("Verified poster", other_county.children.first(), is_verified=True)
    PartnerRequestFactory(organization=verified, countries="PL", thematic_areas=[areas["eu-youth"]])

    with translation.override("en"):
        (match,) = matching.requests_for_organization(loaded_organization(school))

    assert match.score == 4
    assert [reason.text for reason in match.reasons][1:] == [
        "Seeks partners in Poland, where your organization is",
        "Posted by an organization verified by the coordination office",
    ]


@pytest.mark.parametrize("count", [5, 30])
def test_matching_for_an_organization_runs_the_same_queries_for_few_or_many_requests(
    school, poster, areas, municipality, django_assert_num_queries, count
):
    for number in range(count):
        PartnerRequestFactory(
            title=f"Request {number}", organization=poster, partner_kinds="school,ngo", countries="PL,DE",
            thematic_areas=[areas["eu-youth"], areas["eu-sport"]], territories=[municipality.parent],
        )
    organization = loaded_organization(school)

    # Those sharing an area, scored (fewer than the candidates wanted: every candidate then),
    # the candidates (with "already answered"), their areas, their territories.
    with django_assert_num_queries(5):
        matches = matching.requests_for_organization(organization)

    assert len(matches) == min(count, matching.TOP)


def requests_seeking(kind, count, poster, areas, **fields):
    return [
        PartnerRequestFactory(title=f"{kind} {number}", organization=poster, partner_kinds=kind, thematic_areas=areas, **fields)
        for number in range(count)
    ]


def test_requests_sharing_none_of_the_areas_are_not_read_once_those_sharing_one_outrank_them(
    school, poster, areas, municipality, django_assert_num_queries
):
    # Enough requests sharing both areas (4) and seeking schools (2) to fill the candidates.
    requests_seeking("school", matching.CANDIDATE_LIMIT, poster, [areas["eu-youth"], areas["eu-sport"]])
    # Seeking schools in the school's county, by a verified poster: the most one sharing no area scores.
    verified = org("Verified poster", municipality, is_verified=True)
    PartnerRequestFactory(title="Schools, no area", organization=verified, partner_kinds="school", territories=[municipality.parent])
    organization = loaded_organization(school)

    with django_assert_num_queries(4):
        matches = matching.requests_for_organization(organization)

    assert len(matches) == matching.TOP
    assert "Schools, no area" not in titles(matches)
    assert {match.score for match in matches} == {6}


@pytest.mark.parametrize(("sharing_more", "sharing_less"), [(65, 0), (0, 65), (0, 0)])
@pytest.mark.parametrize("seed", [1, 2])
def test_the_requests_read_in_parts_are_the_best_of_every_candidate(
    school, poster, areas, municipality, seed, sharing_more, sharing_less
):
    """Whether those sharing an area outrank the rest (``sharing_more`` of them score more than
    any sharing none) or fill the candidates without (``sharing_less`` score no more), the
    ranking is that of every candidate scored at once."""
    import random

    rng = random.Random(seed)
    verified = org("Verified poster", municipality, is_verified=True)
    requests_seeking("school", sharing_more, poster, [areas["eu-youth"], areas["eu-sport"]])
    # One area, the place and the poster's verification: 4, as much as one sharing none may score.
    requests_seeking("ngo", sharing_less, verified, [areas["eu-youth"]], territories=[municipality.parent])
    PartnerRequestFactory(title="A school, no area", organization=verified, partner_kinds="school", territories=[municipality.parent])
    themes = [[areas["eu-youth"], areas["eu-sport"]], [areas["eu-youth"]], [areas["eu-sport"]], [areas["pb-seniors"]], []]
    for _number in range(30):
        PartnerRequestFactory(
            title=f"Request {rng.randrange(1000):03d}", organization=rng.choice([poster, verified]),
            partner_kinds=rng.choice(["school", "ngo", "school,ngo", ""]), thematic_areas=rng.choice(themes),
            territories=rng.choice([[], [municipality.parent]]), countries=rng.choice(["", "", "PL", "DE"]),
        )
    organization = loaded_organization(school)
    values = {
        "organization_id": organization.pk, "area_ids": [pk for pk, _name in organization.areas], "kind": organization.kind,
        "ancestors": matching._ancestor_paths(organization.territory.path), "country": organization.country,
        "today": phases.today(),
    }
    (every_candidate,) = matching._FITTING_REQUESTS.rows(connection.alias, values, sharing_only=False)
    expected = sorted(every_candidate, key=lambda row: (-row[1], row[2].lower()))[: matching.TOP]

    matches = matching.requests_for_organization(organization)

    assert [(match.item.pk, match.score) for match in matches] == [(pk, score) for pk, score, _title in expected]


def test_those_who_answered_lately_are_asked_for_by_one_query_for_every_best_that_needs_the_same_parts(
    poster, areas, municipality, monkeypatch,
):
    """The best read so far and the points of an area are values of the query that tests those
    who answered lately, not parts of its shape: two bests that leave the same parts of the
    score to be met compile it once, and each returns those who reach it. Compiled for each
    best, a fresh process met a new query at most visits of a request's page."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes dates as text: shapes with a date are built at every call there")
    now = datetime.datetime.now(datetime.UTC)
    since = now - datetime.timedelta(days=matching.ACTIVE_DAYS)
    long_ago = now - datetime.timedelta(days=400)

    def answered_lately(name, kind, *, active):
        organization = org(name, municipality, [areas["eu-youth"]], kind=kind)
        Organization.objects.filter(pk=organization.pk).update(
            last_answered_at=now - datetime.timedelta(days=3), updated_at=now if active else long_ago,
        )
        return organization.pk

    # For a request naming youth alone, with the recent answer's point: area 4 + kind 2 +
    # answer 1 = 7; + activity 1 = 8; area 4 + answer 1 + activity 1 = 6 (a kind not sought).
    seven = answered_lately("Seven", Organization.Kind.NGO, active=False)
    eight = answered_lately("Eight", Organization.Kind.NGO, active=True)
    six = answered_lately("Six", Organization.Kind.SCHOOL, active=True)
    built = []
    shape = matching._ANSWERED_LATELY
    monkeypatch.setattr(shape, "_build", functools.partial(lambda build, **given: built.append(given) or build(**given), shape._build))
    monkeypatch.setattr(shape, "_shapes", {})

    def reaching(threshold, wanted=("eu-youth",)):
        values = {
            "poster_id": poster.pk, "area_ids": OneParameter([areas[code].pk for code in wanted]),
            "kinds": OneParameter(["ngo"]), "territory_ids": OneParameter([]), "countries": OneParameter([]),
        }
        one_area = matching._area_share_points(1, len(wanted))
        needed = matching._needed(values, threshold, given=matching.RECENT_ANSWER_POINTS, area_points=one_area)
        if needed is None:
            return None
        (rows,) = shape.rows(
            Organization.objects.db, {**matching._answered_lately_values(values, since, threshold), "area_points": one_area},
            needed=needed,
        )
        return {row[0] for row in rows}

    # Of the 9 points they may have, 2 or 3 may lack: the area is needed, nothing else.
    assert reaching(7) == {seven, eight}
    assert reaching(6) == {seven, eight, six}
    assert len(built) == 1
    # 1 may lack: the area and the kind are needed.
    assert reaching(8) == {eight}
    assert len(built) == 2
    # Youth and culture named: one area is worth 2 of the 7 they may have; at 6, 1 may lack,
    # the area and the kind are needed again.
    assert reaching(6, wanted=("eu-youth", "eu-culture")) == {eight}
    assert len(built) == 2
    # Nobody can score 10: no query at all.
    assert reaching(10) is None
