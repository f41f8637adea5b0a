"""/api/v1/events/: events with their seats, the list's filters; registering as oneself.

Reads: anyone lists and retrieves published events (organizers and coordinators also their
drafts). ``POST /events/{id}/register/`` registers the signed-in person (401 without
credentials), through the same service as the page: a seat or the waiting list.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from civicbridge.core.serializers import ModelSerializer

from . import phases, selectors, services
from .filters import EventFilter
from .models import Event, Registration


class EventSerializer(ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    territory_code = serializers.CharField(source="territory.code", read_only=True)
    organizers = serializers.SerializerMethodField()
    seats_taken = serializers.IntegerField(read_only=True)
    waiting = serializers.IntegerField(read_only=True)
    accepts_registrations = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id", "url", "kind", "title", "description", "starts_at", "ends_at", "hours", "venue", "territory",
            "territory_code", "organizers", "audience", "capacity", "seats_taken", "waiting",
            "registration_opens_at", "registration_closes_at", "accepts_registrations", "project", "published_at",
            "cancelled_at",
        ]
        read_only_fields = fields

    def get_organizers(self, event) -> list[dict]:
        return [{"id": organization.pk, "name": organization.name} for organization in event.organizers.all()]

    def get_accepts_registrations(self, event) -> bool:
        return phases.accepts_registrations(event)


class RegistrationSerializer(ModelSerializer):
    class Meta:
        model = Registration
        fields = ["id", "event", "name", "email", "organization_name", "status", "created_at"]
        read_only_fields = ["id", "event", "name", "email", "status", "created_at"]



@extend_schema_view(
    list=extend_schema(summary="List events (by default those not over yet)"),
    retrieve=extend_schema(summary="One event"),
)
class EventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    filterset_class = EventFilter

    def get_queryset(self):
        return selectors.events_for_rows(self.request.user).defer(None).defer("search_document", "minutes")

    def filter_queryset(self, queryset):
        filtered = super().filter_queryset(queryset)
        filterset = getattr(self, "filterset", None)  # kept by core.api_pagination.FilterBackend
        if self.action == "list" and filterset is not None:
            # "Upcoming" (the default) read in two parts, as the page reads it.
            return selectors.filtered_events(filterset)
        return filtered

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.with_seats(page) if page is not None else None

    def get_object(self):
        return selectors.with_seats([super().get_object()])[0]

    @extend_schema(
        summary="Register the signed-in person for the event (a seat, or the waiting list when full)",
        request=RegistrationSerializer, responses={201: RegistrationSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated],
            serializer_class=RegistrationSerializer)
    def register(self, request, pk=None):
        event = self.get_object()
        serializer = RegistrationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = services.register(
            event=event, by=request.user, organization_name=serializer.validated_data.get("organization_name", ""),
        )
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)
