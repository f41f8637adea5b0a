from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from civicbridge.core.admin import CoordinatorAdminMixin, CopiedTextAdminMixin

from . import services
from .models import Organization, Plenipotentiary
from .validators import normalize_tax_number, validate_tax_number


class PlenipotentiaryInline(admin.TabularInline):
    model = Plenipotentiary
    extra = 0


class OrganizationAdminForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = "__all__"  # noqa: DJ007 (the admin shows every field)

    def clean(self):
        cleaned = super().clean()
        # As the services do: the tax number by its country's rules, stored as digits (a NIP
        # typed with dashes would otherwise escape the uniqueness of the one without).
        territory = cleaned.get("territory")
        country = territory.country if territory else (cleaned.get("country") or "").strip().upper()
        number = normalize_tax_number(country, cleaned.get("tax_number", ""))
        try:
            validate_tax_number(country, number)
        except ValidationError as error:
            self.add_error("tax_number", error)
        else:
            cleaned["tax_number"] = number
        return cleaned


@admin.register(Organization)
class OrganizationAdmin(CopiedTextAdminMixin, CoordinatorAdminMixin, admin.ModelAdmin):
    form = OrganizationAdminForm
    list_display = ("name", "kind", "territory", "registry_type", "registry_number", "is_verified", "registration")
    # A registration is decided on its founder's request (the pending page); here a coordinator
    # may still correct it, e.g. keep an entry whose registrant was not confirmed.
    list_filter = ("registration", "kind", "is_verified", "territory__country")
    search_fields = ("name", "registry_number", "tax_number")
    list_select_related = ("territory",)
    raw_id_fields = ("territory", "verified_by")
    filter_horizontal = ("thematic_areas",)
    readonly_fields = ("slug", "verified_at", "verified_by")
    inlines = [PlenipotentiaryInline]

    def save_model(self, request, obj, form, change):
        # The admin bypasses the services, so keep the search index column in step here.
        obj.search_document = services.organization_search_document(obj)
        if not obj.slug:
            # The slug is read-only here: an entry added in the admin gets one as the pages' do
            # (without it, every list that shows the entry fails to link to it).
            obj.slug = services.unique_slug(obj.name)
        super().save_model(request, obj, form, change)


@admin.register(Plenipotentiary)
class PlenipotentiaryAdmin(CoordinatorAdminMixin, admin.ModelAdmin):
    list_display = ("full_name", "public_body", "email", "phone", "is_active")
    list_filter = ("is_active",)
    search_fields = ("full_name", "public_body__name")
    list_select_related = ("public_body",)
    raw_id_fields = ("public_body",)

