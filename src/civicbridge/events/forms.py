from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core import forms as core_forms
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.directory.filters import TerritoryChoiceField, open_territory_menu
from civicbridge.directory.models import Organization

from .models import Event
from .services import EVENT_FIELDS

MOMENT = {"type": "datetime-local"}
MOMENT_FORMAT = "%Y-%m-%dT%H:%M"


def _moment_widget():
    return forms.DateTimeInput(attrs=MOMENT, format=MOMENT_FORMAT)


class EventForm(forms.ModelForm):
    """An event; ``organizations``: those the person may name as organizers."""

    organizers = forms.ModelMultipleChoiceField(
        label=_("Organizers"), queryset=Organization.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("Your organizations that run it (at least one)."),
    )
    territory = TerritoryChoiceField(
        label=_("Territory"), queryset=Territory.objects.all(),
        help_text=_("The county (or municipality) where it takes place."),
    )
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas"), queryset=ThematicArea.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People who subscribed to these areas hear of the event."),
    )
    publish = forms.BooleanField(
        label=_("Publish now"), required=False, initial=True,
        help_text=_("Untick to keep it as a draft only your organization and the coordinators see."),
    )

    class Meta:
        model = Event
        fields = [
            "kind", "title", "description", "starts_at", "ends_at", "hours", "venue", "territory", "organizers",
            "thematic_areas", "audience", "capacity", "registration_opens_at", "registration_closes_at", "project",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "starts_at": _moment_widget(),
            "ends_at": _moment_widget(),
            "registration_opens_at": _moment_widget(),
            "registration_closes_at": _moment_widget(),
        }

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        open_territory_menu(self, "territory", municipalities=True)
        core_forms.offer_thematic_areas(self)
        chosen = list(self.instance.organizers.all()) if self.instance.pk else []
        allowed = {organization.pk for organization in [*organizations, *chosen]}
        self.fields["organizers"].queryset = Organization.objects.filter(pk__in=allowed).order_by("name")
        self.fields["project"].queryset = _projects_of(allowed, keep=self.instance.project_id)
        if not self.instance.pk and len(allowed) == 1:
            self.initial.setdefault("organizers", list(allowed))
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            self.fields[name].input_formats = [MOMENT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        if self.instance.pk:
            del self.fields["publish"]

    def _post_clean(self):
        # The service validates (dates, seats, organizers) and reports per field.
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in EVENT_FIELDS if name in self.cleaned_data}


def _projects_of(organization_ids, *, keep=None):
    """The projects an event may belong to: led by, or partnered with, the organizations offered."""
    from django.db.models import Q

    from civicbridge.projects.models import Project

    involved = Q(lead_organization_id__in=organization_ids) | Q(partners__organization_id__in=organization_ids)
    if keep:
        involved |= Q(pk=keep)
    return Project.objects.filter(involved).distinct().only("pk", "title").order_by("title", "pk")


class RegistrationForm(core_forms.Form):
    """A guest gives a name and an address; a signed-in person only their organization, if any
    (``organizations``: those they represent; the only one is written in for them)."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your e-mail address"), help_text=_("The confirmation goes there."))
    organization_name = forms.CharField(label=_("Organization"), max_length=300, required=False)

    def __init__(self, *args, signed_in: bool = False, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        core_forms.preselect_sole_organization(
            self, "organization_name", organizations, value=lambda organization: organization.name,
        )
        if signed_in:
            del self.fields["name"]
            del self.fields["email"]


class CancelEventForm(core_forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        help_text=_("Everyone registered receives this by e-mail."),
    )


class MinutesForm(core_forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 14}), max_length=50_000,
        help_text=_("Markdown is allowed. Shown on the event's page."),
    )
