"""/api/v1/projects/: the portfolio, read-only, with the pages' filters and visibility.

Anyone lists and retrieves the public portfolio (approved, running, final report, closed); a
representative also its organizations' proposals, a coordinator every project. Writes go
through the pages (and the services behind them).
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from civicbridge.core.serializers import ModelSerializer

from . import selectors
from .filters import ProjectApiFilter
from .models import Project, ProjectPartner, Status, StatusChange

# A status is a plain string in the schema, its codes in the description: the same choice set
# serves three fields here and other apps name their own "status" enums (drf-spectacular would
# need a settings entry, ENUM_NAME_OVERRIDES, to name it once).
STATUS_HELP = "One of: " + ", ".join(Status.values) + "."


def status_field(**kwargs):
    return serializers.CharField(read_only=True, help_text=STATUS_HELP, **kwargs)


class ProjectPartnerSerializer(ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    country = serializers.CharField(source="organization.country", read_only=True)

    class Meta:
        model = ProjectPartner
        fields = ["organization", "organization_name", "country", "role"]


class StatusChangeSerializer(ModelSerializer):
    from_status = status_field(allow_blank=True)
    to_status = status_field()

    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "at", "note"]


class ProjectSerializer(ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    lead_organization_name = serializers.CharField(source="lead_organization.name", read_only=True)
    funder_name = serializers.CharField(source="funder.name", read_only=True, allow_null=True, default=None)
    call_identifier = serializers.CharField(source="call.identifier", read_only=True, allow_null=True, default=None)
    territory_code = serializers.CharField(source="territory.code", read_only=True, allow_null=True, default=None)
    partners = ProjectPartnerSerializer(many=True, read_only=True)
    status = status_field()

    class Meta:
        model = Project
        fields = [
            "id", "url", "title", "status", "lead_organization", "lead_organization_name", "partners",
            "funder", "funder_name", "programme", "call", "call_identifier", "budget", "co_financing", "currency",
            "start_date", "end_date", "territory", "territory_code", "summary", "results", "created_at", "updated_at",
        ]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    history = StatusChangeSerializer(source="status_changes", many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "history"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="List the project portfolio (filters: status, funder, year, territory, organization)"),
    retrieve=extend_schema(summary="One project, with its partners and its status history"),
)
class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = ProjectApiFilter

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectSerializer

    def get_queryset(self):
        queryset = selectors.with_partners(selectors.projects_for_list(self.request.user))
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("status_changes")
        return queryset
