"""Organizations abroad: a country (every entry has one), a city, an EU PIC, no territory.

SQLite rebuilds the table to make the territory optional, which drops the triggers on it (the
full-text index's are made again, as in 0003); the tally's are removed first and installed
again at the end (counting the rows once), now
counting an entry without a territory under territory 0 (directory.tally.NO_TERRITORY).
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

from civicbridge.core.search import CreateSearchIndex
from civicbridge.directory.tally import (
    install_area_tally_triggers,
    install_tally_triggers,
    remove_area_tally_triggers,
    remove_tally_triggers,
)


def remove_triggers(apps, schema_editor):
    remove_area_tally_triggers(apps, schema_editor)
    remove_tally_triggers(apps, schema_editor)


def install_triggers(apps, schema_editor):
    # The full-text index's triggers too (SQLite; as migration 0003): the rebuild dropped them.
    CreateSearchIndex.restore_sqlite_triggers(schema_editor, apps.get_model("directory", "Organization")._meta.db_table)
    install_tally_triggers(apps, schema_editor)
    install_area_tally_triggers(apps, schema_editor)


def fill_countries(apps, schema_editor):
    Organization = apps.get_model("directory", "Organization")
    Territory = apps.get_model("core", "Territory")
    Organization.objects.filter(country="", territory__isnull=False).update(
        country=Subquery(Territory.objects.filter(pk=OuterRef("territory_id")).values("country")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0010_territory_level_path"),
        ("directory", "0009_organization_public_bodies"),
    ]

    operations = [
        migrations.RunPython(remove_triggers, install_triggers),
        migrations.AddField(
            model_name="organization",
            name="country",
            field=models.CharField(blank=True, help_text="ISO 3166-1 code", max_length=2, verbose_name="country"),
        ),
        migrations.AddField(
            model_name="organization",
            name="city",
            field=models.CharField(blank=True, max_length=200, verbose_name="city"),
        ),
        migrations.AddField(
            model_name="organization",
            name="pic",
            field=models.CharField(
                blank=True, help_text="Participant Identification Code of the EU Funding & Tenders Portal: 9 digits.",
                max_length=9, verbose_name="EU PIC",
            ),
        ),
        migrations.AlterField(
            model_name="organization",
            name="territory",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=models.deletion.PROTECT, related_name="organizations",
                to="core.territory", verbose_name="territory",
            ),
        ),
        migrations.AlterField(
            model_name="organization",
            name="registry_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "none"), ("krs", "KRS (Polish National Court Register)"),
                    ("regon", "REGON (Polish statistical number)"),
                    ("tr_association", "Turkish associations register (kütük no)"), ("other", "other register"),
                    ("foreign", "register of its own country (abroad)"),
                ],
                default="", max_length=20, verbose_name="register",
            ),
        ),
        migrations.RunPython(fill_countries, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=models.Q(("territory__isnull", False), models.Q(models.Q(("country", ""), _negated=True), models.Q(("city", ""), _negated=True)), _connector="OR"),
                name="organization_placed",
                violation_error_message="Choose the territory, or for an organization abroad its country and city.",
            ),
        ),
        migrations.RemoveConstraint(model_name="organization", name="organization_registry_number_unique"),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.UniqueConstraint(
                condition=models.Q(models.Q(("registry_number", ""), _negated=True), models.Q(("registry_type", "foreign"), _negated=True)),
                fields=("registry_type", "registry_number"), name="organization_registry_number_unique",
                violation_error_message="An organization with this registry number is already registered.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.UniqueConstraint(
                condition=models.Q(models.Q(("registry_number", ""), _negated=True), ("registry_type", "foreign")),
                fields=("country", "registry_number"), name="organization_foreign_registry_number_unique",
                violation_error_message="An organization with this registry number is already registered.",
            ),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["country", "name", "id"], name="organization_country_name"),
        ),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
