"""An organization's tax number (the NIP in Poland, the VKN in Turkey), unique within a country.

SQLite adds a NOT NULL column by rebuilding the table, which drops the triggers on it (the
full-text index's, made again as in 0003) and cannot rename the new table into place while the
tally's triggers on the thematic areas' links name it: the tally's triggers are removed first
and installed again at the end (counting the rows once), as in 0010. PostgreSQL adds the column
in place and keeps its triggers and generated column: nothing to do there.
"""

from django.db import migrations, models

from civicbridge.core.search import CreateSearchIndex
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


def install_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    CreateSearchIndex.restore_sqlite_triggers(schema_editor, apps.get_model("directory", "Organization")._meta.db_table)
    install_tally_triggers(apps, schema_editor)
    install_area_tally_triggers(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0010_organization_abroad"),
    ]

    operations = [
        migrations.RunPython(remove_triggers, install_triggers),
        migrations.AddField(
            model_name="organization",
            name="tax_number",
            field=models.CharField(blank=True, max_length=40, verbose_name="tax number"),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.UniqueConstraint(
                condition=models.Q(("tax_number", ""), _negated=True),
                fields=("country", "tax_number"),
                name="organization_tax_number_unique",
                violation_error_message="An organization with this tax number is already registered.",
            ),
        ),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
