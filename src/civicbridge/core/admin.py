from django.contrib import admin

from .models import Territory, ThematicArea
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


@admin.register(Territory)
class TerritoryAdmin(CoordinatorAdminMixin, admin.ModelAdmin):
    list_display = ("name_en", "level", "code", "country", "parent")
    list_filter = ("country", "level")
    search_fields = ("name_en", "name_pl", "name_tr", "code")
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)


@admin.register(ThematicArea)
class ThematicAreaAdmin(CoordinatorAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_en", "name_pl", "name_tr", "scheme")
    list_filter = ("scheme",)
    search_fields = ("code", "name_en", "name_pl", "name_tr")
