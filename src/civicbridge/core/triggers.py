"""PostgreSQL triggers that run once per statement and see its rows: what the database keeps
beside a table (counts, tallies, pairs) is written this way, whoever writes the table."""

EVENTS = ("insert", "update", "delete", "truncate")


def statement_triggers(name: str, table: str, function: str) -> list[str]:
    """Triggers ``<name>_insert``, ``_update``, ``_delete`` and ``_truncate`` on ``table``, each
    running ``function()`` once per statement, which reads the rows added as ``new_rows`` and
    those removed as ``old_rows`` (both for an update)."""
    run = f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows {run}",
        f"CREATE TRIGGER {name}_update AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {run}",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows {run}",
        f"CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {table} {run}",
    ]


def dropped_statement_triggers(name: str, table: str, function: str) -> list[str]:
    """What removes ``statement_triggers(name, table, function)`` and the function."""
    return [f"DROP TRIGGER IF EXISTS {name}_{event} ON {table}" for event in EVENTS] + [
        f"DROP FUNCTION IF EXISTS {function}()"
    ]


def install_triggers(schema_editor, *, postgresql: list[str], sqlite: list[str], recount: list[str]) -> None:
    """In a migration: the statements that install the triggers for the database's vendor, then
    ``recount``, which makes what they keep from the rows already there, once."""
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"no triggers are written for {vendor}")
    for statement in [*(postgresql if vendor == "postgresql" else sqlite), *recount]:
        schema_editor.execute(statement, params=None)


def remove_triggers(schema_editor, *, postgresql: list[str], sqlite: list[str]) -> None:
    """In a migration: the statements that remove them again."""
    for statement in postgresql if schema_editor.connection.vendor == "postgresql" else sqlite:
        schema_editor.execute(statement, params=None)
