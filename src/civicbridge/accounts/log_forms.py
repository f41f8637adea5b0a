from django import forms
from django.utils.translation import gettext_lazy as _


class RightsLogFilterForm(forms.Form):
    """Narrow the rights log to one person or one organization (coordinators' page)."""

    person = forms.CharField(
        label=_("Person"), required=False, max_length=254,
        help_text=_("User name, e-mail address or account number."),
    )
    organization = forms.CharField(
        label=_("Organization"), required=False, max_length=300,
        help_text=_("Part of its name, or its number."),
    )
