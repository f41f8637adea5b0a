from django.contrib import admin

from civicbridge.core.admin import CoordinatorAdminMixin

from .models import Member, Standard, WorkingGroup


class ReadOnlyAdmin(CoordinatorAdminMixin, admin.ModelAdmin):
    """Groups and standards change on the site's pages only, through the services that record
    each appointment and each step: the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ReadOnlyAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)
    exclude = ("search_document", "purpose_html")


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ("user", "group", "organization", "sector", "is_chair", "joined_at", "left_at")
    list_filter = ("sector", "is_chair")
    list_select_related = ("user", "group", "organization")
    raw_id_fields = ("user", "group", "organization", "appointed_by")


@admin.register(Standard)
class StandardAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "group",
        "stage",
        "resolution_number",
        "resolution_date",
        "published_at",
    )
    list_filter = ("stage", "kind")
    search_fields = ("title", "resolution_number")
    list_select_related = ("group",)
    exclude = ("search_document",)
    raw_id_fields = ("adopting_body",)
    filter_horizontal = ()
