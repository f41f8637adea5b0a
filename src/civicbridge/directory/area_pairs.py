"""The pairs of thematic areas each organization works in, kept by the database's triggers on
the organizations' links to their areas (``AreaPair``).

Partner matching reads who shares two or more of a request's areas. From the links alone that
meant merging each area's range of organizations and counting them: three areas at national
scale (3x) are 63,000 links for 1,500 organizations sharing two or more, 12 to 25 ms of a page
under load. The pairs hold only those that work in both areas of a pair: one index range per
pair of the request's areas reads them. A trigger sees every write to the links (the services,
the admin, imports, a bulk insert, plain SQL), so the pairs cannot be forgotten; PostgreSQL
writes them per statement, SQLite per row. Django removes an organization's (or an area's)
links before the row itself: the pairs go with the links. On PostgreSQL the trigger locks the
organizations whose links a statement changes, so that concurrent writes see each other's.
"""

from civicbridge.core.triggers import (
    dropped_statement_triggers,
    install_triggers,
    remove_triggers,
    statement_triggers,
)

PAIRS = "directory_areapair"
LINKS = "directory_organization_thematic_areas"
_COLUMNS = "organization_id, first_area_id, second_area_id"


# The pairs the links added make with their organizations' other links (those added among them).
_PAIRS_ADDED = (
    "SELECT n.organization_id, LEAST(n.thematicarea_id, l.thematicarea_id), GREATEST(n.thematicarea_id, l.thematicarea_id)"
    f" FROM new_rows n JOIN {LINKS} l ON l.organization_id = n.organization_id AND l.thematicarea_id <> n.thematicarea_id"
)
_PAIRS_OF_NEW = (
    "SELECT NEW.organization_id, min(NEW.thematicarea_id, l.thematicarea_id), max(NEW.thematicarea_id, l.thematicarea_id)"
    f" FROM {LINKS} l WHERE l.organization_id = NEW.organization_id AND l.thematicarea_id <> NEW.thematicarea_id"
)


POSTGRESQL_INSTALL = [
    f"""
    CREATE FUNCTION directory_area_pairs() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {PAIRS};
        RETURN NULL;
      END IF;
      -- One statement at a time per organization, each reading the links the others committed:
      -- two areas added at once by two transactions each saw the other's as not there yet,
      -- and their pair was never made (an area removed meanwhile: a pair left behind).
      IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM 1 FROM directory_organization WHERE id IN (SELECT organization_id FROM old_rows)
          ORDER BY id FOR NO KEY UPDATE;
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM 1 FROM directory_organization WHERE id IN (SELECT organization_id FROM new_rows)
          ORDER BY id FOR NO KEY UPDATE;
      END IF;
      IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM {PAIRS} p USING old_rows o
          WHERE p.organization_id = o.organization_id AND o.thematicarea_id IN (p.first_area_id, p.second_area_id);
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO {PAIRS} ({_COLUMNS}) SELECT DISTINCT * FROM ({_PAIRS_ADDED}) AS made
          ORDER BY 2, 3, 1 ON CONFLICT DO NOTHING;
      END IF;
      RETURN NULL;
    END $$
    """,
    *statement_triggers("directory_area_pairs", LINKS, "directory_area_pairs"),
]
POSTGRESQL_REMOVE = dropped_statement_triggers("directory_area_pairs", LINKS, "directory_area_pairs")

_SQLITE_ADD = f"INSERT OR IGNORE INTO {PAIRS} ({_COLUMNS}) {_PAIRS_OF_NEW};"
_SQLITE_SUBTRACT = (
    f"DELETE FROM {PAIRS} WHERE organization_id = OLD.organization_id"
    " AND OLD.thematicarea_id IN (first_area_id, second_area_id);"
)
SQLITE_INSTALL = [
    f"CREATE TRIGGER directory_area_pairs_insert AFTER INSERT ON {LINKS} BEGIN {_SQLITE_ADD} END",
    f"CREATE TRIGGER directory_area_pairs_delete AFTER DELETE ON {LINKS} BEGIN {_SQLITE_SUBTRACT} END",
    f"CREATE TRIGGER directory_area_pairs_update AFTER UPDATE ON {LINKS} BEGIN {_SQLITE_SUBTRACT} {_SQLITE_ADD} END",
]
SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS directory_area_pairs_{event}" for event in ("insert", "update", "delete")]

# The pairs of the links already there, made once.
_FILL = [
    f"DELETE FROM {PAIRS}",
    f"""INSERT INTO {PAIRS} ({_COLUMNS})
        SELECT a.organization_id, a.thematicarea_id, b.thematicarea_id FROM {LINKS} a
        JOIN {LINKS} b ON b.organization_id = a.organization_id AND b.thematicarea_id > a.thematicarea_id""",
]


def install_area_pair_triggers(apps, schema_editor) -> None:
    install_triggers(schema_editor, postgresql=POSTGRESQL_INSTALL, sqlite=SQLITE_INSTALL, recount=_FILL)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ANALYZE {PAIRS}")  # its statistics now, not at the next automatic analysis


def remove_area_pair_triggers(apps, schema_editor) -> None:
    remove_triggers(schema_editor, postgresql=POSTGRESQL_REMOVE, sqlite=SQLITE_REMOVE)
