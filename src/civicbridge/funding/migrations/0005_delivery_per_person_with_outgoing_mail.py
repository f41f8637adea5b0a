"""Deliveries per person, each linked to its e-mail in the outbox (issue 9).

A person whose several alerts matched a call had one row (and one e-mail) per alert;
now one row per person, call and occasion. Existing rows get their person from their
subscription; of a person's duplicates for one call and occasion the oldest is kept.
The rows' own sent/error columns give way to the outbox's state. Rows are written once
now (no later "sent" stamp), so PostgreSQL's pages are filled again.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FILL_RECIPIENTS = """
UPDATE funding_delivery SET recipient_id = (
    SELECT funding_subscription.user_id FROM funding_subscription
    WHERE funding_subscription.id = funding_delivery.subscription_id
)
"""
DROP_DUPLICATES = """
DELETE FROM funding_delivery WHERE EXISTS (
    SELECT 1 FROM funding_delivery AS earlier
    WHERE earlier.recipient_id = funding_delivery.recipient_id AND earlier.call_id = funding_delivery.call_id
      AND earlier.occasion = funding_delivery.occasion AND earlier.id < funding_delivery.id
)
"""


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE funding_delivery RESET (fillfactor)")


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE funding_delivery SET (fillfactor = 70)")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_outgoing_mail"),
        ("funding", "0004_delivery_fillfactor"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="recipient",
            field=models.ForeignKey(
                db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                to=settings.AUTH_USER_MODEL, verbose_name="recipient",
            ),
        ),
        migrations.RunSQL(FILL_RECIPIENTS, migrations.RunSQL.noop),
        migrations.RunSQL(DROP_DUPLICATES, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="delivery",
            name="recipient",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                to=settings.AUTH_USER_MODEL, verbose_name="recipient",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="delivery",
            name="delivery_once_per_subscription_call_occasion",
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.UniqueConstraint(
                fields=("recipient", "call", "occasion"), name="delivery_once_per_person_call_occasion",
            ),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="subscription",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="deliveries",
                to="funding.subscription",
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="mail",
            field=models.ForeignKey(
                blank=True, db_column="mail_key", db_constraint=False, db_index=False, null=True,
                on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="core.outgoingmail",
                to_field="key",
            ),
        ),
        migrations.RemoveField(model_name="delivery", name="sent_at"),
        migrations.RemoveField(model_name="delivery", name="error"),
        migrations.RunPython(fill_pages, leave_room),
    ]
