"""An alert may be limited to applicants' country, as the calls list's "Applicants from" filter.

Every existing alert keeps matching what it matched: its country is empty (from anywhere).
"""

import civicbridge.core.countries
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("alerts", "0003_queued_alert_tasks_at_their_new_path"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="country",
            field=models.CharField(
                blank=True, max_length=2, validators=[civicbridge.core.countries.validate_country_code],
                verbose_name="applicants from",
            ),
        ),
    ]
