import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from . import filters
from .filters import StrictFilterSet
from .models import Territory, ThematicArea
from .serializers import ModelSerializer


class TerritorySerializer(ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Territory
        fields = ["id", "name", "name_en", "name_pl", "name_tr", "level", "kind", "country", "code", "parent", "valid_from"]


class TerritoryFilter(StrictFilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    within = filters.TerritoryFilter(
        queryset=Territory.objects.all(), method="filter_within",
        help_text=(
            "This unit and every unit below it: its code (TERYT 1607, PL-16, ISO country PL) or id "
            "(id-42: by its id alone, never read as a code)."
        ),
    )
    parent = filters.TerritoryFilter(
        queryset=Territory.objects.all(), help_text="The units directly below this one: its code or id (id-42: by its id alone).",
    )

    class Meta:
        model = Territory
        fields = ["level", "country", "code", "parent"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(name_en__icontains=value) | queryset.filter(name_pl__icontains=value) | queryset.filter(
            name_tr__icontains=value
        ) | queryset.filter(code__startswith=value)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_within(self, queryset, name, territory):
        return queryset.within(territory)


@extend_schema_view(
    list=extend_schema(summary="List the administrative units (countries, regions, counties, municipalities)"),
    retrieve=extend_schema(summary="One administrative unit"),
)
class TerritoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Territory.objects.order_by("path")
    serializer_class = TerritorySerializer
    filterset_class = TerritoryFilter


class ThematicAreaSerializer(ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = ThematicArea
        fields = ["id", "code", "scheme", "name", "name_en", "name_pl", "name_tr"]


class ThematicAreaFilter(StrictFilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))

    class Meta:
        model = ThematicArea
        fields = ["scheme", "code"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(name_en__icontains=value) | queryset.filter(name_pl__icontains=value) | queryset.filter(
            name_tr__icontains=value
        )


@extend_schema_view(
    list=extend_schema(summary="List the thematic areas (the statutory areas of public benefit and others)"),
    retrieve=extend_schema(summary="One thematic area"),
)
class ThematicAreaViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ThematicArea.objects.all()
    serializer_class = ThematicAreaSerializer
    filterset_class = ThematicAreaFilter
