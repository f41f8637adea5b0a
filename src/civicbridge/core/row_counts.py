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

PostgreSQL counts per statement (one count over the statement's rows, whatever their number),
SQLite per row. An increment creates the count's row, a decrement only changes it: when a
flush empties the counts before the table (Django deletes table by table), removing the
rows leaves the count empty, which reads 0, as the table then is. TRUNCATE empties it too.
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections

TABLE = "core_rowcount"


@dataclass(frozen=True)
class RowCounter:
    name: str  # "events.published": unique, also the count's key
    table: str  # the counted table
    condition: str  # SQL with {row} before each column: "{row}published_at IS NOT NULL"

    @property
    def _slug(self) -> str:
        return "core_count_" + self.name.replace(".", "_")

    def _on(self, row: str) -> str:
        return "(" + self.condition.format(row=row) + ")"

    # -- PostgreSQL: one trigger function per count, statement-level triggers over the transition tables

    def _postgresql_install(self) -> list[str]:
        quoted = self.name.replace("'", "''")
        add = (
            f"INSERT INTO {TABLE} (name, n) VALUES ('{quoted}', change) "
            f"ON CONFLICT (name) DO UPDATE SET n = {TABLE}.n + EXCLUDED.n"
        )
        subtract = f"UPDATE {TABLE} SET n = n + change WHERE name = '{quoted}'"
        function = f"""
        CREATE FUNCTION {self._slug}() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE change bigint;
        BEGIN
          IF TG_OP = 'TRUNCATE' THEN
            DELETE FROM {TABLE} WHERE name = '{quoted}';
            RETURN NULL;
          ELSIF TG_OP = 'INSERT' THEN
            SELECT count(*) INTO change FROM new_rows WHERE {self._on("")};
          ELSIF TG_OP = 'DELETE' THEN
            SELECT -count(*) INTO change FROM old_rows WHERE {self._on("")};
          ELSE
            SELECT (SELECT count(*) FROM new_rows WHERE {self._on("")})
                 - (SELECT count(*) FROM old_rows WHERE {self._on("")}) INTO change;
          END IF;
          IF change > 0 THEN
            {add};
          ELSIF change < 0 THEN
            {subtract};
          END IF;
          RETURN NULL;
        END $$
        """
        run = f"FOR EACH STATEMENT EXECUTE FUNCTION {self._slug}()"
        return [
            function,
            f"CREATE TRIGGER {self._slug}_insert AFTER INSERT ON {self.table} REFERENCING NEW TABLE AS new_rows {run}",
            f"""CREATE TRIGGER {self._slug}_update AFTER UPDATE ON {self.table}
                REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {run}""",
            f"CREATE TRIGGER {self._slug}_delete AFTER DELETE ON {self.table} REFERENCING OLD TABLE AS old_rows {run}",
            f"CREATE TRIGGER {self._slug}_truncate AFTER TRUNCATE ON {self.table} {run}",
        ]

    def _postgresql_remove(self) -> list[str]:
        return [
            f"DROP TRIGGER IF EXISTS {self._slug}_{event} ON {self.table}"
            for event in ("insert", "update", "delete", "truncate")
        ] + [f"DROP FUNCTION IF EXISTS {self._slug}()"]

    # -- SQLite: row-level triggers

    def _sqlite_install(self) -> list[str]:
        quoted = self.name.replace("'", "''")

        def add(row: str) -> str:
            return (
                f"INSERT INTO {TABLE} (name, n) SELECT '{quoted}', 1 WHERE {self._on(row)} "
                f"ON CONFLICT (name) DO UPDATE SET n = n + 1;"
            )

        def subtract(row: str) -> str:
            return f"UPDATE {TABLE} SET n = n - 1 WHERE name = '{quoted}' AND {self._on(row)};"

        def truth(row: str) -> str:
            return f"(CASE WHEN {self._on(row)} THEN 1 ELSE 0 END)"

        return [
            f"CREATE TRIGGER {self._slug}_insert AFTER INSERT ON {self.table} BEGIN {add('NEW.')} END",
            f"CREATE TRIGGER {self._slug}_delete AFTER DELETE ON {self.table} BEGIN {subtract('OLD.')} END",
            f"""CREATE TRIGGER {self._slug}_update AFTER UPDATE ON {self.table}
                WHEN {truth('OLD.')} <> {truth('NEW.')} BEGIN {subtract('OLD.')} {add('NEW.')} END""",
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
        statement, params = ["COALESCE((SELECT n FROM " + TABLE + " WHERE name = %s), 0)"], [self.name]
        for number, part in enumerate(parts):
            try:
                sql, part_params = part.order_by().values("pk").query.sql_with_params()
            except EmptyResultSet:  # a condition nothing can meet (``pk__in=[]``)
                statement.append("0")
                continue
            statement.append(f"(SELECT count(*) FROM ({sql}) AS part_{number})")
            params += part_params
        with connections[parts[0].db if parts else "default"].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(statement), params)
            current, *sizes = cursor.fetchone()
        return current, list(sizes)

    # -- migrations

    def install(self, apps, schema_editor) -> None:
        """Install the triggers and count the rows already there (a RunPython operation)."""
        quoted = self.name.replace("'", "''")
        recount = [
            f"DELETE FROM {TABLE} WHERE name = '{quoted}'",
            f"INSERT INTO {TABLE} (name, n) SELECT '{quoted}', count(*) FROM {self.table} WHERE {self._on('')}",
        ]
        for statement in [*self._statements(schema_editor, install=True), *recount]:
            schema_editor.execute(statement, params=None)

    def remove(self, apps, schema_editor) -> None:
        quoted = self.name.replace("'", "''")
        for statement in [*self._statements(schema_editor, install=False), f"DELETE FROM {TABLE} WHERE name = '{quoted}'"]:
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
