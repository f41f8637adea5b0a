"""/api/v1/funders/ (read-only, with their programmes) and /api/v1/calls/.

Calls are read by anyone (published ones; drafts by those who manage them) and written
through the services: 401 without credentials, 403 for a call one does not manage.
Date-times without an offset are read on the funder's clock (the programme's funder).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from civicbridge.core.api_duplicates import RepeatAwareCreateMixin
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.core.selectors import with_ids
from civicbridge.core.serializers import ModelSerializer

from . import selectors, services
from .filters import CallFilter
from .models import Call, CallDeadline, Funder, Programme


class FunderClockDateTimeField(serializers.DateTimeField):
    """An ISO date-time; without an offset it is kept naive, to be read on the funder's clock."""

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            return value
        return super().enforce_timezone(value)


class CodeListField(serializers.ListField):
    """Codes the model keeps comma-separated ("ngo,school"), as a JSON list."""

    child = serializers.CharField(max_length=40)

    def to_representation(self, value):
        return [code for code in (value or "").split(",") if code]


def _codes(items: dict):
    """The codes a list accepts, as the document says (the services judge them: case is free)."""
    return extend_schema_field({"type": "array", "items": {"type": "string", **items}})


@extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/OrganizationKindEnum"}})
class ApplicantKindsField(CodeListField):
    """The codes of an organization's kind (OrganizationKindEnum, as ENUM_NAME_OVERRIDES names it)."""


@_codes({"pattern": "^[A-Za-z]{2}$"})
class CountryCodesField(CodeListField):
    """ISO 3166-1 alpha-2 codes; the service writes them in capitals."""


@_codes({"pattern": "^[A-Za-z]{2,3}$"})
class LanguageCodesField(CodeListField):
    """ISO 639 codes; the service writes them in small letters."""


@extend_schema_field({"type": "string", "pattern": "^[A-Za-z]{3}$"})
class CurrencyField(serializers.CharField):
    """A three-letter ISO 4217 code; the service writes it in capitals."""


@extend_schema_field({"type": "string", "minLength": 1, "maxLength": 120, "pattern": services.IDENTIFIER.pattern})
class CallIdentifierField(serializers.CharField):
    """The form the call's address takes (CallViewSet.lookup_value_regex)."""


class RelatedIdsField(serializers.ManyRelatedField):
    """A many-to-many relation as the ids of its objects, each checked by ``child_relation`` when
    written. A list reads the ids of its page's items in one query (``core.selectors.with_ids``,
    into ``<field>_ids``) rather than a model for every related object; an item without them
    (a detail, a call just written) is read through the relation."""

    def get_attribute(self, instance):
        ids = getattr(instance, f"{self.field_name}_ids", None)
        return ids if ids is not None else super().get_attribute(instance)

    def to_representation(self, iterable):
        return [item if isinstance(item, int) else self.child_relation.to_representation(item) for item in iterable]


class ProgrammeSerializer(ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "code", "name", "period", "website"]


class FunderSerializer(ModelSerializer):
    programmes = ProgrammeSerializer(many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Funder
        fields = ["id", "slug", "url", "name", "kind", "country", "time_zone", "website", "description", "programmes"]


class FunderBriefSerializer(ModelSerializer):

    class Meta:
        model = Funder
        fields = ["id", "slug", "name", "kind", "time_zone"]


class DeadlineSerializer(ModelSerializer):
    deadline_at = FunderClockDateTimeField()

    class Meta:
        model = CallDeadline
        fields = ["stage", "deadline_at", "label"]
        read_only_fields = ["stage", "label"]


class CallSerializer(ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.select_related("funder"))
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    funder = FunderBriefSerializer(source="programme.funder", read_only=True)
    status = serializers.ChoiceField(choices=Call.Status.choices, read_only=True, help_text="Computed from the dates now.")
    opens_at = FunderClockDateTimeField(required=False, allow_null=True)
    deadlines = DeadlineSerializer(
        many=True, required=False,
        help_text="In stage order; without an offset on the funder's clock. Leave out to keep them.",
    )
    eligible_kinds = ApplicantKindsField(
        required=False, help_text="Applicant kinds (the codes of an organization's kind); empty: anyone."
    )
    eligible_countries = CountryCodesField(required=False, help_text="ISO 3166-1 alpha-2 codes; empty: anywhere.")
    languages = LanguageCodesField(required=False, help_text="ISO 639 language codes, e.g. en, pl or tr.")
    # Uniqueness is the service's (and the database's) job, with its own message.
    identifier = CallIdentifierField(
        max_length=120, help_text="As the funder gives it: letters, digits, '.', '-', '_'."
    )
    currency = CurrencyField(max_length=3, required=False, help_text="ISO 4217, e.g. EUR, PLN or TRY.")
    thematic_areas = RelatedIdsField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=ThematicArea.objects.all()), required=False
    )
    eligible_territories = RelatedIdsField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Territory.objects.all()), required=False
    )

    class Meta:
        model = Call
        fields = [
            "id", "identifier", "url", "title", "summary", "programme", "programme_name", "funder",
            "type_of_action", "deadline_model", "opens_at", "deadlines", "closes_at", "status",
            "status_from_source", "total_budget", "min_grant", "max_grant", "currency", "co_financing_rate",
            "eligible_kinds", "eligible_countries", "eligible_territories", "thematic_areas", "languages",
            "documents_url", "published_at", "deadlines_revision", "created_at", "updated_at",
        ]
        read_only_fields = ["closes_at", "published_at", "deadlines_revision", "created_at", "updated_at"]
        extra_kwargs = {
            # The service refuses negative amounts; said here, the document says it too.
            **{name: {"min_value": 0} for name in ("total_budget", "min_grant", "max_grant")},
        }

    def validate_deadlines(self, deadlines):
        # A partial change (PATCH) makes the nested fields optional too: a deadline without its
        # moment is still no deadline.
        if any("deadline_at" not in deadline for deadline in deadlines):
            raise serializers.ValidationError(_("Give each deadline its date and time (deadline_at)."))
        return deadlines


def _on_funder_clock(data: dict, programme: Programme) -> tuple[dict, list | None]:
    """The service's arguments: naive date-times made aware on the funder's clock."""
    zone = services.funder_zone(programme.funder)
    deadlines = data.pop("deadlines", None)
    if deadlines is not None:
        deadlines = [
            services.aware_in_zone(d["deadline_at"], zone) if timezone.is_naive(d["deadline_at"]) else d["deadline_at"]
            for d in deadlines
        ]
    if data.get("opens_at") and timezone.is_naive(data["opens_at"]):
        data["opens_at"] = services.aware_in_zone(data["opens_at"], zone, field="opens_at")
    return data, deadlines


def _service(service, **kwargs):
    try:
        return service(**kwargs)
    except DjangoPermissionDenied as error:
        raise PermissionDenied from error


@extend_schema_view(
    list=extend_schema(summary="List, search and filter funders"),
    retrieve=extend_schema(summary="One funder, with its programmes"),
)
class FunderViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FunderSerializer
    filterset_fields = ["kind", "country"]

    def get_queryset(self):
        queryset = Funder.objects.prefetch_related("programmes").order_by("name", "id")
        search = self.request.query_params.get("search")
        if search:
            queryset = queryset.filter(name__icontains=search)
        return queryset


# The form the router accepts (CallViewSet.lookup_value_regex): anything else is no call.
IDENTIFIER = OpenApiParameter(
    "identifier", str, OpenApiParameter.PATH, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    description="The call's identifier, as the funder gives it.",
)


@extend_schema_view(
    list=extend_schema(summary="List, search and filter calls for proposals"),
    retrieve=extend_schema(summary="One call for proposals", parameters=[IDENTIFIER]),
    create=extend_schema(
        summary="Enter a call (a draft until published)",
        description="The same content sent again by the same person within a few minutes creates "
        "nothing new: the answer is 200 with the call the first request made.",
        responses={201: CallSerializer, 200: CallSerializer},
    ),
    update=extend_schema(summary="Change a call", parameters=[IDENTIFIER]),
    partial_update=extend_schema(summary="Change some of a call's fields", parameters=[IDENTIFIER]),
)
class CallViewSet(
    RepeatAwareCreateMixin,
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CallSerializer
    filterset_class = CallFilter
    lookup_field = "identifier"
    lookup_value_regex = r"[A-Za-z0-9][A-Za-z0-9._-]*"
    # What an item shows besides the call and its funder: fetched once per page of items (the
    # relations shown as ids are read as ids, ``RelatedIdsField``).
    item_prefetch = ("thematic_areas", "eligible_territories", "deadlines")
    item_ids = ("thematic_areas", "eligible_territories")

    def get_queryset(self):
        queryset = (
            selectors.visible_calls(self.request.user).select_related("programme__funder").defer("search_document")
        )
        if self.action == "list":
            return queryset  # the page's items are prefetched together (paginate_queryset)
        if self.action == "retrieve":
            return queryset.prefetch_related(*self._models_prefetched())  # the ids: get_object
        return queryset.prefetch_related(*self.item_prefetch)

    def _models_prefetched(self) -> list[str]:
        return [name for name in self.item_prefetch if name not in self.item_ids]

    def get_object(self):
        call = super().get_object()
        if self.action == "retrieve":
            # As a list's items: a call being written is read through its relations, after the write.
            for relation in self.item_ids:
                with_ids([call], relation, f"{relation}_ids")
        return call

    def list(self, request, *args, **kwargs):
        self.now = timezone.now()
        return super().list(request, *args, **kwargs)

    def paginate_queryset(self, queryset):
        # The list's default order; get_object() filters the plain queryset. The same moment
        # as the items' status (``list``).
        if not self.request.query_params.get("ordering"):
            # A page of the whole list (no parameter but the page's) is every call the reader sees.
            paging = {self.paginator.page_query_param, self.paginator.page_size_query_param, "format"}
            unfiltered = not set(self.request.query_params) - paging
            queryset = selectors.in_deadline_order(queryset, self.now, unfiltered=unfiltered)
        page = super().paginate_queryset(queryset)
        if page is not None:
            prefetch_related_objects(page, *self._models_prefetched())
            for relation in self.item_ids:
                with_ids(page, relation, f"{relation}_ids")
        return page

    def check_permissions(self, request):
        super().check_permissions(request)
        # Who may enter a call at all is known before the content: refuse (403) before judging it (400).
        if self.action == "create" and request.user.is_authenticated and not request.user.has_perm("funding.add_call"):
            self.permission_denied(request, message=_("Only coordinators and officers of public bodies enter calls."))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        areas = data.pop("thematic_areas", [])
        territories = data.pop("eligible_territories", [])
        data, deadlines = _on_funder_clock(data, data["programme"])
        serializer.instance = _service(
            services.create_call, by=self.request.user, data=data, deadlines=deadlines or [],
            thematic_areas=areas, eligible_territories=territories,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        areas = data.pop("thematic_areas", None)
        territories = data.pop("eligible_territories", None)
        data, deadlines = _on_funder_clock(data, data.get("programme") or serializer.instance.programme)
        serializer.instance = _service(
            services.update_call, call=serializer.instance, by=self.request.user, data=data, deadlines=deadlines,
            thematic_areas=areas, eligible_territories=territories,
        )

    @extend_schema(summary="Publish a draft call", request=None, responses=CallSerializer, parameters=[IDENTIFIER])
    @action(detail=True, methods=["post"])
    def publish(self, request, identifier=None):
        call = _service(services.publish_call, call=self.get_object(), by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=call.pk)).data)
