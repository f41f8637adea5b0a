"""Alerts on any alertable content, not calls only.

A subscription names its content (``alertable``); a delivery names its item by
content and id instead of a foreign key to the calls (the alerts app knows no content
model). Every existing row is of calls: it gets "calls", and a delivery's call id
becomes its item id (the column is renamed, its values kept).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("alerts", "0001_initial"),
        ("funding", "0007_alerts_move_to_their_app"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="alertable",
            field=models.CharField(default="calls", max_length=40, verbose_name="content"),
            preserve_default=False,
        ),
        migrations.RemoveConstraint(model_name="delivery", name="delivery_once_per_person_call_occasion"),
        migrations.AlterField(model_name="delivery", name="call", field=models.BigIntegerField()),
        migrations.RenameField(model_name="delivery", old_name="call", new_name="item_id"),
        migrations.AddField(
            model_name="delivery",
            name="alertable",
            field=models.CharField(default="calls", max_length=40),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.UniqueConstraint(
                fields=("recipient", "alertable", "item_id", "occasion"), name="delivery_once_per_person_item_occasion",
            ),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(fields=["alertable", "item_id"], name="delivery_item"),
        ),
    ]
