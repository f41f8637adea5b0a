"""/api/v1/support-requests/: read-only, for the people who may see a request.

Coordinators read every request; an organization's representatives read their organizations'
requests; anyone else reads none (401 without credentials, 404 for a request they may not
see). Filters: ``status`` and ``topic``. The detail holds the thread and the history; the time
spent is given to coordinators only (it is the office's own record).
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from civicbridge.core.rules import is_coordinator
from civicbridge.core.serializers import ModelSerializer

from . import selectors
from .filters import SupportRequestApiFilter
from .models import HistoryEntry, Message, SupportRequest


class MessageSerializer(ModelSerializer):
    author = serializers.StringRelatedField(help_text="The author's name.")

    class Meta:
        model = Message
        fields = ["id", "author", "from_office", "body", "created_at"]


class HistoryEntrySerializer(ModelSerializer):
    by = serializers.StringRelatedField(help_text="Who made the change.")
    assignee = serializers.StringRelatedField(help_text="The coordinator assigned (assignments only).")

    class Meta:
        model = HistoryEntry
        fields = ["kind", "old_status", "new_status", "assignee", "by", "at"]


class SupportRequestSerializer(ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    assigned_to = serializers.StringRelatedField(help_text="The assigned coordinator's name, or null.")
    time_spent_minutes = serializers.SerializerMethodField(
        help_text="Minutes the coordinators logged; null unless you are a coordinator.",
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = SupportRequest
        fields = [
            "id", "url", "organization", "organization_name", "topic", "subject", "status", "assigned_to",
            "time_spent_minutes", "created_at", "updated_at",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_time_spent_minutes(self, support_request) -> int | None:
        request = self.context.get("request")
        if request is None or not is_coordinator(request.user):
            return None
        return support_request.minutes_spent


class SupportRequestDetailSerializer(SupportRequestSerializer):
    messages = MessageSerializer(many=True, read_only=True)
    history = HistoryEntrySerializer(many=True, read_only=True)

    class Meta(SupportRequestSerializer.Meta):
        fields = [*SupportRequestSerializer.Meta.fields, "description", "messages", "history"]


@extend_schema_view(
    list=extend_schema(summary="List the support requests you may see (your organizations', or all for coordinators)"),
    retrieve=extend_schema(summary="One support request with its thread and history"),
)
class SupportRequestViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    filterset_class = SupportRequestApiFilter

    def get_serializer_class(self):
        return SupportRequestDetailSerializer if self.action == "retrieve" else SupportRequestSerializer

    def get_queryset(self):
        queryset = selectors.visible_requests(self.request.user)
        if self.action == "retrieve":
            queryset = queryset.defer(None).prefetch_related(
                Prefetch("messages", queryset=Message.objects.select_related("author").order_by("created_at", "pk")),
                Prefetch("history", queryset=HistoryEntry.objects.select_related("by", "assignee").order_by("at", "pk")),
            )
        return queryset
