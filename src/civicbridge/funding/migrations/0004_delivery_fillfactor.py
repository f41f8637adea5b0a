"""Room in each page of the delivery log for its rows' one update.

Each delivery row is written twice: claimed, then stamped as sent. With pages filled
to the brim, PostgreSQL writes the stamped row to another page and adds it to every
index again; with room left on the page, the update stays on it and touches no index
(a "HOT" update). A digest run stamps a million rows. SQLite has no such setting.
"""

from django.db import migrations


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE funding_delivery SET (fillfactor = 70)")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE funding_delivery RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0003_delivery_subscription_index_in_unique"),
    ]

    operations = [migrations.RunPython(leave_room, fill_pages)]
