from django.db import migrations

# The organizations of some thematic areas, read from the index alone (partner matching counts
# who shares two or more of a request's areas among 14,000 links at national scale). Django
# creates the table of an automatic many-to-many relation and only one-column indexes on it.
CREATE = (
    "CREATE INDEX organization_area_members"
    " ON directory_organization_thematic_areas (thematicarea_id, organization_id)"
)
DROP = "DROP INDEX organization_area_members"


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0014_organization_match_recency"),
    ]

    operations = [
        migrations.RunSQL(CREATE, DROP),
    ]
