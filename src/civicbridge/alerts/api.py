"""API of the alerts: ``/api/v1/subscriptions/``, one's own only.

``alertable`` names the content a subscription watches ("calls"...); a client that
does not send it (those written when alerts were of calls only) gets the first
content registered, the calls. Without credentials 401; another person's subscription does not exist for the caller
(404), so ids of others' subscriptions cannot be probed.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from civicbridge.core.countries import country_code
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.core.registry import alertables
from civicbridge.core.serializers import ModelSerializer
from civicbridge.core.validators import validate_single_line_text
from civicbridge.directory.models import Organization

from . import services
from .models import Subscription
from .selectors import funders, own_subscriptions, programmes


def _default_alertable() -> str:
    return next(iter(alertables.entries))


@extend_schema_field({"type": "string", "pattern": "^[A-Za-z]{2}$"})  # blank: allow_blank adds it
class CountryCodeField(serializers.CharField):
    """An ISO 3166-1 alpha-2 code in either case, answered in capitals; empty: any country."""

    def to_internal_value(self, data):
        try:
            return country_code(super().to_internal_value(data))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class SubscriptionSerializer(ModelSerializer):
    name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, validators=[validate_single_line_text]
    )
    alertable = serializers.ChoiceField(
        choices=[], required=False, default=_default_alertable,
        help_text="The content the alert watches (e.g. `calls`); set when the alert is saved.",
    )
    funder = serializers.PrimaryKeyRelatedField(queryset=funders(), required=False, allow_null=True)
    programme = serializers.PrimaryKeyRelatedField(queryset=programmes(), required=False, allow_null=True)
    territory = serializers.PrimaryKeyRelatedField(queryset=Territory.objects.all(), required=False, allow_null=True)
    thematic_area = serializers.PrimaryKeyRelatedField(
        queryset=ThematicArea.objects.all(), required=False, allow_null=True
    )
    applicant_kind = serializers.ChoiceField(
        choices=[("", "any"), *Organization.Kind.choices], required=False, allow_blank=True
    )
    country = CountryCodeField(
        required=False, allow_blank=True,
        help_text="Applicants from: only items open to applicants from this country (ISO 3166-1 alpha-2, "
                  "as the calls' `country` filter); empty: from anywhere.",
    )

    class Meta:
        model = Subscription
        fields = [
            "id", "alertable", "name", "keywords", "funder", "programme", "applicant_kind", "country", "territory",
            "thematic_area", "min_amount", "max_amount",
            "frequency", "remind_deadlines", "is_active", "last_digest_at", "created_at", "updated_at",
        ]
        read_only_fields = ["last_digest_at", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["alertable"]
        field.choices = [(key, str(entry.label)) for key, entry in alertables.entries.items()]
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            field.read_only = True  # an alert stays on its content; save another search for another


@extend_schema_view(
    list=extend_schema(summary="List one's own alerts (saved searches)"),
    create=extend_schema(summary="Save a search as an alert"),
    retrieve=extend_schema(summary="One of one's own alerts"),
    update=extend_schema(summary="Change one of one's own alerts"),
    partial_update=extend_schema(summary="Change some of the fields of one of one's own alerts"),
    destroy=extend_schema(summary="Delete one of one's own alerts"),
)
class SubscriptionViewSet(viewsets.ModelViewSet):
    serializer_class = SubscriptionSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["alertable", "frequency", "is_active"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Subscription.objects.none()
        subscriptions = own_subscriptions(self.request.user).order_by("id")
        search = self.request.query_params.get("search", "").strip()
        if search:
            subscriptions = subscriptions.filter(Q(name__icontains=search) | Q(keywords__icontains=search))
        return subscriptions

    def _call(self, service, **kwargs):
        try:
            return service(**kwargs)
        except DjangoPermissionDenied as error:
            raise PermissionDenied from error

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("is_active", None)
        serializer.instance = self._call(services.create_subscription, user=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = self._call(
            services.update_subscription, subscription=serializer.instance, by=self.request.user,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        self._call(services.delete_subscription, subscription=instance, by=self.request.user)
