"""/api/v1/consultations/: consultations with the list's filters; one with its sections; its report.

Reads: anyone lists and retrieves published consultations (the issuing body's officers and
coordinators also their drafts). ``GET /consultations/{id}/report/`` answers the report as
JSON: the summary counts, then a page of remarks (``?page=``, 100 a page) in the draft's
order, hidden ones marked hidden without their text; answers only once the report is
published (or for the body's officers). Before the end it is 404 for visitors, as the page.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from civicbridge.core.pagination import page_of
from civicbridge.core.serializers import ModelSerializer

from . import phases, reports, selectors
from .filters import ConsultationFilter
from .models import ActKind, Consultation, Section


# Described, not an enum component: "kind" names other apps' choice sets too, and spectacular
# names every enum by its field; a shared name needs an entry in the settings' ENUM_NAME_OVERRIDES
# ("ConsultationKindEnum": "civicbridge.consultations.models.ActKind"), which would make it an enum.
@extend_schema_field(
    {
        "type": "string",
        "description": "The kind of act consulted: " + ", ".join(ActKind.values) + ".",
    }
)
class ActKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ActKind.choices, read_only=True, **kwargs)


class SectionSerializer(ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    remark_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Section
        fields = ["id", "url", "position", "label", "heading", "text", "version", "remark_count"]
        read_only_fields = fields


class ConsultationSerializer(ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    kind = ActKindField()
    issuing_body = serializers.SerializerMethodField()
    territory_code = serializers.CharField(source="territory.code", read_only=True)
    phase = serializers.SerializerMethodField()
    accepts_remarks = serializers.SerializerMethodField()
    remark_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "url",
            "title",
            "kind",
            "issuing_body",
            "legal_basis",
            "territory",
            "territory_code",
            "invitation",
            "starts_at",
            "ends_at",
            "remarks_visibility",
            "phase",
            "accepts_remarks",
            "remark_count",
            "published_at",
            "reported_at",
            "adopted_at",
            "adopted_reference",
        ]
        read_only_fields = fields

    def get_issuing_body(self, consultation) -> dict:
        return {"id": consultation.issuing_body_id, "name": consultation.issuing_body.name}

    def get_phase(self, consultation) -> str:
        return phases.phase_key(consultation)

    def get_accepts_remarks(self, consultation) -> bool:
        return phases.accepts_remarks(consultation)


class ConsultationDetailSerializer(ConsultationSerializer):
    description_html = serializers.CharField(read_only=True)
    thematic_areas = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()

    class Meta(ConsultationSerializer.Meta):
        fields = [
            *ConsultationSerializer.Meta.fields,
            "description_html",
            "thematic_areas",
            "sections",
        ]
        read_only_fields = fields

    def get_thematic_areas(self, consultation) -> list[dict]:
        return [{"id": area.pk, "name": area.name} for area in consultation.thematic_areas.all()]

    def get_sections(self, consultation) -> list[dict]:
        request = self.context["request"]
        shown = selectors.may_see_remarks(consultation, request.user)
        counts = selectors.remark_counts_by_section(consultation) if shown else {}
        sections = list(selectors.current_sections(consultation))
        for section in sections:
            section.remark_count = counts.get(section.pk, 0) if shown else None
        return SectionSerializer(sections, many=True).data


@extend_schema_view(
    list=extend_schema(summary="List consultations (open first)"),
    retrieve=extend_schema(summary="One consultation with its draft's sections"),
)
class ConsultationViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = ConsultationFilter

    def get_serializer_class(self):
        return ConsultationDetailSerializer if self.action == "retrieve" else ConsultationSerializer

    def get_queryset(self):
        queryset = selectors.consultations_for_rows(self.request.user)
        if self.action == "retrieve":
            queryset = (
                queryset.defer(None).defer("search_document").prefetch_related("thematic_areas")
            )
        return queryset

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.with_remark_counts(page) if page is not None else None

    @extend_schema(
        summary="The consultation's report: summary counts and a page of remarks with their answers",
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT, description="Page of remarks (100 a page).")
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def report(self, request, pk=None):
        consultation = self.get_object()
        key = phases.phase_key(consultation)
        if key not in (phases.CLOSED, phases.REPORTED) and not request.user.has_perm(
            "consultations.change_consultation", consultation
        ):
            raise Http404
        answers_shown = selectors.may_see_answers(consultation, request.user)
        summary = selectors.report_summary(consultation, answers_shown=answers_shown)
        page = page_of(
            selectors.report_page_remarks(consultation),
            request.query_params.get("page"),
            per_page=selectors.REPORT_REMARKS_PER_PAGE,
        )

        def link(number):
            return request.build_absolute_uri(f"{request.path}?page={number}")

        return Response(
            {
                "consultation": ConsultationSerializer(
                    consultation, context={"request": request}
                ).data,
                "published": consultation.reported_at is not None,
                "summary": reports.summary_data(summary),
                "remarks": {
                    "count": page.paginator.count,
                    "next": link(page.next_page_number()) if page.has_next() else None,
                    "previous": link(page.previous_page_number()) if page.has_previous() else None,
                    "results": [
                        reports.remark_data(remark, answers_shown=answers_shown)
                        for remark in page.object_list
                    ],
                },
            }
        )
