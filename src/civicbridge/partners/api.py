"""/api/v1/partner-requests/: the partner search's collection, its filters, its writes.

Reads: anyone lists the requests that accept answers (``status`` also offers those past their
deadline) and retrieves any open one; the poster's representatives and coordinators also
retrieve its closed ones. Writes go through the services, with the pages' permissions: 401
without credentials, 403 for another's request.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from civicbridge.core.api_duplicates import RepeatAwareCreateMixin
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.core.serializers import ModelSerializer
from civicbridge.directory.models import Organization
from civicbridge.funding.models import Call

from . import phases, selectors, services
from .countries import COUNTRIES, split_codes
from .filters import PartnerRequestFilter
from .models import ExpressionOfInterest, PartnerRequest


class CodeListField(serializers.ListField):
    """A list of codes, stored comma-separated in one column."""

    def __init__(self, *, upper: bool, **kwargs):
        self.upper = upper
        super().__init__(**kwargs)

    def to_representation(self, data):
        return split_codes(data, upper=self.upper)


class PartnerRequestSerializer(ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        help_text="The organization that posts; its representatives (or a coordinator) may. Set once, at creation.",
    )
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    call = serializers.PrimaryKeyRelatedField(
        queryset=Call.objects.all(), allow_null=True, required=False,
        help_text="An open or forthcoming published call, or null for a project idea.",
    )
    # Codes only (no labels): the same codes as an organization's kind, documented as their own list.
    partner_kinds = CodeListField(
        upper=False, child=serializers.ChoiceField(choices=Organization.Kind.values), required=False,
        help_text="Kinds of organization sought as partners (the codes of an organization's kind).",
    )
    countries = CodeListField(
        upper=True, child=serializers.ChoiceField(choices=sorted(COUNTRIES)), required=False,
        help_text="ISO 3166-1 alpha-2 codes of the countries the partner should come from.",
    )
    territories = serializers.PrimaryKeyRelatedField(queryset=Territory.objects.all(), many=True, required=False)
    thematic_areas = serializers.PrimaryKeyRelatedField(
        queryset=ThematicArea.objects.all(), many=True, required=False
    )
    accepts_answers = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = PartnerRequest
        fields = [
            "id", "url", "organization", "organization_name", "direction", "title", "description", "call",
            "role_sought", "partner_kinds", "countries", "territories", "thematic_areas",
            "expected_contribution", "deadline", "status", "accepts_answers", "created_at", "updated_at",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_accepts_answers(self, partner_request) -> bool:
        return phases.accepts_answers(partner_request)

    def validate_organization(self, organization):
        if self.instance is not None and organization.pk != self.instance.organization_id:
            raise serializers.ValidationError(_("A request stays with the organization that posted it."))
        return organization


class InterestSerializer(ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), help_text="The answering organization; you must represent it."
    )
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = ExpressionOfInterest
        fields = ["id", "request", "organization", "organization_name", "message", "status", "created_at"]
        read_only_fields = ["request", "status", "created_at"]
        validators = []  # one answer per organization: the service and the database say so


@extend_schema_view(
    list=extend_schema(summary="List and search partner requests (by default those accepting answers)"),
    retrieve=extend_schema(summary="One partner request"),
    create=extend_schema(
        summary="Post a partner request or offer (representatives of the organization)",
        description="The same content posted again by the same person within a few minutes creates "
        "nothing new: the answer is 200 with the request the first post made.",
        responses={201: PartnerRequestSerializer, 200: PartnerRequestSerializer},
    ),
    update=extend_schema(summary="Change a partner request (the poster's representatives)"),
    partial_update=extend_schema(summary="Change part of a partner request (the poster's representatives)"),
)
class PartnerRequestViewSet(RepeatAwareCreateMixin, viewsets.ModelViewSet):
    serializer_class = PartnerRequestSerializer
    filterset_class = PartnerRequestFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.public_requests().prefetch_related("territories")
        return selectors.visible_requests(self.request.user)

    def filter_queryset(self, queryset):
        # The filters (and their default, "accepting answers") choose what a list shows; an
        # address of one request keeps working after its deadline.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        organization = data.pop("organization")
        areas = data.pop("thematic_areas", [])
        territories = data.pop("territories", [])
        serializer.instance = services.post_request(
            by=self.request.user, organization=organization, data=data,
            thematic_areas=areas, territories=territories,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("organization", None)
        areas = data.pop("thematic_areas", None)
        territories = data.pop("territories", None)
        serializer.instance = services.update_request(
            by=self.request.user, partner_request=serializer.instance, data=data,
            thematic_areas=areas, territories=territories,
        )

    @extend_schema(
        summary="Close a partner request (the poster's representatives)",
        request=None, responses={200: PartnerRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        partner_request = services.close_request(by=request.user, partner_request=self.get_object())
        return Response(self.get_serializer(partner_request).data)

    @extend_schema(
        summary="Answer a partner request with an expression of interest",
        description=(
            "By a representative of the answering organization, which must not be the poster; "
            "until the end of the deadline day (deployment time zone); once per organization."
        ),
        request=InterestSerializer, responses={201: InterestSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=InterestSerializer)
    def interest(self, request, pk=None):
        partner_request = self.get_object()
        serializer = InterestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        interest = services.express_interest(
            by=request.user, request=partner_request, organization=serializer.validated_data["organization"],
            message=serializer.validated_data["message"],
        )
        return Response(InterestSerializer(interest).data, status=status.HTTP_201_CREATED)
