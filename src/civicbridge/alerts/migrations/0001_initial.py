"""The alerts' models, moved from the funding app with their tables and rows.

State only: the tables stay ``funding_subscription`` and ``funding_delivery`` (the
models name them in ``Meta.db_table``), so a deployment keeps every subscription and
delivery record; funding 0007 drops the models from funding's state.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("core", "0003_outgoing_mail"),
        ("funding", "0006_clean_stored_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="Subscription",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("keywords", models.CharField(blank=True, max_length=200, verbose_name="words")),
                ("applicant_kind", models.CharField(blank=True, max_length=20, verbose_name="applicant kind")),
                ("min_amount", models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="grants of at least")),
                ("frequency", models.CharField(choices=[("instant", "at once"), ("daily", "daily digest"), ("weekly", "weekly digest")], default="instant", max_length=10, verbose_name="how often")),
                ("remind_deadlines", models.BooleanField(default=True, verbose_name="remind me 7 days before deadlines")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                ("last_digest_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("funder", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="funding.funder", verbose_name="funder")),
                ("territory", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="core.territory", verbose_name="territory")),
                ("thematic_area", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="core.thematicarea", verbose_name="thematic area")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="subscriptions", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "subscription",
                "verbose_name_plural": "subscriptions",
                "db_table": "funding_subscription",
                "indexes": [
                    models.Index(fields=["is_active", "frequency"], name="funding_sub_is_acti_0e2775_idx"),
                    models.Index(fields=["funder"], name="funding_sub_funder__1dd2d8_idx"),
                    models.Index(fields=["thematic_area"], name="funding_sub_themati_60c4fa_idx"),
                    models.Index(fields=["territory"], name="funding_sub_territo_b23dc7_idx"),
                ],
            },
        ),
        migrations.CreateModel(
            name="Delivery",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("instant", "instant"), ("digest", "digest"), ("reminder", "deadline reminder")], max_length=10)),
                ("occasion", models.CharField(max_length=40)),
                ("claimed_at", models.DateTimeField(auto_now_add=True)),
                ("call", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="deliveries", to="funding.call")),
                ("recipient", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="recipient")),
                ("subscription", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="deliveries", to="alerts.subscription")),
                ("mail", models.ForeignKey(blank=True, db_column="mail_key", db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="core.outgoingmail", to_field="key")),
            ],
            options={
                "verbose_name": "delivery",
                "verbose_name_plural": "deliveries",
                "db_table": "funding_delivery",
                "indexes": [models.Index(fields=["-claimed_at"], name="funding_del_claimed_1bc098_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("recipient", "call", "occasion"), name="delivery_once_per_person_call_occasion"),
                ],
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
