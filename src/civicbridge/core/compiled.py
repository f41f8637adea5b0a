"""Queries whose SQL is compiled once and whose rows are read at every call."""

import datetime
import re
import warnings

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


class CompiledQuery:
    """A values query whose SQL is compiled once per database, its rows read at every call.

    Django compiles a queryset's SQL each time it runs it. For the small fixed queries every
    list page runs, its filter menus, compiling cost more than the database's answer (0.25 ms
    against 0.15 for the funders' menu at national scale). A query that nothing in a request
    changes is kept compiled; what it reads is read afresh each time, so nothing goes stale.
    """

    def __init__(self, queryset: QuerySet):
        self._queryset = queryset  # a values_list() queryset, never changed after
        self._compiled: dict[str, tuple] = {}

    def rows(self, values: dict | None = None) -> list[tuple]:
        """The rows; ``values``: parameters to put in place of those the query was compiled
        with (placeholder ids: ``core.selectors``' names of related objects)."""
        alias = self._queryset.db
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        sql, params, converters = compiled
        if values:
            params = tuple(values.get(param, param) if isinstance(param, int) else param for param in params)
        return _run(alias, sql, params, converters)

    def _compile(self, alias: str) -> tuple:
        return _compile(self._queryset, alias)


class OneParameter(list):
    """Values a query sends as one parameter (``field__any`` on PostgreSQL): to
    ``QueriesByShape``, how many there are does not change the SQL, only whether there are any."""


class UnplacedValueWarning(RuntimeWarning):
    """A ``QueriesByShape`` builder was given a value its SQL has no place for: that shape is
    then built at every call. Give the builder only the values its queries read (the tests
    turn this warning into an error)."""


class QueriesByShape:
    """Values queries built by ``build`` and compiled once per *shape* of their arguments, run
    with the arguments' values each time.

    ``build(**arguments)`` returns a list of values querysets. Of its arguments, the *values*
    (whole numbers, texts, dates and datetimes, or lists of them) may change from call to call
    without changing the SQL; the others make the shape, with the length of each list of values
    (of a ``OneParameter``, only whether it is empty). The queries of a shape are built once
    with placeholders in place of the values, compiled, and the placeholders' places among the
    parameters noted: then each call only puts its values there. For partner matching's dozen
    querysets, building and compiling cost more than the database's answer (11 of 28 ms).

    A text found inside another parameter is taken for a LIKE pattern (``startswith``,
    ``contains``) and escaped as Django escapes those. Where the backend rewrote a placeholder
    (SQLite writes dates as text), wrote it into the SQL (a slice) or refused it, that shape is
    built and compiled with the real values at every call, as Django would. So is a shape given a
    value its SQL does not read at all, which may have changed the SQL some other way; that is
    the caller's slip, and says so (``UnplacedValueWarning``).
    """

    def __init__(self, build, *, maxsize: int = 256):
        self._build = build
        self._maxsize = maxsize
        self._shapes: dict[tuple, list | None] = {}

    def rows(self, alias: str, values: dict, **shape) -> list[list[tuple]]:
        """The rows of each query ``build(**values, **shape)`` returns, in its order."""
        key = (alias, tuple(sorted(shape.items())), tuple((name, _size(value)) for name, value in sorted(values.items())))
        compiled = self._shapes.get(key, False)
        if compiled is False:
            compiled = self._compile_shape(alias, values, shape)
            if len(self._shapes) >= self._maxsize:
                self._shapes.clear()  # rare: a process meets a few dozen shapes
            self._shapes[key] = compiled
        if compiled is None:
            queries = [_compile(queryset, alias) for queryset in self._build(**values, **shape)]
            return [_run(alias, sql, params, converters) for sql, params, converters in queries]
        actual = {name: list(value) if isinstance(value, list | tuple) else value for name, value in values.items()}
        return [
            _run(alias, sql, [fill(actual) for fill in filling], converters) for sql, filling, converters in compiled
        ]

    def _compile_shape(self, alias: str, values: dict, shape: dict) -> list | None:
        placeholders = _Placeholders()
        stand_ins = {name: placeholders.stand_in_for(name, value) for name, value in values.items()}
        compiled, found = [], set()
        try:
            querysets = self._build(**stand_ins, **shape)
        except (TypeError, ValueError):  # a stand-in refused (a negative slice): the values count
            return None
        if not querysets:
            return []  # nothing to read for this shape, whatever the values
        for queryset in querysets:
            sql, params, converters = _compile(queryset, alias)
            if sql is not None and placeholders.written_into(sql):
                return None
            filling = [placeholders.filling(param, found, connections[alias].ops) for param in params]
            if None in filling:
                return None
            compiled.append((sql, filling, converters))
        unplaced = sorted({name for name, _index in placeholders.all() - found})
        if unplaced and any(sql is not None for sql, _filling, _converters in compiled):
            warnings.warn(
                f"{getattr(self._build, '__name__', self._build)} was given {', '.join(unplaced)}, which its SQL "
                "does not read: this shape is built at every call",
                UnplacedValueWarning, stacklevel=3,
            )
            return None
        return compiled


class _Placeholders:
    """Stand-ins for the values of a query: whole numbers and datetimes no row holds, and texts
    no one types (characters of Unicode's private use area)."""

    _TEXT = re.compile("\ue000(\\d+)\ue001")
    _FIRST_NUMBER = -(10**15) - 10**6  # apart from core.selectors' placeholder ids
    _FIRST_MOMENT = datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC)

    def __init__(self):
        self._where: dict = {}  # stand-in -> (argument name, index, None, or _ALL)
        self._texts: dict[int, tuple] = {}

    def stand_in_for(self, name: str, value):
        if isinstance(value, OneParameter):
            # One stand-in for them all, if there are any: found as a list (or an array's text),
            # it is filled with all the values; found alone, the backend spread it into a list
            # of placeholders, whose length then counts (``filling``).
            return OneParameter([self._one(name, _ALL, value[0])] if value else [])
        if isinstance(value, list | tuple):
            return [self._one(name, index, item) for index, item in enumerate(value)]
        return self._one(name, None, value)

    def _one(self, name: str, index, value):
        number = len(self._where)
        if isinstance(value, bool):
            raise TypeError("a yes or no changes the SQL: give it as part of the shape")
        if isinstance(value, int):
            stand_in = self._FIRST_NUMBER - number
        elif isinstance(value, str):
            stand_in = f"\ue000{number}\ue001"
            self._texts[number] = (name, index)
        elif isinstance(value, datetime.datetime):
            stand_in = self._FIRST_MOMENT + datetime.timedelta(microseconds=number + 1)
        elif isinstance(value, datetime.date):
            stand_in = self._FIRST_MOMENT.date() - datetime.timedelta(days=number + 1)
        else:
            raise TypeError(f"no placeholder for a {type(value).__name__}")
        self._where[stand_in] = (name, index)
        return stand_in

    def all(self) -> set:
        return set(self._where.values())

    def written_into(self, sql: str) -> bool:
        """Whether a stand-in was written into the SQL itself rather than sent apart."""
        return "\ue000" in sql or any(str(stand_in) in sql for stand_in in self._where if isinstance(stand_in, int))

    def filling(self, param, found: set, ops):
        """How to fill ``param`` from the actual values: itself, a value, or a pattern
        (escaped by the database's ``ops`` as Django escapes a ``startswith``); None where the
        backend rewrote a stand-in into it."""
        if isinstance(param, int | str | datetime.date) and not isinstance(param, bool) and param in self._where:
            where = self._where[param]
            if where[1] is _ALL:
                return None  # one of several values, each with a placeholder of its own here
            found.add(where)
            return _value_at(*where)
        if isinstance(param, list) and len(param) == 1 and self._where.get(param[0], (None, None))[1] is _ALL:
            found.add(self._where[param[0]])
            return _value_at(*self._where[param[0]])
        if isinstance(param, str) and param.startswith("{") and param[1:-1].lstrip("-").isdigit():
            where = self._where.get(int(param[1:-1]))
            if where is not None and where[1] is _ALL:  # an array of whole numbers, as its text
                found.add(where)
                name = where[0]
                return lambda actual: "{" + ",".join(str(int(value)) for value in actual[name]) + "}"
        if isinstance(param, str) and "\ue000" in param:
            parts = self._TEXT.split(param)
            wheres = [self._texts[int(number)] for number in parts[1::2]]
            found.update(wheres)
            return _pattern(parts[0::2], wheres, ops)
        if self._rewritten_into(param):
            return None  # found as it was given elsewhere, maybe, but not here
        return lambda actual: param

    def _rewritten_into(self, param) -> bool:
        """Whether ``param`` may hold a stand-in the backend rewrote (a date as text)."""
        if not isinstance(param, str):
            return False
        return any(
            (stand_in.isoformat() if isinstance(stand_in, datetime.date) else str(stand_in))[:10] in param
            for stand_in in self._where if not isinstance(stand_in, str)
        )


_ALL = "all"  # where a stand-in stands for all the values of a OneParameter


def _size(value):
    """What of a value makes the shape: nothing, its length, or (sent as one) whether it has any."""
    if isinstance(value, OneParameter):
        return ("any", bool(value))
    return len(value) if isinstance(value, list | tuple) else None


def _value_at(name: str, index):
    if index is None or index is _ALL:
        return lambda actual: actual[name]
    return lambda actual: actual[name][index]


def _pattern(literals: list[str], wheres: list[tuple], ops):
    """A LIKE pattern around texts (``startswith``)."""

    def fill(actual):
        pieces = [literals[0]]
        for (name, index), literal in zip(wheres, literals[1:], strict=True):
            value = actual[name] if index is None else actual[name][index]
            pieces += [ops.prep_for_like_query(value), literal]
        return "".join(pieces)

    return fill


def _compile(queryset: QuerySet, alias: str) -> tuple:
    compiler = queryset.query.get_compiler(alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None, (), {}
    columns = [expression for expression, *_rest in compiler.select[: compiler.col_count]]
    return sql, params, compiler.get_converters(columns)


def _run(alias: str, sql: str | None, params, converters: dict) -> list[tuple]:
    if sql is None:
        return []
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for position, (functions, expression) in converters.items():
            for function in functions:
                row[position] = function(row[position], expression, connection)
        converted.append(tuple(row))
    return converted
