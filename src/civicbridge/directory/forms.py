from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from civicbridge.core import deployment
from civicbridge.core import forms as core_forms
from civicbridge.core.models import Territory, ThematicArea

from .filters import TerritoryChoiceField, open_territory_menu
from .models import Organization, Plenipotentiary
from .services import ORGANIZATION_FIELDS, PLENIPOTENTIARY_FIELDS


class OrganizationForm(forms.ModelForm):
    territory = TerritoryChoiceField(label=_("Territory"), queryset=Territory.objects.all())
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas"), queryset=ThematicArea.objects.all(),
        widget=forms.CheckboxSelectMultiple, required=False,
    )

    class Meta:
        model = Organization
        fields = [*ORGANIZATION_FIELDS, "thematic_areas"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "founding_year": forms.NumberInput(attrs={"min": 1800}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        open_territory_menu(self, "territory", municipalities=True)
        core_forms.offer_thematic_areas(self)
        self._offer_registries()

    def _offer_registries(self) -> None:
        # The registers of this deployment's country, and the one an entry already names.
        offered = set(deployment.current().registries) | {self.instance.registry_type, ""}
        field = self.fields["registry_type"]
        field.choices = [(value, label) for value, label in field.choices if value in offered]

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
