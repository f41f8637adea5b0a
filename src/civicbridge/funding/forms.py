"""The call form: deadlines are entered as rows, each a date and a time on the funder's clock.

The funder's time zone comes from the chosen programme. A wall-clock time the clocks
skip (2027-03-28 02:30 in Europe/Warsaw) is refused with a message; one that happens
twice (2026-10-25 02:30) is taken at its first occurrence (fold=0, still summer time):
see ``services.aware_in_zone``.
"""

import copy
from datetime import datetime, time

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from civicbridge.core import deployment
from civicbridge.core.countries import CountryMultipleChoiceField, country_choices, sort_key
from civicbridge.core.deployment import zone_label
from civicbridge.core.forms import add_errors, offer_thematic_areas
from civicbridge.core.languages import LanguageMultipleChoiceField
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.directory.filters import TerritoryMultipleChoiceField, open_territory_menu

from . import services
from .filters import applicant_kind_choices
from .models import TIME_ZONES, Call, Funder, Programme

MAX_DEADLINES = 6
# Empty rows offered besides the call's deadlines: without JavaScript the form needs them to
# add a deadline; with it, the "Add a deadline" button shows them one by one.
SPARE_ROWS_NEW = 3
SPARE_ROWS_EDIT = 2


class DeadlineRowForm(forms.Form):
    """One deadline: a day and a time on the funder's clock (made aware by ``CallForm.clean``)."""

    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    @property
    def number(self) -> int:
        return int(self.prefix.rsplit("-", 1)[1]) + 1 if self.prefix and self.prefix[-1].isdigit() else 0

    @property
    def legend(self) -> str:
        return _("Deadline %(number)s") % {"number": self.number}

    def is_empty(self) -> bool:
        """No date and no time yet: a spare row (the script shows it when asked)."""
        if self.is_bound:
            return not (self.data.get(self.add_prefix("date")) or self.data.get(self.add_prefix("time")))
        return not (self.initial.get("date") or self.initial.get("time"))


class BaseDeadlineRowFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this deadline")

    def add_error(self, message) -> None:
        """An error about the rows together (how many, in which order), shown above them."""
        self.non_form_errors().append(message)


def deadline_row_formset(*, spare: int):
    return forms.formset_factory(
        DeadlineRowForm, formset=BaseDeadlineRowFormSet, extra=spare, can_delete=True,
        max_num=MAX_DEADLINES, validate_max=True, absolute_max=MAX_DEADLINES,
    )


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
    eligible_countries = CountryMultipleChoiceField(
        label=_("Eligible countries"), required=False,
        help_text=_("None ticked: applicants from any country. A group's tick box ticks all its countries."),
    )
    eligible_territories = TerritoryMultipleChoiceField(
        label=_("Eligible territories"), queryset=Territory.objects.all(), required=False,
        help_text=_("None chosen: no territorial restriction."),
    )
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas"), queryset=ThematicArea.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Chosen by name, stored as the codes the service takes ("pl,en").
    languages = LanguageMultipleChoiceField(label=_("Languages"), required=False)

    class Meta:
        model = Call
        fields = [
            "identifier", "title", "programme", "type_of_action", "summary", "deadline_model",
            "total_budget", "min_grant", "max_grant", "currency", "co_financing_rate", "eligible_countries",
            "languages", "documents_url", "status_from_source",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {
            "identifier": _("As the funder writes it, e.g. ERASMUS-EDU-2027-PI-ALL-INNO."),
            "deadline_model": _("Single-stage: one deadline; two-stage: one per stage; permanent: none."),
            "status_from_source": _("Only if the funder's status differs from the dates, e.g. a call closed early."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        open_territory_menu(self, "eligible_territories")
        for name in ("total_budget", "min_grant", "max_grant", "co_financing_rate"):
            self.fields[name].validators.append(MinValueValidator(0))
            self.fields[name].widget.attrs["min"] = 0
        self.fields["eligible_territories"].widget.attrs["size"] = 8
        rows = self._initial_from(self.instance) if self.instance.pk else []
        spare = SPARE_ROWS_EDIT if self.instance.pk else SPARE_ROWS_NEW
        self.deadline_rows = deadline_row_formset(spare=max(min(spare, MAX_DEADLINES - len(rows)), 0))(
            self.data if self.is_bound else None, initial=rows, prefix="deadlines",
        )
        offer_thematic_areas(self)

    def _initial_from(self, call: Call) -> list[dict]:
        """Fill the initial values from ``call``; answer its deadlines as rows on the funder's clock."""
        zone = services.funder_zone(call.programme.funder)
        if call.opens_at:
            local = call.opens_at.astimezone(zone)
            self.initial.update(opens_on=local.date(), opens_time=local.time())
        rows = []
        for deadline in sorted(call.deadlines.all(), key=lambda d: d.deadline_at):
            local = deadline.deadline_at.astimezone(zone)
            rows.append({"date": local.date(), "time": local.time()})
        self.initial["eligible_kinds"] = call.kinds
        countries = [code for code in call.eligible_countries.split(",") if code]
        self.fields["eligible_countries"].keep(countries)
        self.initial["eligible_countries"] = countries
        languages = [code for code in call.languages.split(",") if code]
        self.fields["languages"].keep(languages)
        self.initial["languages"] = languages
        self.initial["eligible_territories"] = [t.pk for t in call.eligible_territories.all()]
        self.initial["thematic_areas"] = [a.pk for a in call.thematic_areas.all()]
        return rows

    def fieldsets(self):
        """(legend, fields, with the deadline rows) groups for the template."""
        groups = [
            (_("The call"), ["identifier", "title", "programme", "type_of_action", "summary"], False),
            (_("Dates"), ["deadline_model", "opens_on", "opens_time"], True),
            (_("Money"), ["total_budget", "min_grant", "max_grant", "currency", "co_financing_rate"], False),
            (_("Who and where"), ["eligible_kinds", "eligible_countries", "eligible_territories", "thematic_areas", "languages"], False),
            (_("Documents and status"), ["documents_url", "status_from_source"], False),
        ]
        return [(legend, [self[name] for name in names], rows) for legend, names, rows in groups]

    def error_count(self) -> int:
        return len(self.errors) + self.deadline_rows.total_error_count() if self.is_bound else 0

    def clean_identifier(self):
        identifier = self.cleaned_data["identifier"].strip()
        services.check_identifier(identifier)
        return identifier

    def clean(self):
        cleaned = super().clean()
        programme = cleaned.get("programme")
        if programme is not None:
            self._clean_dates(cleaned, services.funder_zone(programme.funder))
        self._check_call()
        return cleaned

    def _check_call(self) -> None:
        """The service's checks of the call's own data (codes, currency, amounts), made here too:
        every mistake shows at once, beside the fields' own errors."""
        call = copy.copy(self.instance)
        for name, value in self.call_data().items():
            setattr(call, name, value)
        add_errors(self, services.call_errors(call, unchecked=frozenset(self.errors)))

    def _clean_dates(self, cleaned: dict, zone) -> None:
        cleaned["opens_at"] = None
        if cleaned.get("opens_on"):
            moment = datetime.combine(cleaned["opens_on"], cleaned.get("opens_time") or time.min)
            cleaned["opens_at"] = self._aware(moment, zone, "opens_time")
        deadlines = self._deadlines_from_rows(zone)
        cleaned["deadlines"] = deadlines
        # Judged whatever else is wrong, but only on dates that were understood.
        unknown = {"deadline_model", "opens_on", "opens_time"} & set(self.errors)
        if unknown or not self.deadline_rows.is_valid() or not cleaned.get("deadline_model"):
            return
        try:
            services.check_deadlines(
                deadline_model=cleaned["deadline_model"], deadlines=deadlines, opens_at=cleaned["opens_at"]
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    if field == "deadlines":
                        self.deadline_rows.add_error(message)
                    else:
                        self.add_error(field if field in self.fields else None, message)

    def _deadlines_from_rows(self, zone) -> list[datetime]:
        """The rows' deadlines as aware moments, in the rows' order; empty and removed rows skipped.

        Each problem is reported on its row's field; the formset then is not valid.
        """
        rows = self.deadline_rows
        rows.is_valid()  # cleans the rows
        deadlines = []
        for row in rows.forms:
            data = getattr(row, "cleaned_data", {})
            if data.get("DELETE"):
                continue
            day, clock = data.get("date"), data.get("time")
            if day and clock is None and not row.errors.get("time"):
                row.add_error("time", _("Give the deadline's time too."))
            elif clock is not None and not day and not row.errors.get("date"):
                row.add_error("date", _("Give the deadline's date too."))
            elif day and clock is not None:
                moment = self._aware(datetime.combine(day, clock), zone, "time", form=row)
                if moment is not None:
                    deadlines.append(moment)
        return deadlines

    def is_valid(self):
        # The rows are part of the form: a mistake in one keeps the call from being saved.
        return super().is_valid() and self.deadline_rows.is_valid()

    def _aware(self, moment: datetime, zone, field: str, *, form=None):
        form = form or self
        try:
            return services.aware_in_zone(moment, zone, field=field)
        except ValidationError as error:
            for message in error.message_dict[field]:
                form.add_error(field, message)
            return None

    def _post_clean(self):
        # The service validates the call (identifier, amounts, codes) and reports per field.
        pass

    def call_data(self) -> dict:
        """What the services take: the model's fields, with the dates made aware."""
        data = {name: self.cleaned_data[name] for name in services.CALL_FIELDS if name in self.cleaned_data}
        data["eligible_kinds"] = ",".join(self.cleaned_data.get("eligible_kinds") or ())
        data["eligible_countries"] = ",".join(self.cleaned_data.get("eligible_countries") or ())
        data["languages"] = ",".join(self.cleaned_data.get("languages") or ())
        return data


def time_zone_choices() -> list:
    """The clocks a funder may keep, named as the pages name them ("Brussels time", in the page's
    language) with the zone's name: first those in use (this deployment's and the funders'
    already entered), then all, in the alphabetical order of their names in the page's language."""

    def named(zone: str) -> tuple[str, str]:
        return zone, f"{zone_label(zone)} – {zone}"

    in_use = {deployment.current().time_zone, *Funder.objects.values_list("time_zone", flat=True).distinct()}
    in_use &= {zone for zone, _label in TIME_ZONES}
    by_name = sorted((named(zone) for zone, _label in TIME_ZONES), key=lambda choice: sort_key(choice[1]))
    return [
        (_("In use"), sorted((named(zone) for zone in in_use), key=lambda choice: sort_key(choice[1]))),
        (_("All time zones"), by_name),
    ]


class ReferenceDataForm(forms.ModelForm):
    """A funder or a programme as coordinators keep it: the service validates and saves it,
    and reports per field."""

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class FunderForm(ReferenceDataForm):
    """A funder as coordinators keep it; the services validate and save it."""

    country = forms.ChoiceField(
        label=_("Country"), required=False,
        help_text=_("Leave empty for an international body (the European Union, the World Bank)."),
    )

    class Meta:
        model = Funder
        fields = ["name", "kind", "country", "time_zone", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "time_zone": _("Deadlines of its calls are entered and shown on this clock, e.g. Brussels time "
                           "for the European Commission."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("none (international body)")), *country_choices()]
        if self.instance.country and self.instance.country not in dict(choices):
            choices.append((self.instance.country, self.instance.country))  # kept, not dropped on saving
        self.fields["country"].choices = choices
        self.fields["time_zone"].choices = time_zone_choices()


class ProgrammeForm(ReferenceDataForm):
    class Meta:
        model = Programme
        fields = ["name", "code", "period", "website"]


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
