"""Load the administrative units and the thematic taxonomy shipped in core/data/."""

from django.db import migrations


def load_reference_data(apps, schema_editor):
    from civicbridge.core.reference import load_territories, load_thematic_areas

    load_territories(apps.get_model("core", "Territory"))
    load_thematic_areas(apps.get_model("core", "ThematicArea"))


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        # Reversing keeps the rows: organizations may already point at them (PROTECT).
        migrations.RunPython(load_reference_data, migrations.RunPython.noop),
    ]
