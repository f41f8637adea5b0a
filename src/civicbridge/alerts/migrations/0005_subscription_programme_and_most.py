"""An alert may name a programme and the largest grant, as the calls list's "Programme" and
"Grants of at most" filters: a search saved with them kept neither, and told of every call of
the funder. Every existing alert keeps matching what it matched: both are empty.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('alerts', '0004_subscription_country'),
        ('funding', '0015_identifier_any_case_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='subscription',
            name='max_amount',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='grants of at most'),
        ),
        migrations.AddField(
            model_name='subscription',
            name='programme',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='funding.programme', verbose_name='programme'),
        ),
    ]
