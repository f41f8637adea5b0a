"""A query whose SQL is compiled once and whose rows are read at every call."""

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
        if sql is None:
            return []
        if values:
            params = tuple(values.get(param, param) if isinstance(param, int) else param for param in params)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return rows
        # The conversions Django applies to what it reads (a backend's booleans, decimals, dates).
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters.items():
                for function in functions:
                    row[position] = function(row[position], expression, connection)
            converted.append(tuple(row))
        return converted

    def _compile(self, alias: str) -> tuple:
        compiler = self._queryset.query.get_compiler(alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # a condition nothing meets: no query to run
            return None, (), {}
        columns = [expression for expression, *_rest in compiler.select[: compiler.col_count]]
        return sql, params, compiler.get_converters(columns)
