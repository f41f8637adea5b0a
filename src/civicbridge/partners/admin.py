from django.contrib import admin

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
        answerers = _answerers(form.instance.answers.all()) if change else set()
        super().save_related(request, form, formsets, change)
        # The admin bypasses the services: keep the search column (which needs the areas) and the
        # answerers' last answer (added, changed or deleted inline) in step.
        partner_request = form.instance
        partner_request.search_document = services.request_search_document(partner_request)
        partner_request.save(update_fields=["search_document"])
        services.refresh_last_answers(answerers | _answerers(partner_request.answers.all()))

    def delete_model(self, request, obj):
        answerers = _answerers(obj.answers.all())
        super().delete_model(request, obj)
        services.refresh_last_answers(answerers)

    def delete_queryset(self, request, queryset):
        answerers = _answerers(ExpressionOfInterest.objects.filter(request__in=queryset))
        super().delete_queryset(request, queryset)
        services.refresh_last_answers(answerers)


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(CoordinatorAdminMixin, admin.ModelAdmin):
    list_display = ("organization", "request", "status", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("organization__name", "request__title")
    list_select_related = ("organization", "request")
    raw_id_fields = ("request", "organization", "created_by", "decided_by")

    # The admin bypasses the services: keep the last answer of the organizations concerned
    # (before and after a change of organization) in step.
    def save_model(self, request, obj, form, change):
        before = _answerers(ExpressionOfInterest.objects.filter(pk=obj.pk)) if change else set()
        super().save_model(request, obj, form, change)
        services.refresh_last_answers(before | {obj.organization_id})

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.refresh_last_answers([obj.organization_id])

    def delete_queryset(self, request, queryset):
        answerers = _answerers(queryset)
        super().delete_queryset(request, queryset)
        services.refresh_last_answers(answerers)


@admin.register(Twinning)
class TwinningAdmin(CoordinatorAdminMixin, admin.ModelAdmin):
    list_display = ("territory", "partner_city", "partner_country", "since")
    list_filter = ("partner_country",)
    search_fields = ("partner_city", "territory__name_en", "territory__name_pl", "territory__name_tr")
    list_select_related = ("territory",)
    raw_id_fields = ("territory",)
    filter_horizontal = ("thematic_areas",)
