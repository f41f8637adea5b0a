import civicbridge.core.search
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("funding", "0009_call_count_and_closed_early_indexes"),
    ]

    operations = [
        civicbridge.core.search.SearchStatistics(model_name="call"),
    ]
