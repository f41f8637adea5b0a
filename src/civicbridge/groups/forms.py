import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core import forms as core_forms
from civicbridge.core.models import Territory
from civicbridge.directory.filters import TerritoryChoiceField, open_territory_menu
from civicbridge.directory.models import Organization

from .models import Standard

MOMENT_FORMAT = "%Y-%m-%dT%H:%M"
# The trainings offered for "training delivered": those held in the last two years.
TRAINING_DAYS = 730


def _moment_field(label):
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT_FORMAT),
        input_formats=[MOMENT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


class GroupForm(core_forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the group works on. Markdown is allowed."),
    )


class AppointForm(core_forms.Form):
    """A person and the organization they sit for: one of their approved memberships."""

    membership = forms.ModelChoiceField(
        label=_("Person and the organization they sit for"),
        queryset=None,
        help_text=_(
            "Only people who represent an organization (an approved membership) can be appointed."
        ),
    )
    as_chair = forms.BooleanField(label=_("Appoint as the chair"), required=False)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships
        self.fields["membership"].label_from_instance = lambda membership: (
            f"{membership.user.get_full_name() or membership.user.get_username()} – {membership.organization.name}"
        )


class MeetingForm(core_forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_at = _moment_field(_("Starts"))
    ends_at = _moment_field(_("Ends"))
    venue = forms.CharField(
        label=_("Venue"), max_length=300, help_text=_("Address, or “online” with the link.")
    )
    territory = TerritoryChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.all(),
        help_text=_("The county (or municipality) where it takes place."),
    )
    description = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Markdown is allowed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        open_territory_menu(self, "territory", municipalities=True)


class DocumentForm(core_forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, XLSX, ODT or ODS."))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class VersionForm(core_forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, XLSX, ODT or ODS."))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class PostForm(core_forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown is allowed. The other members are told by e-mail."),
    )


class StandardForm(core_forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Standard.Kind.choices)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        help_text=_("Markdown is allowed. Give the text, a file, or both."),
    )
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, DOCX, XLSX, ODT or ODS.")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class StandardVersionForm(core_forms.Form):
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        help_text=_("Markdown is allowed. Give the text, a file, or both."),
    )
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, DOCX, XLSX, ODT or ODS.")
    )
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class MoveForm(core_forms.Form):
    """A workflow step; the fields the step needs are kept, the others dropped."""

    resolution_number = forms.CharField(
        label=_("Resolution number"), max_length=100, required=False
    )
    resolution_date = forms.DateField(
        label=_("Resolution date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    adopting_body = forms.ModelChoiceField(
        label=_("Adopted by"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("The public body whose resolution adopted it."),
    )
    trainings = forms.ModelMultipleChoiceField(
        label=_("Trainings"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The trainings on the standard that have taken place."),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    STEP_FIELDS = {
        "in_consultation": ("consultation", "note"),
        "adopted": ("resolution_number", "resolution_date", "adopting_body", "note"),
        "published": ("note",),
        "training_delivered": ("trainings", "note"),
    }

    def __init__(self, *args, to_stage: str, **kwargs):
        super().__init__(*args, **kwargs)
        from civicbridge.events.models import Event

        self.fields["adopting_body"].queryset = (
            Organization.objects.public_bodies().listed().only("pk", "name").order_by("name")
        )
        self.fields["trainings"].queryset = (
            Event.objects.published()
            .filter(
                kind__in=Event.TRAINING_KINDS,
                cancelled_at__isnull=True,
                starts_at__lte=timezone.now(),
                starts_at__gte=timezone.now() - datetime.timedelta(days=TRAINING_DAYS),
            )
            .only("pk", "title", "starts_at")
            .order_by("-starts_at")
        )
        self.fields["consultation"] = _consultation_field()
        keep = self.STEP_FIELDS.get(to_stage, ("note",))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]


def _consultation_field():
    from civicbridge.consultations.models import Consultation

    return forms.ModelChoiceField(
        label=_("Consultation"),
        queryset=Consultation.objects.published().only("pk", "title").order_by("-pk"),
        required=False,
        help_text=_(
            "The consultation on this platform; for one held elsewhere, say where in the note."
        ),
    )
