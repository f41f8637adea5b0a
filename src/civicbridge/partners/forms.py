import copy

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicbridge.core import deployment
from civicbridge.core import forms as core_forms
from civicbridge.core.countries import CountryMultipleChoiceField
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.directory import filters as territory_menus
from civicbridge.directory.filters import (
    TerritoryChoiceField,
    TerritoryMultipleChoiceField,
    open_territory_menu,
)
from civicbridge.directory.models import Organization
from civicbridge.funding.models import Call

from .countries import country_choices, split_codes
from .models import PartnerRequest, Twinning
from .services import REQUEST_FIELDS, TWINNING_FIELDS, request_errors


class CallIdentifierField(forms.ModelChoiceField):
    """A call by its identifier, typed as its page shows it: a menu of every open call would
    be thousands of options in a national deployment (the services judge whether it is open)."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Call):
            return value
        identifier = str(value).replace("\x00", "").strip()
        call = self.queryset.filter(identifier__iexact=identifier).first() if identifier else None
        if call is None:
            raise forms.ValidationError(
                _("No call for proposals has the identifier “%(value)s”."), code="invalid_choice",
                params={"value": identifier},
            )
        return call

    def prepare_value(self, value):
        if isinstance(value, Call):
            return value.identifier
        if isinstance(value, int):
            return self.queryset.filter(pk=value).values_list("identifier", flat=True).first() or ""
        return super().prepare_value(value)


def _organization_choices(organizations) -> list[tuple]:
    choices = [(organization.pk, organization.name) for organization in organizations]
    return choices if len(choices) == 1 else [("", "---------"), *choices]


class PartnerRequestForm(forms.ModelForm):
    """A request or offer; ``organizations`` are those the person may post for (on creation only)."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(),
        help_text=_("The organization that seeks a partner or offers itself as one."),
    )
    direction = forms.ChoiceField(
        label=_("What do you post?"), choices=PartnerRequest.Direction.choices, widget=forms.RadioSelect,
        initial=PartnerRequest.Direction.SEEKING,
    )
    call = CallIdentifierField(
        label=_("Call for proposals"), queryset=Call.objects.published().only("pk", "identifier"), required=False,
        help_text=_("The identifier of an open or forthcoming call, as its page shows it; leave empty for a "
                    "project idea without a call yet."),
    )
    partner_kinds = forms.MultipleChoiceField(
        label=_("Kinds of partner"), choices=Organization.Kind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Organizations of these kinds are suggested first."),
    )
    countries = CountryMultipleChoiceField(
        label=_("Partner countries"), required=False,
        help_text=_("Leave empty if any country will do. A group's tick box ticks all its countries."),
    )
    territories = TerritoryMultipleChoiceField(
        label=_("Territories"), queryset=Territory.objects.all(), required=False,
        # Tick boxes, as for the areas and kinds: a multiple select needs Ctrl, which a phone has not.
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Regions or counties where the partner should be, if that matters."),
    )
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas"), queryset=ThematicArea.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Organizations working in the same areas are suggested as partners."),
    )

    class Meta:
        model = PartnerRequest
        # The order a coordinator thinks in: who and what, then the partner sought, then by when.
        fields = [
            "organization", "direction", "title", "description", "call", "role_sought", "expected_contribution",
            "thematic_areas", "partner_kinds", "countries", "territories", "deadline",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "expected_contribution": forms.Textarea(attrs={"rows": 4}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "role_sought": _("For example: applicant, partner, associated partner, host of a youth exchange."),
            "deadline": _("Answers are accepted until the end of this day."),
        }

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        open_territory_menu(self, "territories")
        core_forms.offer_thematic_areas(self)
        if self.instance.pk:
            del self.fields["organization"]
            self.initial["partner_kinds"] = split_codes(self.instance.partner_kinds, upper=False)
            self.initial["countries"] = split_codes(self.instance.countries)
            self.fields["countries"].keep(self.initial["countries"])
        else:
            self.fields["organization"].queryset = Organization.objects.filter(
                pk__in=[organization.pk for organization in organizations or []]
            )
            self.fields["organization"].choices = _organization_choices(organizations or [])
            core_forms.preselect_sole_organization(self, "organization", organizations)

    def clean(self):
        cleaned_data = super().clean()
        # The service's checks of the request's own data, made here too: every mistake shows at
        # once, beside the fields' own errors, not one more after each correction.
        partner_request = copy.copy(self.instance)
        for field, value in self.service_data().items():
            setattr(partner_request, field, value)
        previous = PartnerRequest(deadline=self.instance.deadline, call_id=self.instance.call_id) if self.instance.pk else None
        errors = request_errors(partner_request, previous=previous, unchecked=frozenset(self.errors))
        core_forms.add_errors(self, errors)
        return cleaned_data

    def _post_clean(self):
        # The service validates (deadline, call, codes) and reports per field.
        pass

    def service_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in REQUEST_FIELDS if field in self.cleaned_data}


class InterestForm(core_forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Answer on behalf of"), queryset=Organization.objects.none(),
    )
    message = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000,
        help_text=_("What your organization would bring, its experience with similar projects, "
                    "and how to reach you. The poster sees it with your organization's public profile."),
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations])
        self.fields["organization"].choices = _organization_choices(organizations)
        core_forms.preselect_sole_organization(self, "organization", organizations)


class TownChoiceField(TerritoryChoiceField):
    def label_from_instance(self, territory):
        return f"{territory.name} ({territory.parent.name})" if territory.parent_id else territory.name


class TwinningForm(forms.ModelForm):
    territory = TownChoiceField(
        label=_("Our town"),
        queryset=Territory.objects.filter(level__in=[Territory.Level.MUNICIPALITY, Territory.Level.COUNTY])
        .select_related("parent").order_by("name_en"),
    )
    partner_country = forms.ChoiceField(label=_("Country of the partner city"), choices=country_choices)
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Areas of cooperation"), queryset=ThematicArea.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Twinning
        fields = [*TWINNING_FIELDS, "thematic_areas"]
        widgets = {
            "since": forms.NumberInput(attrs={"min": 1900}),
            "contact": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "contact": _("The office or person responsible on our side and, if public, on the partner's side."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].menu = self._town_menu
        core_forms.offer_thematic_areas(self)

    def _town_menu(self):
        """Every town where few enough to choose from; past the menu limit, the counties and
        the municipalities beside the chosen town (thousands of municipalities: 300+ ms a form)."""
        towns = self.fields["territory"].queryset.filter(country=deployment.current().country)
        if towns.count() <= territory_menus.MENU_DETAIL_LIMIT:
            return towns
        chosen = territory_menus.chosen_territories(self, "territory")
        line = {int(part) for unit in chosen for part in unit.path.strip("/").split("/") if part}
        return towns.filter(Q(level=Territory.Level.COUNTY) | Q(parent_id__in=line) | Q(pk__in=[u.pk for u in chosen]))

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in TWINNING_FIELDS if field in self.cleaned_data}
