from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.events.models import Event

from .models import Target


class TargetForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of event"), choices=Event.Kind.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("The events it counts."),
    )

    class Meta:
        model = Target
        fields = ["year", "name_en", "name_pl", "name_tr", "kinds", "events", "hours", "participants", "counties", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["kinds"] = self.instance.kind_list

    def _post_clean(self):
        pass  # the service validates

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["kinds"] = ",".join(data.get("kinds") or [])
        return data
