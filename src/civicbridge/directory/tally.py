"""The organization tally's triggers: the database counts every write to the registry.

A count kept by the services would miss the admin's bulk actions, imports that bypass a
service and plain SQL; a trigger sees them all. PostgreSQL counts per statement (one
upsert per statement, grouped, whatever the number of rows), SQLite per row. An update
that changes none of the counted columns writes nothing. TRUNCATE empties the tally too.
"""

KEY = ("territory_id", "kind", "registration", "is_verified")
TABLE = "directory_organizationtally"
SOURCE = "directory_organization"

_COLUMNS = ", ".join(KEY)

POSTGRESQL_INSTALL = [
    f"""
    CREATE FUNCTION directory_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {TABLE};
        RETURN NULL;
      END IF;
      -- Rows in key order, so that two statements never wait for each other's tally rows.
      IF TG_OP = 'INSERT' THEN
        INSERT INTO {TABLE} ({_COLUMNS}, n)
        SELECT {_COLUMNS}, count(*) FROM new_rows GROUP BY {_COLUMNS} ORDER BY {_COLUMNS}
        ON CONFLICT ({_COLUMNS}) DO UPDATE SET n = {TABLE}.n + EXCLUDED.n;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO {TABLE} ({_COLUMNS}, n)
        SELECT {_COLUMNS}, -count(*) FROM old_rows GROUP BY {_COLUMNS} ORDER BY {_COLUMNS}
        ON CONFLICT ({_COLUMNS}) DO UPDATE SET n = {TABLE}.n + EXCLUDED.n;
      ELSE
        INSERT INTO {TABLE} ({_COLUMNS}, n)
        SELECT {_COLUMNS}, sum(change) FROM (
          SELECT {_COLUMNS}, -1 AS change FROM old_rows
          UNION ALL SELECT {_COLUMNS}, 1 FROM new_rows
        ) AS changes GROUP BY {_COLUMNS} HAVING sum(change) <> 0 ORDER BY {_COLUMNS}
        ON CONFLICT ({_COLUMNS}) DO UPDATE SET n = {TABLE}.n + EXCLUDED.n;
      END IF;
      RETURN NULL;
    END $$
    """,
    f"""CREATE TRIGGER directory_tally_insert AFTER INSERT ON {SOURCE}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_tally_apply()""",
    f"""CREATE TRIGGER directory_tally_update AFTER UPDATE ON {SOURCE}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION directory_tally_apply()""",
    f"""CREATE TRIGGER directory_tally_delete AFTER DELETE ON {SOURCE}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_tally_apply()""",
    f"""CREATE TRIGGER directory_tally_truncate AFTER TRUNCATE ON {SOURCE}
        FOR EACH STATEMENT EXECUTE FUNCTION directory_tally_apply()""",
]
POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS directory_tally_{event} ON {SOURCE}" for event in ("insert", "update", "delete", "truncate")
] + ["DROP FUNCTION IF EXISTS directory_tally_apply()"]


def _sqlite_add(row: str, change: int) -> str:
    values = ", ".join(f"{row}.{column}" for column in KEY)
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


def _run(schema_editor, statements) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def install_tally_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"the organization tally has no triggers for {vendor}")
    _run(schema_editor, POSTGRESQL_INSTALL if vendor == "postgresql" else SQLITE_INSTALL)
    # The rows already there, counted once.
    _run(schema_editor, [
        f"DELETE FROM {TABLE}",
        f"INSERT INTO {TABLE} ({_COLUMNS}, n) SELECT {_COLUMNS}, count(*) FROM {SOURCE} GROUP BY {_COLUMNS}",
    ])


def remove_tally_triggers(apps, schema_editor) -> None:
    _run(schema_editor, POSTGRESQL_REMOVE if schema_editor.connection.vendor == "postgresql" else SQLITE_REMOVE)


# --- per thematic area ------------------------------------------------------------------------
# Counted from the link table (an area added to or removed from an organization) and from the
# organization table (an organization whose counted columns change moves its areas' counts).
# Django removes an organization's links before the organization itself, so a deletion is
# counted by the link table's trigger while the organization can still be read.

AREA_TABLE = "directory_organizationareatally"
LINKS = "directory_organization_thematic_areas"
_AREA_COLUMNS = "thematic_area_id, " + _COLUMNS
_ORG = ", ".join(f"o.{column}" for column in KEY)


def _pg_area_upsert(select: str) -> str:
    return (
        f"INSERT INTO {AREA_TABLE} ({_AREA_COLUMNS}, n) {select} "
        f"ON CONFLICT ({_AREA_COLUMNS}) DO UPDATE SET n = {AREA_TABLE}.n + EXCLUDED.n;"
    )


POSTGRESQL_AREA_INSTALL = [
    f"""
    CREATE FUNCTION directory_area_tally_links() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {AREA_TABLE};
      ELSIF TG_OP = 'INSERT' THEN
        {_pg_area_upsert(f"SELECT l.thematicarea_id, {_ORG}, count(*) FROM new_rows l JOIN {SOURCE} o ON o.id = l.organization_id GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5")}
      ELSE
        {_pg_area_upsert(f"SELECT l.thematicarea_id, {_ORG}, -count(*) FROM old_rows l JOIN {SOURCE} o ON o.id = l.organization_id GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5")}
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
      {_pg_area_upsert(f'''SELECT l.thematicarea_id, {", ".join(f"c.{column}" for column in KEY)}, sum(c.change)
        FROM (SELECT id, {_COLUMNS}, -1 AS change FROM old_rows UNION ALL SELECT id, {_COLUMNS}, 1 FROM new_rows) c
        JOIN {LINKS} l ON l.organization_id = c.id
        GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.change) <> 0 ORDER BY 1, 2, 3, 4, 5''')}
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


def _sqlite_area_link(row: str, change: int) -> str:
    return _sqlite_area_add(f"SELECT {row}.thematicarea_id, {_ORG}, {change} FROM {SOURCE} o WHERE o.id = {row}.organization_id")


def _sqlite_area_move(row: str, change: int) -> str:
    columns = ", ".join(f"{row}.{column}" for column in KEY)
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
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"the organization tally has no triggers for {vendor}")
    _run(schema_editor, POSTGRESQL_AREA_INSTALL if vendor == "postgresql" else SQLITE_AREA_INSTALL)
    _run(schema_editor, [
        f"DELETE FROM {AREA_TABLE}",
        f"INSERT INTO {AREA_TABLE} ({_AREA_COLUMNS}, n) SELECT l.thematicarea_id, {_ORG}, count(*) "
        f"FROM {LINKS} l JOIN {SOURCE} o ON o.id = l.organization_id GROUP BY 1, 2, 3, 4, 5",
    ])


def remove_area_tally_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    _run(schema_editor, POSTGRESQL_AREA_REMOVE if vendor == "postgresql" else SQLITE_AREA_REMOVE)
