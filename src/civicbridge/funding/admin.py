from django.contrib import admin

from civicbridge.core.admin import CoordinatorAdminMixin, CopiedTextAdminMixin

from . import services
from .models import Call, CallAttachment, CallDeadline, Funder, Programme


class ProgrammeInline(admin.TabularInline):
    model = Programme
    extra = 0


@admin.register(Funder)
class FunderAdmin(CopiedTextAdminMixin, CoordinatorAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "country", "time_zone")
    list_filter = ("kind", "country")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("organization",)
    inlines = [ProgrammeInline]


@admin.register(Programme)
class ProgrammeAdmin(CopiedTextAdminMixin, CoordinatorAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "funder", "period")
    list_filter = ("funder",)
    search_fields = ("name", "code")
    list_select_related = ("funder",)


class CallDeadlineInline(admin.TabularInline):
    model = CallDeadline
    extra = 0


class CallAttachmentInline(admin.TabularInline):
    model = CallAttachment
    extra = 0


@admin.register(Call)
class CallAdmin(CopiedTextAdminMixin, CoordinatorAdminMixin, admin.ModelAdmin):
    """For corrections by coordinators; the pages and the API go through the services.

    Deadlines edited here keep ``closes_at`` in step, but send no deadline-change alert.
    """

    list_display = ("identifier", "title", "programme", "closes_at", "published_at")
    list_filter = ("deadline_model", "programme__funder")
    search_fields = ("identifier", "title")
    list_select_related = ("programme__funder",)
    raw_id_fields = ("created_by",)
    filter_horizontal = ("thematic_areas", "eligible_territories")
    readonly_fields = ("closes_at", "deadlines_revision")
    inlines = [CallDeadlineInline, CallAttachmentInline]

    def save_model(self, request, obj, form, change):
        # The admin bypasses the services: keep the search column in step here.
        obj.search_document = services.call_search_document(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        call = form.instance
        call.closes_at = call.deadlines.order_by("-deadline_at").values_list("deadline_at", flat=True).first()
        Call.objects.filter(pk=call.pk).update(closes_at=call.closes_at)
        CallDeadline.mark_last(call)
