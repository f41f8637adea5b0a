"""Subscriptions and deliveries now belong to the alerts app (alerts 0001).

State only: their tables and rows stay where they are, the alerts app's models name them.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("funding", "0006_clean_stored_text"),
        ("alerts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name="Delivery"),
            migrations.DeleteModel(name="Subscription"),
        ]),
    ]
