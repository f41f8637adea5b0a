import civicbridge.core.search
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0003_clean_stored_text"),
    ]

    operations = [
        civicbridge.core.search.SearchStatistics(model_name="partnerrequest"),
    ]
