"""Organization names in the order people look them up (core.collation), not byte by byte.

On PostgreSQL the column's collation changes in place, its indexes rebuilt with it. SQLite
rebuilds the table, which drops the triggers on it and cannot rename the new table into place
while the tally's triggers on the thematic areas' links name it: every trigger is removed first
and installed again at the end (counting the rows once), as in 0011.
"""

from django.db import migrations, models

from civicbridge.core.search import CreateSearchIndex
from civicbridge.directory.models import LISTED_COUNT
from civicbridge.directory.tally import (
    install_area_tally_triggers,
    install_tally_triggers,
    remove_area_tally_triggers,
    remove_tally_triggers,
)


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    remove_area_tally_triggers(apps, schema_editor)
    remove_tally_triggers(apps, schema_editor)
    LISTED_COUNT.remove(apps, schema_editor)


def install_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    CreateSearchIndex.restore_sqlite_triggers(schema_editor, apps.get_model("directory", "Organization")._meta.db_table)
    install_tally_triggers(apps, schema_editor)
    install_area_tally_triggers(apps, schema_editor)
    LISTED_COUNT.install(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0012_listed_count"),
        ("core", "0013_name_collation"),
    ]

    operations = [
        migrations.RunPython(remove_triggers, install_triggers),
        migrations.AlterField(
            model_name="organization",
            name="name",
            field=models.CharField(db_collation="civicbridge_names", max_length=300, verbose_name="name"),
        ),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
