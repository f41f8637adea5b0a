from contextlib import contextmanager

from django.contrib import admin
from django.db import transaction

from civicbridge.core.admin import CoordinatorAdminMixin

from . import services
from .models import ExpressionOfInterest, PartnerRequest, Twinning


class ExpressionOfInterestInline(admin.TabularInline):
    model = ExpressionOfInterest
    extra = 0
    fields = ("organization", "status", "message", "created_by", "decided_by", "decided_at")
    raw_id_fields = ("organization", "created_by", "decided_by")
    readonly_fields = ("decided_at",)


def _answerers(answers) -> set:
    return set(answers.values_list("organization_id", flat=True))


@contextmanager
def _last_answers_kept(answers):
    """The admin bypasses the services: the organizations whose answers ``answers()`` selects
    before and after the block (an answer moved to another organization, added, deleted) get
    their last answer refreshed (``services.refresh_last_answers``), in the block's transaction:
    a bulk deletion is not left done with the column stale."""
    with transaction.atomic():
        before = _answerers(answers())
        yield
        services.refresh_last_answers(before | _answerers(answers()))


@admin.register(PartnerRequest)
class PartnerRequestAdmin(CoordinatorAdminMixin, admin.ModelAdmin):
    list_display = ("title", "organization", "direction", "status", "deadline", "created_at")
    list_filter = ("status", "direction")
    search_fields = ("title", "organization__name", "role_sought")
    list_select_related = ("organization",)
    raw_id_fields = ("organization", "call", "created_by")
    filter_horizontal = ("thematic_areas", "territories")
    date_hierarchy = "created_at"
    inlines = [ExpressionOfInterestInline]

    def save_related(self, request, form, formsets, change):
        partner_request = form.instance
        with _last_answers_kept(lambda: ExpressionOfInterest.objects.filter(request_id=partner_request.pk)):
            super().save_related(request, form, formsets, change)
            # The search column needs the areas, saved just now.
            partner_request.search_document = services.request_search_document(partner_request)
            partner_request.save(update_fields=["search_document"])

    def delete_model(self, request, obj):
        pk = obj.pk
        with _last_answers_kept(lambda: ExpressionOfInterest.objects.filter(request_id=pk)):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        with _last_answers_kept(lambda: ExpressionOfInterest.objects.filter(request_id__in=pks)):
            super().delete_queryset(request, queryset)


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(CoordinatorAdminMixin, admin.ModelAdmin):
    list_display = ("organization", "request", "status", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("organization__name", "request__title")
    list_select_related = ("organization", "request")
    raw_id_fields = ("request", "organization", "created_by", "decided_by")

    def save_model(self, request, obj, form, change):
        # Before: the organization it had (none when added); after: the one it has.
        with _last_answers_kept(lambda: ExpressionOfInterest.objects.filter(pk=obj.pk)):
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        pk = obj.pk
        with _last_answers_kept(lambda: ExpressionOfInterest.objects.filter(pk=pk)):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        with _last_answers_kept(lambda: ExpressionOfInterest.objects.filter(pk__in=pks)):
            super().delete_queryset(request, queryset)


@admin.register(Twinning)
class TwinningAdmin(CoordinatorAdminMixin, admin.ModelAdmin):
    list_display = ("territory", "partner_city", "partner_country", "since")
    list_filter = ("partner_country",)
    search_fields = ("partner_city", "territory__name_en", "territory__name_pl", "territory__name_tr")
    list_select_related = ("territory",)
    raw_id_fields = ("territory",)
    filter_horizontal = ("thematic_areas",)
