import copy

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from civicbridge.core import deployment
from civicbridge.core import forms as core_forms
from civicbridge.core.countries import country_choices
from civicbridge.core.models import Territory, ThematicArea

from .filters import TerritoryChoiceField, open_territory_menu
from .models import Organization, Plenipotentiary, tax_number_label
from .services import ORGANIZATION_FIELDS, PLENIPOTENTIARY_FIELDS, organization_errors

# The form's order: where the entry is (a territory here, or a country and a city abroad)
# comes right after what it is.
FORM_FIELDS = [
    "name", "kind", "legal_form", "territory", "country", "city", "address", "postal_code",
    "registry_type", "registry_number", "tax_number", "pic", "latitude", "longitude", "description", "website",
    "email", "phone", "founding_year",
]
assert set(FORM_FIELDS) == set(ORGANIZATION_FIELDS)


class OrganizationForm(forms.ModelForm):
    territory = TerritoryChoiceField(
        label=_("Territory"), queryset=Territory.objects.all(), required=False,
        help_text=_("For an organization of this country. An organization abroad gives its country and city instead."),
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False,
        help_text=_("For an organization abroad. An organization of this country is placed by its territory."),
    )
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas"), queryset=ThematicArea.objects.all(),
        widget=forms.CheckboxSelectMultiple, required=False,
    )

    class Meta:
        model = Organization
        fields = [*FORM_FIELDS, "thematic_areas"]
        labels = {"city": _("City (abroad)")}
        help_texts = {
            "registry_number": _("Abroad: the number in its own country's register, as it is written there."),
            "tax_number": _("Abroad: its tax number in its own country, as it is written there."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "founding_year": forms.NumberInput(attrs={"min": 1800}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        open_territory_menu(self, "territory", municipalities=True)
        core_forms.offer_thematic_areas(self)
        self._offer_registries()
        # Countries by name in the page's language; this deployment's own is placed by territory.
        own = deployment.current().country
        self.fields["country"].choices = [("", _("this country (choose the territory)"))] + [
            (code, name) for code, name in country_choices() if code != own
        ]
        if self.instance.pk and not self.instance.is_foreign:
            self.initial["country"] = ""

    def _offer_registries(self) -> None:
        # The registers of this deployment's country, and the one an entry already names.
        offered = set(deployment.current().registries) | {self.instance.registry_type, "", "foreign"}
        field = self.fields["registry_type"]
        field.choices = [(value, label) for value, label in field.choices if value in offered]
        # Its tax number by the name this country gives it ("NIP" in Poland).
        self.fields["tax_number"].label = capfirst(tax_number_label(deployment.current().country))

    def clean(self):
        cleaned_data = super().clean()
        # The service's checks of the entry's own data, made here too: every mistake shows at
        # once, beside the fields' own errors, not one more after each correction.
        entry = copy.copy(self.instance)
        for field in ORGANIZATION_FIELDS:
            if field in cleaned_data:
                setattr(entry, field, cleaned_data[field])
        core_forms.add_errors(self, organization_errors(entry, unchecked=frozenset(self.errors)))
        return cleaned_data

    def _post_clean(self):
        # The service validates (registry numbers, constraints) and reports per field.
        pass


class PlenipotentiaryForm(forms.ModelForm):
    class Meta:
        model = Plenipotentiary
        fields = list(PLENIPOTENTIARY_FIELDS)
        widgets = {"appointed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def _post_clean(self):
        pass


class InviteForm(core_forms.Form):
    email = forms.EmailField(
        label=_("E-mail of the person to invite"),
        help_text=_("The person must already have an account. A coordinator approves the invitation."),
    )


class ClaimForm(core_forms.Form):
    message = forms.CharField(
        label=_("How are you connected to this organization?"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000, help_text=_("For example your function on the board. A coordinator reads it."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"), help_text=_("Columns as in the export; the first row holds their names."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CIVICBRIDGE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)s).")
                % {"size": filesizeformat(settings.CIVICBRIDGE_IMPORT_MAX_BYTES)}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
