"""Remove control characters (and line breaks from single-line fields) from stored text.

Input refuses them since this release; rows written before, or through the admin, may hold
them. The same cleaning is ``civicbridge clean_stored_text`` for operators.
"""

from django.db import migrations

from civicbridge.core.validators import clean_stored_rows

MODELS = ['User', 'Membership']


def clean_stored_text(apps, schema_editor):
    for model in MODELS:
        clean_stored_rows(apps.get_model("accounts", model))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_email_confirmed_at")]

    operations = [migrations.RunPython(clean_stored_text, migrations.RunPython.noop, elidable=True)]
