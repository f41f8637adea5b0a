from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicbridge.core import forms as core_forms
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.directory.filters import TerritoryChoiceField, open_territory_menu
from civicbridge.directory.models import Organization

from .models import ActKind, Consultation, Remark
from .services import CONSULTATION_FIELDS

MOMENT = {"type": "datetime-local"}
MOMENT_FORMAT = "%Y-%m-%dT%H:%M"
CITIZEN = "citizen"


def _moment_widget():
    return forms.DateTimeInput(attrs=MOMENT, format=MOMENT_FORMAT)


class ConsultationForm(forms.ModelForm):
    """A consultation; ``bodies``: the public bodies the person may issue it for."""

    issuing_body = forms.ModelChoiceField(
        label=_("Issuing body"), queryset=Organization.objects.none()
    )
    territory = TerritoryChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.all(),
        help_text=_("Where the act applies."),
    )
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas"),
        queryset=ThematicArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People who subscribed to these areas hear of the consultation."),
    )
    meetings = forms.ModelMultipleChoiceField(
        label=_("Consultation meetings"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Events of the issuing body where the draft is discussed (add them in Events first)."
        ),
    )
    invited_organizations = forms.ModelMultipleChoiceField(
        label=_("Invited organizations"),
        queryset=Organization.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Only when the listed organizations are invited."),
    )

    class Meta:
        model = Consultation
        fields = [
            "title",
            "kind",
            "issuing_body",
            "legal_basis",
            "description",
            "territory",
            "thematic_areas",
            "invitation",
            "invited_organizations",
            "starts_at",
            "ends_at",
            "remarks_visibility",
            "contact",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "starts_at": _moment_widget(),
            "ends_at": _moment_widget(),
            "invitation": forms.RadioSelect,
            "remarks_visibility": forms.RadioSelect,
        }

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        open_territory_menu(self, "territory", municipalities=True)
        core_forms.offer_thematic_areas(self)
        allowed = {body.pk for body in bodies}
        if self.instance.pk:
            allowed.add(self.instance.issuing_body_id)
        self.fields["issuing_body"].queryset = Organization.objects.filter(pk__in=allowed).order_by(
            "name"
        )
        if not self.instance.pk and len(allowed) == 1:
            self.initial.setdefault("issuing_body", next(iter(allowed)))
        # Organizations of the registry that may be invited: listed ones, by name; the chosen kept.
        from civicbridge.directory.models import listed_q

        self.fields["invited_organizations"].queryset = (
            Organization.objects.filter(listed_q()).only("pk", "name").order_by("name")
        )
        self.fields["meetings"].queryset = meeting_options(allowed, keep=self.instance)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = [MOMENT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def _post_clean(self):
        # The service validates (the body, the duration, the invitation) and reports per field.
        pass

    def service_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in CONSULTATION_FIELDS
            if name in self.cleaned_data
        }


def meeting_options(body_ids, *, keep=None):
    """Events the bodies organize, from a year ago on (and those the consultation already has)."""
    import datetime

    from django.db.models import Q
    from django.utils import timezone

    from civicbridge.events.models import Event

    since = timezone.now() - datetime.timedelta(days=365)
    condition = Q(organizers__in=list(body_ids), starts_at__gte=since, cancelled_at__isnull=True)
    if keep is not None and keep.pk:
        condition |= Q(consultations=keep)
    return (
        Event.objects.filter(condition)
        .distinct()
        .only("pk", "title", "starts_at")
        .order_by("starts_at", "pk")
    )


class SectionForm(core_forms.Form):
    label = forms.CharField(
        label=_("Number"),
        max_length=60,
        required=False,
        help_text=_("As in the act: “§ 1”, “Art. 2”."),
    )
    heading = forms.CharField(label=_("Heading"), max_length=300, required=False)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), required=False, max_length=50_000
    )


class ImportForm(core_forms.Form):
    text = forms.CharField(
        label=_("Text of the draft"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        max_length=500_000,
        help_text=_(
            "Paste the draft: it is split at “§ 1”, “Art. 1”, “Chapter I” and the like, or else at blank lines."
        ),
    )
    file = forms.FileField(label=_("Or a file"), required=False, help_text=_("DOCX, ODT or TXT."))
    replace = forms.BooleanField(
        label=_("Replace the current sections"),
        required=False,
        help_text=_(
            "Sections with remarks are withdrawn, not deleted: their remarks keep the text they were made on."
        ),
    )


class RemarkForm(core_forms.Form):
    """A remark; ``options``: the speaking options (organizations, and/or as a citizen)."""

    organization = forms.ChoiceField(label=_("You speak for"))
    proposed_wording = forms.CharField(
        label=_("Proposed wording"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20_000,
        help_text=_("The text you propose instead (leave empty for a comment only)."),
    )
    justification = forms.CharField(
        label=_("Justification or comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20_000,
        help_text=_("Markdown is allowed."),
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(org.pk), org.name) for org in options.organizations]
        if options.as_citizen:
            choices.append((CITIZEN, pgettext_lazy("speaking as", "myself, as a citizen")))
        self.fields["organization"].choices = choices
        self.organizations = {str(org.pk): org for org in options.organizations}
        if len(choices) == 1:
            self.fields["organization"].initial = choices[0][0]

    def clean(self):
        data = super().clean()
        if (
            not (data.get("proposed_wording") or "").strip()
            and not (data.get("justification") or "").strip()
        ):
            self.add_error("justification", _("Write a proposed wording, a comment, or both."))
        return data

    def speaker(self):
        value = self.cleaned_data.get("organization")
        return None if value == CITIZEN else self.organizations.get(value)


class HideForm(core_forms.Form):
    reason = forms.CharField(
        label=_("Why is it hidden?"),
        max_length=500,
        help_text=_("Shown in the report instead of the remark's text."),
    )


class AnswerForm(core_forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"), choices=Remark.Answer.choices, widget=forms.RadioSelect
    )
    justification = forms.CharField(
        label=_("Justification of the answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        help_text=_("Markdown is allowed. The author and everyone reading the report see it."),
    )


class ReportForm(core_forms.Form):
    summary = forms.CharField(
        label=_("Summary of the report"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20_000,
        help_text=_(
            "Markdown is allowed. How the consultation went: meetings held, who took part."
        ),
    )


class AdoptedTextForm(core_forms.Form):
    text = forms.CharField(
        label=_("Adopted text"), widget=forms.Textarea(attrs={"rows": 16}), max_length=500_000
    )
    adopted_at = forms.DateField(
        label=_("Adopted on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(
        label=_("Adopting act"),
        max_length=300,
        required=False,
        help_text=_("The number and date of the adopting resolution."),
    )


class AttachmentForm(core_forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, office documents (DOCX, XLSX, ODT, ODS) or images (PNG, JPEG)."),
    )


class MinimumDurationForm(core_forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=_("Kind of act"), choices=ActKind.choices)
    days = forms.IntegerField(label=_("Days at least"), min_value=1, max_value=365)
    basis = forms.CharField(
        label=_("Basis"),
        max_length=300,
        required=False,
        help_text=_("The act that sets this minimum."),
    )

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Organization.objects.filter(
            pk__in=[body.pk for body in bodies]
        ).order_by("name")
