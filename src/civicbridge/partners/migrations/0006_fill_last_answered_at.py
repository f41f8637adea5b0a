from django.db import migrations
from django.db.models import Max, OuterRef, Subquery


def fill_last_answered_at(apps, schema_editor):
    """Each organization's newest answer to a partner request, as partners.services keeps it."""
    Organization = apps.get_model("directory", "Organization")
    ExpressionOfInterest = apps.get_model("partners", "ExpressionOfInterest")
    newest = (
        ExpressionOfInterest.objects.filter(organization_id=OuterRef("pk")).order_by()
        .values("organization_id").annotate(newest=Max("created_at")).values("newest")
    )
    Organization.objects.filter(pk__in=ExpressionOfInterest.objects.values("organization_id")).update(
        last_answered_at=Subquery(newest)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0017_organization_last_answered_at"),
        ("partners", "0005_invitation"),
    ]

    operations = [migrations.RunPython(fill_last_answered_at, migrations.RunPython.noop)]
