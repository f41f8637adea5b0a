"""The administration site for people, memberships and the rights log.

Nothing here grants or takes a right by writing a row directly: memberships and the
coordinator, staff and superuser flags change through ``accounts.services``, which check who
may and record every change in the rights log. Django's own model permissions and groups
are not offered: rights on this platform come from memberships and flags only.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civicbridge.core.admin import CoordinatorAdminMixin
from civicbridge.core.rules import is_coordinator

from . import services
from .models import Membership, RightsChange, User

ADMIN_REASON = _("Changed in the administration site.")

# Groups carry Django model permissions, which would grant "add a call" and the like beside
# the memberships that the platform approves and records.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(CoordinatorAdminMixin, BaseUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Rights (recorded in the rights log)"), {"fields": ("is_active", "is_coordinator", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        (_("civicbridge"), {"fields": ("preferred_language",)}),
    )
    list_display = ("username", "email", "is_active", "is_coordinator", "date_joined")
    list_filter = ("is_active", "is_coordinator", "preferred_language")
    filter_horizontal = ()

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("is_superuser")  # nobody hands out more than they hold
        return readonly

    def save_model(self, request, obj, form, change):
        wanted = {name: getattr(obj, name) for name in services.STAFF_FLAGS}
        if change:
            stored = User.objects.filter(pk=obj.pk).values(*services.STAFF_FLAGS).get()
            for name, value in stored.items():
                setattr(obj, name, value)
        else:
            for name in services.STAFF_FLAGS:
                setattr(obj, name, False)
        super().save_model(request, obj, form, change)
        try:
            services.set_staff_flags(user=obj, by=request.user, flags=wanted, reason=str(ADMIN_REASON))
        except PermissionDenied:
            messages.error(request, gettext("Only a superuser can give or take the superuser flag."))


class MembershipGrantForm(forms.ModelForm):
    reason = forms.CharField(label=_("Reason (recorded in the log)"), widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Membership
        fields = ["user", "organization"]

    def validate_unique(self):
        pass  # a waiting request of the person is approved instead (services.grant_membership)

    def clean(self):
        cleaned = super().clean()
        organization, user = cleaned.get("organization"), cleaned.get("user")
        if organization is not None and not organization.is_listed:
            raise forms.ValidationError(
                gettext("This organization's registration has not been approved by a coordinator; nobody can join it yet.")
            )
        if user and organization and Membership.objects.approved().filter(user=user, organization=organization).exists():
            raise forms.ValidationError(gettext("This person already represents this organization."))
        return cleaned


@admin.register(Membership)
class MembershipAdmin(CoordinatorAdminMixin, admin.ModelAdmin):
    list_display = ("user", "organization", "status", "origin", "created_at")
    list_filter = ("status", "origin")
    list_select_related = ("user", "organization")
    raw_id_fields = ("user", "organization")
    search_fields = ("user__username", "organization__name")
    readonly_fields = ("user", "organization", "status", "origin", "message", "invited_by", "decided_by", "decided_at", "created_at")
    actions = ["approve", "reject", "revoke"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = MembershipGrantForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        return ["user", "organization", "reason"] if obj is None else list(self.readonly_fields)

    def has_delete_permission(self, request, obj=None):
        return False  # a right ends by revocation (an action here), which the log records

    def save_model(self, request, obj, form, change):
        if change:
            return  # every field is read-only: decisions go through the actions
        try:
            granted = services.grant_membership(
                user=obj.user, organization=obj.organization, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        obj.pk = granted.pk

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except forms.ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            from django.shortcuts import redirect

            return redirect(request.path)

    def _decide(self, request, queryset, decide, done):
        count = 0
        for membership in queryset:
            try:
                decide(membership)
            except ValidationError as error:
                self.message_user(request, f"{membership}: {' '.join(error.messages)}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Approve the selected requests"))
    def approve(self, request, queryset):
        self._decide(
            request, queryset,
            lambda m: services.decide_membership(membership=m, by=request.user, approve=True, reason=str(ADMIN_REASON)),
            gettext("Approved: %(count)s."),
        )

    @admin.action(description=_("Reject the selected requests"))
    def reject(self, request, queryset):
        self._decide(
            request, queryset,
            lambda m: services.decide_membership(membership=m, by=request.user, approve=False, reason=str(ADMIN_REASON)),
            gettext("Rejected: %(count)s."),
        )

    @admin.action(description=_("Revoke the selected approved memberships"))
    def revoke(self, request, queryset):
        self._decide(
            request, queryset,
            lambda m: services.revoke_membership(membership=m, by=request.user, reason=str(ADMIN_REASON)),
            gettext("Revoked: %(count)s."),
        )


@admin.register(RightsChange)
class RightsChangeAdmin(admin.ModelAdmin):
    """Read-only for coordinators: the log is written by the services alone."""

    list_display = ("at", "user", "right", "action", "organization_name", "by", "reason")
    list_filter = ("right", "action")
    list_select_related = ("user", "by")
    search_fields = ("user__username", "user__email", "organization_name")
    date_hierarchy = "at"

    def has_module_permission(self, request):
        return is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
