from django.contrib import admin

from civicbridge.core.admin import CoordinatorAdminMixin

from .models import Consultation, MinimumDuration, Remark, RemarkVersion, Section


class ReadOnlyAdmin(CoordinatorAdminMixin, admin.ModelAdmin):
    """Consultations, sections and remarks change on the site's pages only, through the
    services that keep versions, phases and notices: the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "kind",
        "issuing_body",
        "starts_at",
        "ends_at",
        "published_at",
        "reported_at",
    )
    list_filter = ("kind",)
    search_fields = ("title",)
    list_select_related = ("issuing_body",)
    raw_id_fields = ("issuing_body", "territory", "created_by")
    date_hierarchy = "starts_at"


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "consultation", "position", "version", "withdrawn_at")
    raw_id_fields = ("consultation",)
    list_select_related = ("consultation",)


class RemarkVersionInline(admin.TabularInline):
    model = RemarkVersion
    extra = 0
    can_delete = False
    fields = ("number", "created_at", "proposed_wording", "justification", "organization")
    readonly_fields = fields


@admin.register(Remark)
class RemarkAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "consultation",
        "section",
        "organization",
        "submitted_at",
        "answer",
        "hidden_at",
    )
    list_filter = ("answer",)
    raw_id_fields = (
        "consultation",
        "section",
        "section_version",
        "author",
        "organization",
        "hidden_by",
        "answered_by",
    )
    list_select_related = ("consultation", "section", "organization")
    inlines = [RemarkVersionInline]


@admin.register(MinimumDuration)
class MinimumDurationAdmin(ReadOnlyAdmin):
    list_display = ("body", "kind", "days", "basis")
    list_select_related = ("body",)
