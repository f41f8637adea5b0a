"""Registrants were made representatives of what they registered without anyone approving it.

Each such membership (origin founder, approved, decided by nobody) goes back to the pending
requests, and so does the registration of its organization, so that a coordinator decides
them; the rights log records the change.
"""

from django.db import migrations
from django.utils import timezone

REASON = "Granted at registration without a coordinator's approval; returned to the pending requests."


def forward(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    Organization = apps.get_model("directory", "Organization")
    RightsChange = apps.get_model("accounts", "RightsChange")
    unapproved = Membership.objects.filter(origin="founder", status="approved", decided_by__isnull=True)
    now = timezone.now()
    for membership in unapproved.select_related("organization").iterator():
        RightsChange.objects.create(
            user_id=membership.user_id, right="membership", action="revoked",
            organization_id=membership.organization_id, organization_name=membership.organization.name,
            origin="founder", reason=REASON, at=now,
        )
        Organization.objects.filter(pk=membership.organization_id, registration="approved").update(
            registration="pending"
        )
    unapproved.update(status="pending")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_rightschange"),
        ("directory", "0003_organization_registration"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
