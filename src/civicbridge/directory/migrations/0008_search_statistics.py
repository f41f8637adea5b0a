import civicbridge.core.search
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0007_organization_area_tally"),
    ]

    operations = [
        civicbridge.core.search.SearchStatistics(model_name="organization"),
    ]
