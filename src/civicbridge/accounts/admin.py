from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from civicbridge.core.admin import CoordinatorAdminMixin

from .models import Membership, User


@admin.register(User)
class UserAdmin(CoordinatorAdminMixin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("civicbridge"), {"fields": ("preferred_language", "is_coordinator")}),
    )
    list_display = ("username", "email", "is_active", "is_coordinator", "date_joined")
    list_filter = ("is_active", "is_coordinator", "preferred_language")


@admin.register(Membership)
class MembershipAdmin(CoordinatorAdminMixin, admin.ModelAdmin):
    list_display = ("user", "organization", "status", "origin", "created_at")
    list_filter = ("status", "origin")
    list_select_related = ("user", "organization")
    raw_id_fields = ("user", "organization", "invited_by", "decided_by")
    search_fields = ("user__username", "organization__name")
