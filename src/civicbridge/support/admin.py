"""The admin shows support requests read-only: every change goes through the pages (the services),
which check the workflow, record the history and tell the people concerned."""

from django.contrib import admin

from civicbridge.core.admin import CoordinatorAdminMixin, ReadOnlyAdminMixin

from .models import HistoryEntry, Message, SupportRequest, TimeEntry


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ("created_at", "author", "from_office", "body")
    readonly_fields = fields


class HistoryInline(ReadOnlyInline):
    model = HistoryEntry
    fields = ("at", "kind", "old_status", "new_status", "assignee", "by")
    readonly_fields = fields


class TimeInline(ReadOnlyInline):
    model = TimeEntry
    fields = ("created_at", "coordinator", "minutes", "note")
    readonly_fields = fields


@admin.register(SupportRequest)
class SupportRequestAdmin(ReadOnlyAdminMixin, CoordinatorAdminMixin, admin.ModelAdmin):
    list_display = ("subject", "organization", "topic", "status", "assigned_to", "created_at")
    list_filter = ("status", "topic")
    search_fields = ("subject", "organization__name")
    list_select_related = ("organization", "assigned_to")
    date_hierarchy = "created_at"
    inlines = [MessageInline, TimeInline, HistoryInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
