from django.contrib import admin

from civicbridge.core.admin import CoordinatorAdminMixin

from .models import Event, Registration, RegistrationChange


class ReadOnlyAdmin(CoordinatorAdminMixin, admin.ModelAdmin):
    """Events and registrations change on the site's pages only, through the services that
    hold the seats, the waiting list and the e-mails: the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "starts_at", "territory", "capacity", "published_at", "cancelled_at")
    list_filter = ("kind",)
    search_fields = ("title", "venue")
    list_select_related = ("territory",)
    date_hierarchy = "starts_at"


class RegistrationChangeInline(admin.TabularInline):
    model = RegistrationChange
    extra = 0
    can_delete = False
    fields = ("at", "status_from", "status_to", "note", "by")
    readonly_fields = fields


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("name", "email", "event", "status", "seat", "attended_at", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "email", "event__title")
    list_select_related = ("event",)
    raw_id_fields = ("event", "user", "checked_in_by")
    inlines = [RegistrationChangeInline]
