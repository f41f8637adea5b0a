from django.contrib import admin

from . import indexing
from .models import OutgoingMail, PeriodicJobSlot, Territory, ThematicArea, WorkerHeartbeat
from .rules import is_coordinator


class CoordinatorAdminMixin:
    """Coordinators (platform staff) may do everything in the admin."""

    def has_module_permission(self, request):
        return is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_add_permission(self, request, *args):
        return is_coordinator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_coordinator(request.user)


class ReadOnlyAdminMixin:
    """Rows only the platform writes (outbox, workers, schedule): coordinators look, nobody edits."""

    deletable = False

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)


class CopiedTextAdminMixin:
    """Edits in the admin of text that search documents copy (a name) rewrite those documents.

    The same call the services make (``core.indexing.copied_text_changed``), for the object
    itself and for the objects of its inlines (a funder's programmes).
    """

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            indexing.copied_text_changed(obj, form.changed_data)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        deleted = set(map(id, getattr(formset, "deleted_forms", ())))
        for inline in formset.initial_forms:
            if id(inline) not in deleted and inline.instance.pk and inline.has_changed():
                indexing.copied_text_changed(inline.instance, inline.changed_data)


@admin.register(Territory)
class TerritoryAdmin(CopiedTextAdminMixin, CoordinatorAdminMixin, admin.ModelAdmin):
    list_display = ("name_en", "level", "code", "country", "parent")
    list_filter = ("country", "level")
    search_fields = ("name_en", "name_pl", "name_tr", "code")
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)


@admin.register(ThematicArea)
class ThematicAreaAdmin(CopiedTextAdminMixin, CoordinatorAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_en", "name_pl", "name_tr", "scheme")
    list_filter = ("scheme",)
    search_fields = ("code", "name_en", "name_pl", "name_tr")


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdminMixin, CoordinatorAdminMixin, admin.ModelAdmin):
    """The outbox, read only: the notification service alone changes its rows."""

    list_display = ("created_at", "to", "subject", "status", "attempts", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("status", "language")
    search_fields = ("key", "to", "subject")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    show_full_result_count = False
    readonly_fields = [f.name for f in OutgoingMail._meta.fields]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdminMixin, CoordinatorAdminMixin, admin.ModelAdmin):
    """The workers, as they last reported: read only, the workers write it."""

    list_display = ("worker_id", "hostname", "pid", "started_at", "seen_at")
    readonly_fields = [f.name for f in WorkerHeartbeat._meta.fields]
    deletable = True  # a coordinator may clear a machine's stale line


@admin.register(PeriodicJobSlot)
class PeriodicJobSlotAdmin(ReadOnlyAdminMixin, CoordinatorAdminMixin, admin.ModelAdmin):
    """Each periodic run and the worker that enqueued it: read only."""

    list_display = ("job", "scheduled_for", "enqueued_at", "worker_id")
    list_filter = ("job",)
    date_hierarchy = "scheduled_for"
    readonly_fields = [f.name for f in PeriodicJobSlot._meta.fields]
    show_full_result_count = False
