from django.db import migrations

from civicbridge.core.collation import NAME_COLLATION, collation_locale

# The columns that sort by the collation, whichever app's (core names none).
COLUMNS_USING = """
    SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_collation l ON l.oid = a.attcollation
    WHERE l.collname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
"""


def _sort_names_in(locale: str, schema_editor) -> None:
    """Names sort in ``locale``'s alphabet: PostgreSQL has no way to change a collation's
    locale, so a new one takes the old one's place in every column (their indexes are rebuilt
    in the new order); SQLite's collation is the code's (core.collation), whose indexes are
    rebuilt in its order."""
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(f"REINDEX {NAME_COLLATION}")
        return
    if connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    replacement = f"{NAME_COLLATION}_next"
    schema_editor.execute(f"DROP COLLATION IF EXISTS {replacement}")
    # The locale is one of core.collation.ICU_LOCALES' or "und", never a user's text.
    schema_editor.execute(f"CREATE COLLATION {replacement} (provider = icu, locale = '{locale}')")
    with connection.cursor() as cursor:
        cursor.execute(COLUMNS_USING, [NAME_COLLATION])
        columns = cursor.fetchall()
    for table, column, column_type in columns:
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} TYPE {column_type} COLLATE {replacement}"
        )
    schema_editor.execute(f"DROP COLLATION {NAME_COLLATION}")
    schema_editor.execute(f"ALTER COLLATION {replacement} RENAME TO {NAME_COLLATION}")


def in_the_deployment_language(apps, schema_editor):
    _sort_names_in(collation_locale(), schema_editor)


def in_the_root_order(apps, schema_editor):
    _sort_names_in("und", schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0013_name_collation"),
    ]

    operations = [
        migrations.RunPython(in_the_deployment_language, in_the_root_order),
    ]
