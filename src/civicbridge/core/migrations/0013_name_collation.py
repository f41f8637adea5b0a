from django.db import migrations

from civicbridge.core.collation import NAME_COLLATION


def create_collation(apps, schema_editor):
    # PostgreSQL's ICU root collation under a name SQLite can take too (core.collation).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE COLLATION IF NOT EXISTS {NAME_COLLATION} (provider = icu, locale = 'und')")


def drop_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP COLLATION IF EXISTS {NAME_COLLATION}")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0012_row_count"),
    ]

    operations = [
        migrations.RunPython(create_collation, drop_collation),
    ]
