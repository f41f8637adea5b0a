"""The call form: deadlines are entered as a date and a time on the funder's clock.

The funder's time zone comes from the chosen programme. A wall-clock time the clocks
skip (2027-03-28 02:30 in Europe/Warsaw) is refused with a message; one that happens
twice (2026-10-25 02:30) is taken at its first occurrence (fold=0, still summer time):
see ``services.aware_in_zone``.
"""

from datetime import datetime, time

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import offer_thematic_areas
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.directory.filters import TerritoryMultipleChoiceField, open_territory_menu

from . import services
from .filters import applicant_kind_choices
from .models import Call, Programme

MAX_DEADLINES = 6


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, programme):
        return f"{programme.funder.name} – {programme}"


class CallForm(forms.ModelForm):
    programme = ProgrammeChoiceField(
        label=_("Funder and programme"),
        queryset=Programme.objects.select_related("funder").order_by("funder__name", "name"),
        help_text=_("The funder's time zone applies to the dates below."),
    )
    opens_on = forms.DateField(
        label=_("Opening date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty if the call is already open."),
    )
    opens_time = forms.TimeField(
        label=_("Opening time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("On the funder's clock; midnight if empty."),
    )
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Who may apply"), choices=applicant_kind_choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every kind of applicant."),
    )
    eligible_territories = TerritoryMultipleChoiceField(
        label=_("Eligible territories"), queryset=Territory.objects.all(), required=False,
        help_text=_("None chosen: no territorial restriction."),
    )
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas"), queryset=ThematicArea.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Call
        fields = [
            "identifier", "title", "programme", "type_of_action", "summary", "deadline_model",
            "total_budget", "min_grant", "max_grant", "currency", "co_financing_rate", "eligible_countries",
            "languages", "documents_url", "status_from_source",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 10}),
            "eligible_countries": forms.TextInput(attrs={"placeholder": "PL, TR"}),
            "languages": forms.TextInput(attrs={"placeholder": "en, pl, tr"}),
        }
        help_texts = {
            "identifier": _("As the funder writes it, e.g. ERASMUS-EDU-2027-PI-ALL-INNO."),
            "deadline_model": _("Single-stage: one deadline; two-stage: one per stage; permanent: none."),
            "status_from_source": _("Only if the funder's status differs from the dates, e.g. a call closed early."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        open_territory_menu(self, "eligible_territories")
        for number in range(1, MAX_DEADLINES + 1):
            self.fields[f"deadline_{number}_date"] = forms.DateField(
                label=_("Deadline %(number)s: date") % {"number": number}, required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
            self.fields[f"deadline_{number}_time"] = forms.TimeField(
                label=_("Deadline %(number)s: time") % {"number": number}, required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                help_text=_("On the funder's clock, e.g. 17:00 for EU calls (Brussels time).") if number == 1 else "",
            )
        for name in ("total_budget", "min_grant", "max_grant", "co_financing_rate"):
            self.fields[name].validators.append(MinValueValidator(0))
            self.fields[name].widget.attrs["min"] = 0
        self.fields["eligible_territories"].widget.attrs["size"] = 8
        if self.instance.pk:
            self._initial_from(self.instance)
        offer_thematic_areas(self)

    def _initial_from(self, call: Call) -> None:
        zone = services.funder_zone(call.programme.funder)
        if call.opens_at:
            local = call.opens_at.astimezone(zone)
            self.initial.update(opens_on=local.date(), opens_time=local.time())
        for number, deadline in enumerate(sorted(call.deadlines.all(), key=lambda d: d.deadline_at), start=1):
            local = deadline.deadline_at.astimezone(zone)
            self.initial.update({f"deadline_{number}_date": local.date(), f"deadline_{number}_time": local.time()})
        self.initial["eligible_kinds"] = call.kinds
        self.initial["eligible_territories"] = [t.pk for t in call.eligible_territories.all()]
        self.initial["thematic_areas"] = [a.pk for a in call.thematic_areas.all()]

    def fieldsets(self):
        """(legend, fields) groups for the template."""
        groups = [
            (_("The call"), ["identifier", "title", "programme", "type_of_action", "summary"]),
            (_("Dates"), ["deadline_model", "opens_on", "opens_time"] + [
                f"deadline_{n}_{part}" for n in range(1, MAX_DEADLINES + 1) for part in ("date", "time")
            ]),
            (_("Money"), ["total_budget", "min_grant", "max_grant", "currency", "co_financing_rate"]),
            (_("Who and where"), ["eligible_kinds", "eligible_countries", "eligible_territories", "thematic_areas", "languages"]),
            (_("Documents and status"), ["documents_url", "status_from_source"]),
        ]
        return [(legend, [self[name] for name in names]) for legend, names in groups]

    def clean_identifier(self):
        identifier = self.cleaned_data["identifier"].strip()
        services.check_identifier(identifier)
        return identifier

    def clean(self):
        cleaned = super().clean()
        programme = cleaned.get("programme")
        if programme is None:
            return cleaned
        zone = services.funder_zone(programme.funder)
        cleaned["opens_at"] = None
        if cleaned.get("opens_on"):
            moment = datetime.combine(cleaned["opens_on"], cleaned.get("opens_time") or time.min)
            cleaned["opens_at"] = self._aware(moment, zone, "opens_time")
        deadlines = []
        for number in range(1, MAX_DEADLINES + 1):
            day, clock = cleaned.get(f"deadline_{number}_date"), cleaned.get(f"deadline_{number}_time")
            if day and clock is None and not self.errors.get(f"deadline_{number}_time"):
                self.add_error(f"deadline_{number}_time", _("Give the deadline's time too."))
            elif clock is not None and not day:
                self.add_error(f"deadline_{number}_date", _("Give the deadline's date too."))
            elif day:
                moment = self._aware(datetime.combine(day, clock), zone, f"deadline_{number}_time")
                if moment is not None:
                    deadlines.append(moment)
        cleaned["deadlines"] = deadlines
        if self.errors or not cleaned.get("deadline_model"):
            return cleaned
        try:
            services.check_deadlines(
                deadline_model=cleaned["deadline_model"], deadlines=deadlines, opens_at=cleaned["opens_at"]
            )
        except ValidationError as error:
            targets = {"deadlines": "deadline_1_date", "opens_at": "opens_on", "deadline_model": "deadline_model"}
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(targets.get(field), message)
        return cleaned

    def _aware(self, moment: datetime, zone, field: str):
        try:
            return services.aware_in_zone(moment, zone, field=field)
        except ValidationError as error:
            for message in error.message_dict[field]:
                self.add_error(field, message)
            return None

    def _post_clean(self):
        # The service validates the call (identifier, amounts, codes) and reports per field.
        pass

    def call_data(self) -> dict:
        """What the services take: the model's fields, with the dates made aware."""
        data = {name: self.cleaned_data[name] for name in services.CALL_FIELDS if name in self.cleaned_data}
        data["eligible_kinds"] = ",".join(self.cleaned_data.get("eligible_kinds") or ())
        return data


class CallImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV, XLSX or JSON file"),
        help_text=_(
            "Columns (or keys) with the EU Funding & Tenders portal's names: identifier, title, "
            "status, startDate, deadlineDate, deadlineModel, typesOfAction, frameworkProgramme, "
            "programmePeriod, keywords, budgetOverview; or the template's."
        ),
    )
    publish = forms.BooleanField(
        label=_("Publish the new calls at once"), required=False, initial=True,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CIVICBRIDGE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)s).")
                % {"size": filesizeformat(settings.CIVICBRIDGE_IMPORT_MAX_BYTES)}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx", ".json")):
            raise forms.ValidationError(_("Upload a .csv, .xlsx or .json file."))
        return upload
