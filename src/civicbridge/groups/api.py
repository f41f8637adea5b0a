"""/api/v1/working-groups/ and /api/v1/standards/: read-only, with the pages' filters and visibility.

Anyone lists groups (name, purpose, members with sector and organization, chair, meetings)
and the published standards; a group's members and coordinators also see its standards before
publication. The thread and the working documents are not in the API. Writes go through the
pages (and the services behind them).
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from civicbridge.core.serializers import ModelSerializer
from civicbridge.events.models import Event

from . import selectors
from .filters import GroupApiFilter, StandardApiFilter
from .models import Member, Stage, StageChange, Standard, StandardVersion, WorkingGroup

# Codes as plain strings, their values in the description: "kind" and "stage" name other apps'
# choice sets too (drf-spectacular would otherwise need an ENUM_NAME_OVERRIDES entry in settings).
STAGE_HELP = "One of: " + ", ".join(Stage.values) + "."
KIND_HELP = "One of: " + ", ".join(Standard.Kind.values) + "."


class MemberSerializer(ModelSerializer):
    name = serializers.CharField(read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Member
        fields = ["name", "sector", "organization", "organization_name", "is_chair", "joined_at"]
        read_only_fields = fields


class WorkingGroupSerializer(ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    members = MemberSerializer(source="current_members", many=True, read_only=True)
    meetings = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = WorkingGroup
        fields = ["id", "url", "name", "purpose", "members", "meetings", "created_at"]
        read_only_fields = fields


class StageChangeSerializer(ModelSerializer):
    from_stage = serializers.CharField(read_only=True, help_text=STAGE_HELP, allow_blank=True)
    to_stage = serializers.CharField(read_only=True, help_text=STAGE_HELP)

    class Meta:
        model = StageChange
        fields = ["from_stage", "to_stage", "at", "note"]


class VersionSerializer(ModelSerializer):
    class Meta:
        model = StandardVersion
        fields = ["number", "text", "note", "created_at"]


class StandardSerializer(ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)
    stage = serializers.CharField(read_only=True, help_text=STAGE_HELP)
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    adopting_body_name = serializers.CharField(
        source="adopting_body.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Standard
        fields = [
            "id",
            "url",
            "title",
            "kind",
            "summary",
            "group",
            "group_name",
            "stage",
            "consultation",
            "resolution_number",
            "resolution_date",
            "adopting_body",
            "adopting_body_name",
            "published_at",
            "latest_version",
        ]
        read_only_fields = fields


class StandardDetailSerializer(StandardSerializer):
    history = StageChangeSerializer(source="stage_changes", many=True, read_only=True)
    versions = VersionSerializer(many=True, read_only=True)
    trainings = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(StandardSerializer.Meta):
        fields = [*StandardSerializer.Meta.fields, "trainings", "history", "versions"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="List the working groups (search)"),
    retrieve=extend_schema(summary="One working group, with its members, chair and meetings"),
)
class WorkingGroupViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = WorkingGroupSerializer
    filterset_class = GroupApiFilter

    def get_queryset(self):
        return (
            WorkingGroup.objects.defer("search_document", "purpose_html")
            .prefetch_related(
                Prefetch(
                    "members", queryset=selectors._current_members(), to_attr="current_members"
                ),
                Prefetch("meetings", queryset=Event.objects.published().only("pk")),
            )
            .order_by("name", "id")
        )


@extend_schema_view(
    list=extend_schema(summary="List the standards (filters: group, stage; search)"),
    retrieve=extend_schema(summary="One standard, with its versions and its adoption history"),
)
class StandardViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = StandardApiFilter

    def get_serializer_class(self):
        return StandardDetailSerializer if self.action == "retrieve" else StandardSerializer

    def get_queryset(self):
        queryset = selectors.visible_standards(self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "stage_changes",
                Prefetch("versions", queryset=StandardVersion.objects.order_by("-number")),
                Prefetch("trainings", queryset=Event.objects.only("pk")),
            )
        return queryset
