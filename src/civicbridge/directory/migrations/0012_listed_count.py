from django.db import migrations

from civicbridge.directory.models import LISTED_COUNT


class Migration(migrations.Migration):
    """The database counts the listed organizations (core.row_counts)."""

    dependencies = [
        ("core", "0012_row_count"),
        ("directory", "0011_organization_tax_number"),
    ]

    operations = [
        migrations.RunPython(LISTED_COUNT.install, LISTED_COUNT.remove),
    ]
