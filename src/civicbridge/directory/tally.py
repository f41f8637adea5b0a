"""The organization tally's triggers: the database counts every write to the registry.

A count kept by the services would miss the admin's bulk actions, imports that bypass a
service and plain SQL; a trigger sees them all. PostgreSQL counts per statement (one
upsert per statement, grouped, whatever the number of rows), SQLite per row. An update
that changes none of the counted columns writes nothing. TRUNCATE empties the tally too.
"""

from civicbridge.core.triggers import (
    dropped_statement_triggers,
    install_triggers,
    remove_triggers,
    statement_triggers,
)

KEY = ("territory_id", "kind", "registration", "is_verified")
TABLE = "directory_organizationtally"
SOURCE = "directory_organization"
# A foreign organization has no territory: it is counted under territory 0, which no unit
# has, so that the unique key holds (NULLs never conflict) and no territory's count holds it.
NO_TERRITORY = 0

_COLUMNS = ", ".join(KEY)


def _keyed(row: str = "") -> str:
    """The key's columns of the organization row ``row`` (a table alias, or none), as the
    tally stores them: territory_id with NO_TERRITORY for none."""
    prefix = f"{row}." if row else ""
    return ", ".join(
        f"COALESCE({prefix}{column}, {NO_TERRITORY}) AS {column}" if column == "territory_id" else f"{prefix}{column}"
        for column in KEY
    )


def _value(row: str, column: str) -> str:
    return f"COALESCE({row}.{column}, {NO_TERRITORY})" if column == "territory_id" else f"{row}.{column}"


def _pg_apply(table: str, columns: str, changes: str) -> str:
    """Add ``changes`` (a query of the key ``columns`` and ``change``) to ``table``: increments
    in key order, so that two statements never wait for each other's rows; a decrement
    changes an existing row only (when the tally was emptied first, it stays empty)."""
    match = " AND ".join(f"t.{column} = c.{column}" for column in columns.split(", "))
    return f"""
        INSERT INTO {table} ({columns}, n)
        SELECT {columns}, change FROM ({changes}) AS c WHERE change > 0 ORDER BY {columns}
        ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + EXCLUDED.n;
        UPDATE {table} AS t SET n = t.n + c.change FROM ({changes}) AS c WHERE c.change < 0 AND {match};
    """


POSTGRESQL_INSTALL = [
    f"""
    CREATE FUNCTION directory_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {TABLE};
      ELSIF TG_OP = 'INSERT' THEN
        {_pg_apply(TABLE, _COLUMNS, f"SELECT {_keyed()}, count(*) AS change FROM new_rows GROUP BY 1, 2, 3, 4")}
      ELSIF TG_OP = 'DELETE' THEN
        {_pg_apply(TABLE, _COLUMNS, f"SELECT {_keyed()}, -count(*) AS change FROM old_rows GROUP BY 1, 2, 3, 4")}
      ELSE
        {_pg_apply(TABLE, _COLUMNS, f"""SELECT {_COLUMNS}, sum(change) AS change FROM (
          SELECT {_keyed()}, -1 AS change FROM old_rows UNION ALL SELECT {_keyed()}, 1 FROM new_rows
        ) AS changes GROUP BY {_COLUMNS} HAVING sum(change) <> 0""")}
      END IF;
      RETURN NULL;
    END $$
    """,
    *statement_triggers("directory_tally", SOURCE, "directory_tally_apply"),
]
POSTGRESQL_REMOVE = dropped_statement_triggers("directory_tally", SOURCE, "directory_tally_apply")


def _sqlite_add(row: str, change: int) -> str:
    values = ", ".join(_value(row, column) for column in KEY)
    if change < 0:
        # A decrement never creates a row: when the tally was emptied first (Django's flush
        # deletes table by table), removing the organizations must leave it empty.
        match = " AND ".join(f"{column} = {_value(row, column)}" for column in KEY)
        return f"UPDATE {TABLE} SET n = n + {change} WHERE {match};"
    return (
        f"INSERT INTO {TABLE} ({_COLUMNS}, n) VALUES ({values}, {change}) "
        f"ON CONFLICT ({_COLUMNS}) DO UPDATE SET n = n + {change};"
    )


_CHANGED = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in KEY)
SQLITE_INSTALL = [
    f"CREATE TRIGGER directory_tally_insert AFTER INSERT ON {SOURCE} BEGIN {_sqlite_add('NEW', 1)} END",
    f"CREATE TRIGGER directory_tally_delete AFTER DELETE ON {SOURCE} BEGIN {_sqlite_add('OLD', -1)} END",
    f"""CREATE TRIGGER directory_tally_update AFTER UPDATE OF {_COLUMNS} ON {SOURCE} WHEN {_CHANGED}
        BEGIN {_sqlite_add('OLD', -1)} {_sqlite_add('NEW', 1)} END""",
]
SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS directory_tally_{event}" for event in ("insert", "update", "delete")]


def install_tally_triggers(apps, schema_editor) -> None:
    install_triggers(schema_editor, postgresql=POSTGRESQL_INSTALL, sqlite=SQLITE_INSTALL, recount=[
        f"DELETE FROM {TABLE}",
        f"INSERT INTO {TABLE} ({_COLUMNS}, n) SELECT {_keyed()}, count(*) FROM {SOURCE} GROUP BY 1, 2, 3, 4",
    ])


def remove_tally_triggers(apps, schema_editor) -> None:
    remove_triggers(schema_editor, postgresql=POSTGRESQL_REMOVE, sqlite=SQLITE_REMOVE)


# --- per thematic area ------------------------------------------------------------------------
# Counted from the link table (an area added to or removed from an organization) and from the
# organization table (an organization whose counted columns change moves its areas' counts).
# Django removes an organization's links before the organization itself, so a deletion is
# counted by the link table's trigger while the organization can still be read.

AREA_TABLE = "directory_organizationareatally"
LINKS = "directory_organization_thematic_areas"
_AREA_COLUMNS = "thematic_area_id, " + _COLUMNS
_ORG = _keyed("o")


_AREA_KEY = f"l.thematicarea_id AS thematic_area_id, {_ORG}"
_AREA_GROUP = "GROUP BY 1, 2, 3, 4, 5"

POSTGRESQL_AREA_INSTALL = [
    f"""
    CREATE FUNCTION directory_area_tally_links() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {AREA_TABLE};
      ELSIF TG_OP = 'INSERT' THEN
        {_pg_apply(AREA_TABLE, _AREA_COLUMNS, f"SELECT {_AREA_KEY}, count(*) AS change FROM new_rows l JOIN {SOURCE} o ON o.id = l.organization_id {_AREA_GROUP}")}
      ELSE
        {_pg_apply(AREA_TABLE, _AREA_COLUMNS, f"SELECT {_AREA_KEY}, -count(*) AS change FROM old_rows l JOIN {SOURCE} o ON o.id = l.organization_id {_AREA_GROUP}")}
      END IF;
      RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION directory_area_tally_moves() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {AREA_TABLE};
        RETURN NULL;
      END IF;
      {_pg_apply(AREA_TABLE, _AREA_COLUMNS, f"""SELECT l.thematicarea_id AS thematic_area_id, {", ".join(f"o.{column}" for column in KEY)}, sum(o.change) AS change
        FROM (SELECT id, {_keyed()}, -1 AS change FROM old_rows UNION ALL SELECT id, {_keyed()}, 1 FROM new_rows) o
        JOIN {LINKS} l ON l.organization_id = o.id
        {_AREA_GROUP} HAVING sum(o.change) <> 0""")}
      RETURN NULL;
    END $$
    """,
    f"""CREATE TRIGGER directory_area_tally_link_insert AFTER INSERT ON {LINKS}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_area_tally_links()""",
    f"""CREATE TRIGGER directory_area_tally_link_delete AFTER DELETE ON {LINKS}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_area_tally_links()""",
    f"""CREATE TRIGGER directory_area_tally_link_truncate AFTER TRUNCATE ON {LINKS}
        FOR EACH STATEMENT EXECUTE FUNCTION directory_area_tally_links()""",
    f"""CREATE TRIGGER directory_area_tally_move AFTER UPDATE ON {SOURCE}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION directory_area_tally_moves()""",
    f"""CREATE TRIGGER directory_area_tally_truncate AFTER TRUNCATE ON {SOURCE}
        FOR EACH STATEMENT EXECUTE FUNCTION directory_area_tally_moves()""",
]
POSTGRESQL_AREA_REMOVE = [
    f"DROP TRIGGER IF EXISTS directory_area_tally_link_{event} ON {LINKS}" for event in ("insert", "delete", "truncate")
] + [
    f"DROP TRIGGER IF EXISTS directory_area_tally_{event} ON {SOURCE}" for event in ("move", "truncate")
] + ["DROP FUNCTION IF EXISTS directory_area_tally_links()", "DROP FUNCTION IF EXISTS directory_area_tally_moves()"]


def _sqlite_area_add(select: str) -> str:
    return (
        f"INSERT INTO {AREA_TABLE} ({_AREA_COLUMNS}, n) {select} "
        f"ON CONFLICT ({_AREA_COLUMNS}) DO UPDATE SET n = n + excluded.n;"
    )


def _sqlite_area_subtract(area: str, key: dict) -> str:
    # As _sqlite_add: a decrement never creates a row.
    match = " AND ".join([area, *(f"{column} = {value}" for column, value in key.items())])
    return f"UPDATE {AREA_TABLE} SET n = n - 1 WHERE {match};"


def _sqlite_area_link(row: str, change: int) -> str:
    if change < 0:
        key = {column: f"(SELECT {_value('o', column)} FROM {SOURCE} o WHERE o.id = {row}.organization_id)" for column in KEY}
        return _sqlite_area_subtract(f"thematic_area_id = {row}.thematicarea_id", key)
    return _sqlite_area_add(f"SELECT {row}.thematicarea_id, {_ORG}, {change} FROM {SOURCE} o WHERE o.id = {row}.organization_id")


def _sqlite_area_move(row: str, change: int) -> str:
    if change < 0:
        area = f"thematic_area_id IN (SELECT l.thematicarea_id FROM {LINKS} l WHERE l.organization_id = {row}.id)"
        return _sqlite_area_subtract(area, {column: _value(row, column) for column in KEY})
    columns = ", ".join(_value(row, column) for column in KEY)
    return _sqlite_area_add(f"SELECT l.thematicarea_id, {columns}, {change} FROM {LINKS} l WHERE l.organization_id = {row}.id")


SQLITE_AREA_INSTALL = [
    f"CREATE TRIGGER directory_area_tally_link_insert AFTER INSERT ON {LINKS} BEGIN {_sqlite_area_link('NEW', 1)} END",
    f"CREATE TRIGGER directory_area_tally_link_delete AFTER DELETE ON {LINKS} BEGIN {_sqlite_area_link('OLD', -1)} END",
    f"""CREATE TRIGGER directory_area_tally_move AFTER UPDATE OF {_COLUMNS} ON {SOURCE} WHEN {_CHANGED}
        BEGIN {_sqlite_area_move('OLD', -1)} {_sqlite_area_move('NEW', 1)} END""",
]
SQLITE_AREA_REMOVE = [
    f"DROP TRIGGER IF EXISTS directory_area_tally_{event}" for event in ("link_insert", "link_delete", "move")
]


def install_area_tally_triggers(apps, schema_editor) -> None:
    install_triggers(schema_editor, postgresql=POSTGRESQL_AREA_INSTALL, sqlite=SQLITE_AREA_INSTALL, recount=[
        f"DELETE FROM {AREA_TABLE}",
        f"INSERT INTO {AREA_TABLE} ({_AREA_COLUMNS}, n) SELECT l.thematicarea_id, {_ORG}, count(*) "
        f"FROM {LINKS} l JOIN {SOURCE} o ON o.id = l.organization_id GROUP BY 1, 2, 3, 4, 5",
    ])


def remove_area_tally_triggers(apps, schema_editor) -> None:
    remove_triggers(schema_editor, postgresql=POSTGRESQL_AREA_REMOVE, sqlite=SQLITE_AREA_REMOVE)
