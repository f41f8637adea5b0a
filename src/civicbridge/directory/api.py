from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from civicbridge.core.api_duplicates import RepeatAwareCreateMixin
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.core.serializers import ModelSerializer

from . import selectors, services
from .filters import OrganizationApiFilter, PlenipotentiaryFilter
from .models import Organization, Plenipotentiary


class OrganizationSerializer(ModelSerializer):
    territory = serializers.PrimaryKeyRelatedField(
        queryset=Territory.objects.all(), required=False, allow_null=True,
        help_text="The administrative unit; null for an organization abroad, which gives country and city.",
    )
    is_foreign = serializers.BooleanField(read_only=True)
    thematic_areas = serializers.PrimaryKeyRelatedField(
        queryset=ThematicArea.objects.all(), many=True, required=False
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id", "slug", "url", "name", "kind", "legal_form", "registry_type", "registry_number", "tax_number",
            "territory", "country", "city", "pic", "is_foreign", "address", "postal_code", "latitude", "longitude", "thematic_areas",
            "description", "website", "email", "phone", "founding_year", "is_verified", "registration",
            "created_at", "updated_at",
        ]
        read_only_fields = ["slug", "is_verified", "registration", "created_at", "updated_at"]
        extra_kwargs = {
            "tax_number": {
                "help_text": "Poland: the NIP; Turkey: the Vergi Kimlik Numarası (VKN); both 10 digits with a "
                "check digit, stored without separators. An organization of another country: its own tax "
                "number as it is written there. Unique within a country."
            },
            "registration": {
                "help_text": "approved, or pending until a coordinator approves the registrant as its "
                "representative (a public body waiting or rejected is shown only to its registrant "
                "and coordinators)."
            }
        }
        validators = []  # uniqueness is the service's (and the database's) job

    def to_internal_value(self, data):
        # A new entry is placed somewhere: its territory, or abroad its country (and city, which
        # the service asks for). Said with the other missing fields, not after them.
        errors, value = {}, None
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            errors = dict(error.detail)
        placed = hasattr(data, "get") and (data.get("territory") or data.get("country"))
        if self.instance is None and not placed:
            errors.setdefault("territory", [
                _("Choose the territory, or for an organization abroad its country and city.")
            ])
        if errors:
            raise serializers.ValidationError(errors)
        return value


class _ServiceWriteMixin:
    """Writes go through the services; their refusals become 403 and 400."""

    def _call(self, service, **kwargs):
        try:
            return service(**kwargs)
        except DjangoPermissionDenied as error:
            raise PermissionDenied from error
        except ValidationError:
            raise


@extend_schema_view(
    list=extend_schema(summary="List and search organizations"),
    retrieve=extend_schema(summary="One organization"),
    create=extend_schema(
        summary="Register an organization",
        description="The registrant's request to represent it waits for a coordinator; a public body "
        "stays unlisted until then. The same content sent again by the same person within a few "
        "minutes creates nothing new: the answer is 200 with the organization the first request made.",
        responses={201: OrganizationSerializer, 200: OrganizationSerializer},
    ),
    update=extend_schema(summary="Change an organization (its representatives, or a coordinator)"),
    partial_update=extend_schema(summary="Change some of an organization's fields (its representatives, or a coordinator)"),
    destroy=extend_schema(summary="Remove an organization from the registry (a coordinator)"),
)
class OrganizationViewSet(RepeatAwareCreateMixin, _ServiceWriteMixin, viewsets.ModelViewSet):
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationApiFilter
    lookup_field = "pk"

    def get_queryset(self):
        if self.action == "list":
            return selectors.organizations_for_list().order_by("name", "id")
        # One entry: also a registrant's own entry that waits for approval (404 for others).
        return selectors.organizations_visible_to(self.request.user).order_by("name", "id")

    def known_count(self):
        filterset = getattr(self, "filterset", None)
        return selectors.page_count(filterset) if self.action == "list" and filterset is not None else None


    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        areas = data.pop("thematic_areas", [])
        serializer.instance = self._call(
            services.create_organization, by=self.request.user, data=data, thematic_areas=areas
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        areas = data.pop("thematic_areas", None)
        serializer.instance = self._call(
            services.update_organization, organization=serializer.instance, by=self.request.user,
            data=data, thematic_areas=areas,
        )

    def perform_destroy(self, instance):
        self._call(services.delete_organization, organization=instance, by=self.request.user)


PRIVATE_WHEN_FORMER = ("email", "phone", "office_address")


class PlenipotentiarySerializer(ModelSerializer):
    public_body = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.public_bodies())
    public_body_name = serializers.CharField(source="public_body.name", read_only=True)

    class Meta:
        model = Plenipotentiary
        fields = [
            "id", "public_body", "public_body_name", "full_name", "position", "email", "phone",
            "office_address", "appointed_on", "is_active",
        ]
        extra_kwargs = {
            field: {"help_text": "Empty for a former plenipotentiary (is_active false) unless you "
                    "coordinate or are an officer of the body."}
            for field in PRIVATE_WHEN_FORMER
        }

    def to_representation(self, plenipotentiary):
        data = super().to_representation(plenipotentiary)
        if not plenipotentiary.is_active:
            bodies = self.context.get("contact_bodies", set())
            if bodies is not None and plenipotentiary.public_body_id not in bodies:
                # A former official is a private person again: the office's contacts were theirs.
                for field in PRIVATE_WHEN_FORMER:
                    data[field] = ""
        return data


@extend_schema_view(
    list=extend_schema(summary="List the public bodies' plenipotentiaries for cooperation with NGOs"),
    retrieve=extend_schema(summary="One plenipotentiary"),
    create=extend_schema(
        summary="Name a public body's plenipotentiary (the body's officers, or a coordinator)",
        description="The same content sent again by the same person within a few minutes creates "
        "nothing new: the answer is 200 with the plenipotentiary the first request made.",
        responses={201: PlenipotentiarySerializer, 200: PlenipotentiarySerializer},
    ),
    update=extend_schema(summary="Change a plenipotentiary's entry (the body's officers, or a coordinator)"),
    partial_update=extend_schema(
        summary="Change some of a plenipotentiary's fields (the body's officers, or a coordinator)"
    ),
    destroy=extend_schema(summary="Remove a plenipotentiary's entry (the body's officers, or a coordinator)"),
)
class PlenipotentiaryViewSet(RepeatAwareCreateMixin, _ServiceWriteMixin, viewsets.ModelViewSet):
    serializer_class = PlenipotentiarySerializer
    filterset_class = PlenipotentiaryFilter

    def get_queryset(self):
        return selectors.plenipotentiaries_for_api(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # One query per request, whatever the number of rows.
        context["contact_bodies"] = selectors.bodies_whose_contacts_viewer_sees(self.request.user)
        return context

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        public_body = data.pop("public_body")
        serializer.instance = self._call(
            services.create_plenipotentiary, public_body=public_body, by=self.request.user, data=data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("public_body", None)
        serializer.instance = self._call(
            services.update_plenipotentiary, plenipotentiary=serializer.instance, by=self.request.user, data=data
        )

    def perform_destroy(self, instance):
        self._call(services.delete_plenipotentiary, plenipotentiary=instance, by=self.request.user)
