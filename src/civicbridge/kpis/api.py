"""/api/v1/kpis/?year=YYYY: the KPI dashboard's figures as JSON, computed as the page computes them."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors


def _figures(row) -> dict:
    return {
        "label": row.label, "key": row.key, "events": row.events, "hours": row.hours,
        "training_hours": row.training_hours, "debate_hours": row.debate_hours,
        "participants": row.participants, "unique_participants": row.unique,
    }


class KpiView(APIView):
    @extend_schema(
        summary="The KPI dashboard's figures for a year",
        description=(
            "Events (count, hours of debate and of training, participants total and unique) in all, per "
            "county, per kind and per month; targets against actual figures; listed and verified organizations "
            "per county; projects by status and by funder with their budgets; support requests received and "
            "closed. Unique participants count a person once per year within each grouping."
        ),
        parameters=[OpenApiParameter("year", int, description="The calendar year (default: this year).")],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        today = timezone.localdate(timezone=timezone.get_default_timezone())
        try:
            year = selectors.parse_year(request.query_params.get("year"), today)
        except ValueError as error:
            raise ValidationError({"year": [f"“{request.query_params.get('year')}” is not a year this dashboard can show."]}) from error
        data = selectors.dashboard(year, request.user)
        events = data["events"]
        return Response({
            "year": year,
            "events": {
                "total": _figures(events["total"]),
                "counties_reached": events["counties_reached"],
                "by_county": [_figures(row) for row in events["by_county"]],
                "by_kind": [_figures(row) for row in events["by_kind"]],
                "by_month": [_figures(row) for row in events["by_month"]],
            },
            "targets": [
                {
                    "name": item.target.name, "kinds": item.target.kind_list,
                    "figures": [{"figure": figure, "target": goal, "actual": actual, "percent": percent}
                                for figure, goal, actual, percent in item.rows],
                }
                for item in data["targets"]
            ],
            "organizations_by_county": data["organizations"],
            "projects": data["projects"],
            "support_requests": data["support"],
        })
