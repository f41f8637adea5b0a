"""Counts the database keeps: how many rows of a table meet a condition, exact after every write.

The home page says how many published events, calls and projects there are. Counting them
reads every such row on every visit: 200,000 events take 9 ms of three PostgreSQL processes
at the national scale, and three times that at three times the data. A trigger on the table
counts every write instead, whoever makes it: the services, the admin, an import, a bulk
update or plain SQL (``directory.tally`` does the same per territory for organizations).

An app declares its count once and installs it in a migration::

    PUBLISHED = RowCounter("events.published", table="events_event", condition="{row}published_at IS NOT NULL")
    migrations.RunPython(PUBLISHED.install, PUBLISHED.remove)

``condition`` is SQL over the table's columns, each prefixed with ``{row}`` (the trigger fills
in the row it tests). Read it with ``row_count(name)``.

A count may be kept apart for each value of a ``key`` (SQL by database vendor, as
``condition``): the events by the day they start and their kind, in rows named
``events.starts:2026-12-08:training``. ``total_with`` sums a range of them: the events ahead
from tomorrow on, of some kinds, without reading an index entry for each.

PostgreSQL counts per statement (one count over the statement's rows, whatever their number),
SQLite per row. An increment creates the count's row, a decrement only changes it: when a
flush empties the counts before the table (Django deletes table by table), removing the
rows leaves the count empty, which reads 0, as the table then is. TRUNCATE empties it too.
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections

from .triggers import dropped_statement_triggers, statement_triggers

TABLE = "core_rowcount"


@dataclass(frozen=True)
class RowCounter:
    name: str  # "events.published": unique, also the count's key
    table: str  # the counted table
    condition: str  # SQL with {row} before each column: "{row}published_at IS NOT NULL"
    # Counts kept apart for each value of this SQL (by database vendor, {row} before each
    # column), each in a row named "<name>:<value>"; none: one count.
    key: tuple[tuple[str, str], ...] = ()

    @property
    def _slug(self) -> str:
        return "core_count_" + self.name.replace(".", "_")

    def _on(self, row: str) -> str:
        return "(" + self.condition.format(row=row) + ")"

    @property
    def _quoted(self) -> str:
        return self.name.replace("'", "''")

    def _count_name(self, row: str, vendor: str) -> str:
        """SQL naming the count a row of the table goes to."""
        if not self.key:
            return f"'{self._quoted}'"
        return f"'{self._quoted}:' || ({dict(self.key)[vendor].format(row=row)})"

    def _all_counts(self) -> str:
        """SQL: the counts' rows of TABLE (a range of names for a keyed count)."""
        if not self.key:
            return f"name = '{self._quoted}'"
        return f"name >= '{self._quoted}:' AND name < '{self._quoted};'"

    # -- PostgreSQL: one trigger function per count, statement-level triggers over the transition tables

    def _postgresql_install(self) -> list[str]:
        name = self._count_name("", "postgresql")

        def changes(*sides: tuple[str, int]) -> str:
            # (count name, change) for each count the statement changed: its rows in and out.
            rows = " UNION ALL ".join(
                f"SELECT {name} AS name, {sign} AS change FROM {table} WHERE {self._on('')}" for table, sign in sides
            )
            return f"SELECT name, sum(change) AS change FROM ({rows}) AS rows GROUP BY name"

        def apply(*sides: tuple[str, int]) -> str:
            return f"""
            INSERT INTO {TABLE} (name, n) SELECT name, change FROM ({changes(*sides)}) AS c WHERE change > 0
              ON CONFLICT (name) DO UPDATE SET n = {TABLE}.n + EXCLUDED.n;
            UPDATE {TABLE} SET n = {TABLE}.n + c.change FROM ({changes(*sides)}) AS c
              WHERE {TABLE}.name = c.name AND c.change < 0;"""

        function = f"""
        CREATE FUNCTION {self._slug}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'TRUNCATE' THEN
            DELETE FROM {TABLE} WHERE {self._all_counts()};
          ELSIF TG_OP = 'INSERT' THEN{apply(("new_rows", 1))}
          ELSIF TG_OP = 'DELETE' THEN{apply(("old_rows", -1))}
          ELSE{apply(("new_rows", 1), ("old_rows", -1))}
          END IF;
          RETURN NULL;
        END $$
        """
        return [function, *statement_triggers(self._slug, self.table, self._slug)]

    def _postgresql_remove(self) -> list[str]:
        return dropped_statement_triggers(self._slug, self.table, self._slug)

    # -- SQLite: row-level triggers

    def _sqlite_install(self) -> list[str]:
        def name(row: str) -> str:
            return self._count_name(row, "sqlite")

        def add(row: str) -> str:
            return (
                f"INSERT INTO {TABLE} (name, n) SELECT {name(row)}, 1 WHERE {self._on(row)} "
                f"ON CONFLICT (name) DO UPDATE SET n = n + 1;"
            )

        def subtract(row: str) -> str:
            return f"UPDATE {TABLE} SET n = n - 1 WHERE name = {name(row)} AND {self._on(row)};"

        def truth(row: str) -> str:
            return f"(CASE WHEN {self._on(row)} THEN 1 ELSE 0 END)"

        return [
            f"CREATE TRIGGER {self._slug}_insert AFTER INSERT ON {self.table} BEGIN {add('NEW.')} END",
            f"CREATE TRIGGER {self._slug}_delete AFTER DELETE ON {self.table} BEGIN {subtract('OLD.')} END",
            f"""CREATE TRIGGER {self._slug}_update AFTER UPDATE ON {self.table}
                WHEN {truth('OLD.')} <> {truth('NEW.')} OR {name('OLD.')} IS NOT {name('NEW.')}
                BEGIN {subtract('OLD.')} {add('NEW.')} END""",
        ]

    def _sqlite_remove(self) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {self._slug}_{event}" for event in ("insert", "update", "delete")]

    def current(self) -> int:
        """The count now (one read of one row)."""
        return row_count(self.name)

    def current_less(self, part, *, plus=None) -> int:
        """The count less the rows of the queryset ``part`` (rows it counts), plus those of the
        queryset ``plus`` (rows it does not count) when given, all read in one statement, so at
        one moment: a row written between two reads would be counted on one side only."""
        current, sizes = self.current_with(part, *([plus] if plus is not None else []))
        return current - sizes[0] + sum(sizes[1:])

    def current_with(self, *parts) -> tuple[int, list[int]]:
        """The count and the number of rows of each queryset of ``parts``, all read in one
        statement, so at one moment (each part a range of an index, where counting what the
        count already knows would read every row)."""
        kept = ("COALESCE((SELECT n FROM " + TABLE + " WHERE name = %s), 0)", [self.name])
        current, *sizes = read_together(kept, *parts)
        return current, sizes

    def total_with(self, *parts, from_key: str, endings=()) -> tuple[int, list[int]]:
        """Of a keyed count: the sum of the counts of the keys from ``from_key`` on (compared as
        text), only those ending with one of ``endings`` when given; and for each of ``parts``
        the number of rows of a queryset or the value of an (SQL, params) expression; all read
        in one statement, as ``current_with``."""
        sql = f"SELECT SUM(n) FROM {TABLE} WHERE name >= %s AND name < %s"
        params = [f"{self.name}:{from_key}", f"{self.name};"]
        if endings:
            sql += " AND (" + " OR ".join(["name LIKE %s ESCAPE '\\'"] * len(endings)) + ")"
            params += ["%:" + _escaped_like(ending) for ending in endings]
        total, *sizes = read_together((f"COALESCE(({sql}), 0)", params), *parts)
        return int(total), sizes  # PostgreSQL sums integers as numeric

    # -- migrations

    def install(self, apps, schema_editor) -> None:
        """Install the triggers and count the rows already there (a RunPython operation)."""
        name = self._count_name("", schema_editor.connection.vendor)
        recount = [
            f"DELETE FROM {TABLE} WHERE {self._all_counts()}",
            f"INSERT INTO {TABLE} (name, n) SELECT {name}, count(*) FROM {self.table} WHERE {self._on('')} GROUP BY 1",
        ]
        for statement in [*self._statements(schema_editor, install=True), *recount]:
            schema_editor.execute(statement, params=None)

    def remove(self, apps, schema_editor) -> None:
        for statement in [*self._statements(schema_editor, install=False), f"DELETE FROM {TABLE} WHERE {self._all_counts()}"]:
            schema_editor.execute(statement, params=None)

    def _statements(self, schema_editor, *, install: bool) -> list[str]:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            return self._postgresql_install() if install else self._postgresql_remove()
        if vendor == "sqlite":
            return self._sqlite_install() if install else self._sqlite_remove()
        raise NotImplementedError(f"counts kept by the database have no triggers for {vendor}")


def row_count(name: str) -> int:
    """The count ``name`` as the database keeps it (0 while it holds none)."""
    from .models import RowCount

    return RowCount.objects.filter(name=name).values_list("n", flat=True).first() or 0


def _escaped_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def read_together(*parts) -> list:
    """In one statement, so at one moment: for each of ``parts`` the number of rows of a
    queryset, or the value of an (SQL, params) expression."""
    statement, params = [], []
    for number, part in enumerate(parts):
        if isinstance(part, tuple):
            statement.append(f"({part[0]})")
            params += part[1]
            continue
        try:
            sql, part_params = part.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # a condition nothing can meet (``pk__in=[]``)
            statement.append("0")
            continue
        statement.append(f"(SELECT count(*) FROM ({sql}) AS part_{number})")
        params += part_params
    alias = next((part.db for part in parts if not isinstance(part, tuple)), "default")
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(statement), params)
        return list(cursor.fetchone())
