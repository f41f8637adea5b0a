"""Remove control characters (and line breaks from single-line fields) from stored text.

Input refuses them since this release; rows written before, or through the admin, may hold
them. The same cleaning is ``civicbridge clean_stored_text`` for operators.
"""

from django.db import migrations

from civicbridge.core.validators import clean_stored_rows

MODELS = ['Funder', 'Programme', 'Call', 'CallDeadline', 'CallAttachment', 'Subscription']


def clean_stored_text(apps, schema_editor):
    for model in MODELS:
        clean_stored_rows(apps.get_model("funding", model))


class Migration(migrations.Migration):
    dependencies = [("funding", "0005_delivery_per_person_with_outgoing_mail")]

    operations = [migrations.RunPython(clean_stored_text, migrations.RunPython.noop, elidable=True)]
