from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core import forms as core_forms
from civicbridge.directory.models import Organization

from .models import SupportRequest
from .services import MESSAGE_MAX_LENGTH, MINUTES_MAX


class SupportRequestForm(core_forms.Form):
    """Ask for support; ``organizations`` are those the person represents (a menu if several)."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(),
        help_text=_("The organization you ask for; its other representatives see the request too."),
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=SupportRequest.Topic.choices, widget=forms.RadioSelect)
    subject = forms.CharField(label=_("Subject"), max_length=200,
                              help_text=_("In a few words, for example: budget of a small-grants offer."))
    description = forms.CharField(
        label=_("What do you need?"), widget=forms.Textarea(attrs={"rows": 10}), max_length=MESSAGE_MAX_LENGTH,
        help_text=_("The call or project, what you have done so far, your question, and by when you need an "
                    "answer. Markdown is allowed."),
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = Organization.objects.filter(pk__in=[organization.pk for organization in organizations])
        choices = [(organization.pk, organization.name) for organization in organizations]
        field.choices = choices if len(choices) == 1 else [("", "---------"), *choices]
        if len(organizations) == 1:
            self.initial.setdefault("organization", organizations[0].pk)


class MessageForm(core_forms.Form):
    body = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 6}), max_length=MESSAGE_MAX_LENGTH,
        help_text=_("Markdown is allowed."),
    )


class StatusForm(core_forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Any status is accepted here: the service says which moves the workflow refuses, and why.
        self.fields["status"].choices = [
            (value, label) for value, label in SupportRequest.Status.choices if value in statuses
        ] if not self.is_bound else SupportRequest.Status.choices


class AssignForm(core_forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assigned coordinator"), queryset=None, required=False, empty_label=_("nobody"),
    )

    def __init__(self, *args, coordinators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = coordinators


class TimeForm(core_forms.Form):
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=MINUTES_MAX)
    note = forms.CharField(label=_("What was done"), max_length=300, required=False,
                           help_text=_("For example: phone call, reading the draft budget."))
