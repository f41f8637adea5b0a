from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core import forms as core_forms
from civicbridge.core.filters import SlugOrIdField
from civicbridge.core.models import Territory
from civicbridge.directory.filters import TerritoryChoiceField, open_territory_menu
from civicbridge.directory.models import Organization
from civicbridge.funding.models import Call, Funder, Programme

from .models import CURRENCIES, Project, ProjectPartner, Report

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CallIdentifierField(forms.CharField):
    """A call for proposals by its identifier (there are thousands: no menu)."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        call = Call.objects.filter(identifier__iexact=value).select_related("programme").first()
        if call is None:
            raise forms.ValidationError(_("No call for proposals has the identifier “%(value)s”."), params={"value": value})
        return call


class ProjectForm(forms.ModelForm):
    funder = forms.ModelChoiceField(label=_("Funder"), queryset=Funder.objects.home_first(), required=False)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.select_related("funder").order_by("funder__name", "name"),
        required=False,
    )
    call = CallIdentifierField(
        label=_("Call for proposals"), required=False, max_length=120,
        help_text=_("Its identifier, e.g. ERASMUS-2027-KA210-YOU. Its programme and funder follow from it."),
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=list(CURRENCIES.items()))
    territory = TerritoryChoiceField(
        label=_("Territory"), queryset=Territory.objects.all(), required=False,
        help_text=_("Where the project takes place."),
    )

    class Meta:
        model = Project
        fields = [
            "title", "summary", "funder", "programme", "call", "budget", "co_financing", "currency",
            "start_date", "end_date", "territory", "results",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "start_date": DATE,
            "end_date": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        open_territory_menu(self, "territory", municipalities=True)
        if self.instance and self.instance.call_id and not self.is_bound:
            self.initial["call"] = self.instance.call.identifier
        self.fields["programme"].label_from_instance = lambda programme: f"{programme.funder.name}: {programme.name}"


class TransitionForm(core_forms.Form):
    to_status = forms.ChoiceField(label=_("Move to"), choices=Project.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None and not self.is_bound:
            steps = [step for step in project.next_statuses if step != Project.Status.FINAL_REPORT]
            self.fields["to_status"].choices = [(step, Project.Status(step).label) for step in steps]


class PartnerForm(core_forms.Form):
    # Typed, not chosen from a menu: the registry holds hundreds of thousands of entries.
    organization = SlugOrIdField(
        label=_("Organization"), queryset=Organization.objects.listed(), widget=forms.TextInput,
        help_text=_("Its address name in the registry (the end of its page's address) or its number; an organization abroad is added to the registry first."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=ProjectPartner.Role.choices)


class MilestoneForm(core_forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=300)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)


class DocumentForm(core_forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("PDF, office documents (DOCX, XLSX, ODT, ODS) or images (PNG, JPEG)."))


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["period_start", "period_end", "activities", "results", "indicators", "problems", "spending_to_date"]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "activities": forms.Textarea(attrs={"rows": 5}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "indicators": forms.Textarea(attrs={"rows": 4}),
            "problems": forms.Textarea(attrs={"rows": 3}),
        }
