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
