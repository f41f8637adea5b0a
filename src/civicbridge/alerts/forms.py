"""Forms of the alert pages: subscribe from a content's list, change an alert, filter the delivery log."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core import forms as core_forms
from civicbridge.core.countries import country_choices
from civicbridge.core.filters import CountryMenuField, TerritoryField
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.core.registry import alertables
from civicbridge.directory.models import Organization

from .models import Subscription
from .selectors import funders, programmes


class SubscribeForm(core_forms.Form):
    """A content list's current filters (named as in its query string), and how often to hear."""

    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    funder = forms.ModelChoiceField(label=_("Funder"), queryset=funders(), required=False)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=programmes(), required=False)
    applicant_kind = forms.ChoiceField(
        label=_("Applicant kind"), choices=[("", ""), *Organization.Kind.choices], required=False,
    )
    # As the calls list's filter: a menu of countries by name, its values their codes (any case).
    country = CountryMenuField(
        label=_("Applicants from"), choices=country_choices, empty_label=_("any country"), required=False,
        help_text=_("Calls open to applicants from this country."),
    )
    # As the lists' filters take it: by its code (TERYT...) or its id.
    territory = TerritoryField(label=_("Territory"), queryset=Territory.objects.all(), required=False)
    thematic_area = forms.ModelChoiceField(
        label=_("Thematic area"), queryset=ThematicArea.objects.all(), required=False
    )
    amount_min = forms.DecimalField(
        label=_("Grants of at least"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    amount_max = forms.DecimalField(
        label=_("Grants of at most"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Subscription.Frequency.choices, initial=Subscription.Frequency.DAILY,
        widget=forms.RadioSelect,
    )
    remind_deadlines = forms.BooleanField(
        label=_("Remind me 7 days before deadlines"), required=False, initial=True
    )

    CRITERIA = (
        "q", "funder", "programme", "applicant_kind", "country", "territory", "thematic_area", "amount_min", "amount_max",
    )
    # The criteria the page shows as fields to change; the others are kept as the list gave them.
    SHOWN = ("country",)

    def __init__(self, *args, applicant_countries: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not applicant_countries:  # content whose items name no applicants' countries (events...)
            del self.fields["country"]

    def criteria(self) -> dict:
        """The service's keyword arguments for the saved filters."""
        data = self.cleaned_data
        return {
            "keywords": data["q"], "funder": data["funder"], "programme": data["programme"],
            "applicant_kind": data["applicant_kind"], "country": data.get("country", ""), "territory": data["territory"],
            "thematic_area": data["thematic_area"], "min_amount": data["amount_min"], "max_amount": data["amount_max"],
        }


class SubscriptionForm(forms.ModelForm):
    """What its owner may change on an alert."""

    class Meta:
        model = Subscription
        fields = ["name", "frequency", "remind_deadlines", "is_active"]
        labels = {"is_active": _("Send me this alert")}


class DeliveryFilterForm(forms.Form):
    STATES = [
        ("", _("any state")),
        ("queued", _("queued")),
        ("retrying", _("waiting to be tried again")),
        ("pending", _("being sent")),
        ("sent", _("sent")),
        ("failed", _("failed")),
    ]

    content = forms.ChoiceField(label=_("Content"), choices=[], required=False)
    identifier = forms.CharField(label=_("Identifier"), max_length=120, required=False)
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].choices = [("", _("any content"))] + [
            (key, entry.label) for key, entry in alertables.entries.items()
        ]
