"""Queries compiled once per shape of their arguments read each call's own rows."""

import datetime

import pytest
from django.db import connection

from civicbridge.core.compiled import QueriesByShape
from civicbridge.directory.models import Organization
from tests.directory.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


class Counted:
    """A builder that counts how often it is asked to build."""

    def __init__(self, build):
        self.build, self.calls = build, 0

    def __call__(self, **arguments):
        self.calls += 1
        return self.build(**arguments)


def names(rows):
    return sorted(name for (name,) in rows)


def test_one_shape_is_built_once_and_each_call_reads_the_rows_of_its_own_values():
    for name, kind in [("Alpha", "ngo"), ("Albatross", "school"), ("Beta", "ngo"), ("Bison", "school")]:
        OrganizationFactory(name=name, kind=kind)
    build = Counted(lambda *, kinds, prefix, ordered: [
        Organization.objects.filter(kind__in=kinds, name__startswith=prefix).values_list("name").order_by(ordered)
    ])
    shape = QueriesByShape(build)

    def read(kinds, prefix):
        (rows,) = shape.rows(connection.alias, {"kinds": kinds, "prefix": prefix}, ordered="name")
        return names(rows)

    assert read(["ngo"], "Al") == ["Alpha"]
    assert read(["school"], "B") == ["Bison"]
    assert read(["ngo"], "B") == ["Beta"]
    assert build.calls == 1
    # Two kinds are another shape (two placeholders in the SQL), built once more.
    assert read(["ngo", "school"], "A") == ["Albatross", "Alpha"]
    assert read(["ngo", "school"], "B") == ["Beta", "Bison"]
    assert build.calls == 2


def test_a_text_inside_a_pattern_is_escaped_as_django_escapes_it():
    for name in ("50%_ Club", "500 Club", "5_0 Club"):
        OrganizationFactory(name=name)
    shape = QueriesByShape(lambda *, prefix: [Organization.objects.filter(name__startswith=prefix).values_list("name")])

    (first,) = shape.rows(connection.alias, {"prefix": "Nobody"})
    (percent,) = shape.rows(connection.alias, {"prefix": "50%"})
    (underscore,) = shape.rows(connection.alias, {"prefix": "5_"})

    assert (first, names(percent), names(underscore)) == ([], ["50%_ Club"], ["5_0 Club"])


def test_a_datetime_is_put_in_place_where_the_database_takes_it_as_it_is_and_built_anew_elsewhere():
    now = datetime.datetime.now(datetime.UTC)
    for name, days in [("Recent", 1), ("Older", 10), ("Oldest", 100)]:
        organization = OrganizationFactory(name=name)
        Organization.objects.filter(pk=organization.pk).update(updated_at=now - datetime.timedelta(days=days))
    build = Counted(lambda *, since: [Organization.objects.filter(updated_at__gte=since).values_list("name")])
    shape = QueriesByShape(build)

    read = [names(shape.rows(connection.alias, {"since": now - datetime.timedelta(days=days)})[0]) for days in (5, 50)]

    assert read == [["Recent"], ["Older", "Recent"]]
    # PostgreSQL is sent the datetime itself; SQLite its text, where no placeholder can be found.
    assert build.calls == (1 if connection.vendor == "postgresql" else 3)


def test_a_value_written_into_the_sql_itself_makes_the_shape_built_at_every_call():
    for name in ("A", "B", "C"):
        OrganizationFactory(name=name)
    build = Counted(lambda *, count: [Organization.objects.order_by("name").values_list("name")[:count]])
    shape = QueriesByShape(build)

    assert [names(shape.rows(connection.alias, {"count": count})[0]) for count in (1, 2)] == [["A"], ["A", "B"]]
    assert build.calls == 3  # the placeholder tried once, then each call's own count


def test_a_condition_nothing_meets_runs_no_query(django_assert_num_queries):
    shape = QueriesByShape(lambda *, kinds: [Organization.objects.filter(kind__in=kinds).values_list("name")])

    with django_assert_num_queries(0):
        assert shape.rows(connection.alias, {"kinds": []}) == [[]]


def test_a_date_is_put_in_place_as_well():
    from civicbridge.partners.models import PartnerRequest
    from tests.partners.factories import PartnerRequestFactory

    today = datetime.date.today()
    for title, days in [("Soon", 3), ("Later", 30)]:
        PartnerRequestFactory(title=title, deadline=today + datetime.timedelta(days=days))
    build = Counted(lambda *, day: [PartnerRequest.objects.filter(deadline__gte=day).values_list("title")])
    shape = QueriesByShape(build)

    read = [names(shape.rows(connection.alias, {"day": today + datetime.timedelta(days=days)})[0]) for days in (10, 1)]

    assert read == [["Later"], ["Later", "Soon"]]
    assert build.calls == (1 if connection.vendor == "postgresql" else 3)


def test_a_value_found_as_given_but_also_rewritten_into_another_parameter_makes_the_shape_built_at_every_call():
    from django.db.models import CharField, Value

    now = datetime.datetime.now(datetime.UTC)
    OrganizationFactory(name="Recent")
    build = Counted(lambda *, since: [
        Organization.objects.filter(updated_at__gte=since)
        .annotate(since_text=Value(since.isoformat(), output_field=CharField())).values_list("since_text")
    ])
    shape = QueriesByShape(build)

    for days in (1, 2):
        since = now - datetime.timedelta(days=days)
        assert shape.rows(connection.alias, {"since": since}) == [[(since.isoformat(),)]]
    assert build.calls == 3


def test_values_sent_as_one_parameter_make_one_shape_whatever_their_number():
    from civicbridge.core.compiled import OneParameter

    for name, kind, country in [("Verein", "ngo", "DE"), ("Szkoła", "school", "PL"), ("Dernek", "ngo", "TR")]:
        OrganizationFactory(name=name, kind=kind, country=country, territory=None, city="Somewhere")
    build = Counted(lambda *, kinds, countries, ids: [
        Organization.objects.filter(kind__any=kinds, country__any=countries).exclude(pk__any=ids).values_list("name")
    ])
    shape = QueriesByShape(build)

    def read(kinds, countries, ids=(0,)):
        values = {"kinds": OneParameter(kinds), "countries": OneParameter(countries), "ids": OneParameter(ids)}
        return names(shape.rows(connection.alias, values)[0])

    assert read(["ngo"], ["DE", "TR"]) == ["Dernek", "Verein"]
    assert read(["ngo", "school"], ["PL", "TR", "DE"]) == ["Dernek", "Szkoła", "Verein"]
    assert read(["school"], ["DE"]) == []
    verein = Organization.objects.get(name="Verein").pk
    assert read(["ngo"], ["DE", "TR"], ids=[verein, 0]) == ["Dernek"]
    # One array each on PostgreSQL; elsewhere a placeholder a value, so their number counts.
    assert build.calls == (1 if connection.vendor == "postgresql" else 5)
    # None at all is another shape: a condition nothing meets.
    assert read([], ["DE"]) == []


def test_a_value_the_sql_does_not_read_is_named_and_its_shape_built_at_every_call():
    from civicbridge.core.compiled import UnplacedValueWarning

    OrganizationFactory(name="Alpha", kind="ngo")
    build = Counted(lambda *, kinds, prefix: [Organization.objects.filter(kind__in=kinds).values_list("name")])
    shape = QueriesByShape(build)

    with pytest.warns(UnplacedValueWarning, match="prefix"):
        (rows,) = shape.rows(connection.alias, {"kinds": ["ngo"], "prefix": "A"})
    assert names(rows) == ["Alpha"]
    (rows,) = shape.rows(connection.alias, {"kinds": ["ngo"], "prefix": "B"})  # said once
    assert names(rows) == ["Alpha"]
    # Built with stand-ins, then with the values at each of the two calls.
    assert build.calls == 3
