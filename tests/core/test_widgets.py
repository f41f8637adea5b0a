"""The fast widgets write the HTML Django's own widgets write, without their templates."""

import pytest
from django import forms

from civicbridge.core.widgets import FastCheckboxSelectMultiple, FastSelect

CHOICES = [("ngo", "NGO & friends"), ("school", "School"), ("", "none <given>")]


def _form(widget_class, *, required):
    class Form(forms.Form):
        kind = forms.MultipleChoiceField(choices=CHOICES, widget=widget_class(attrs={"class": "wide"}), required=required)

    return Form


@pytest.mark.parametrize("required", [True, False])
@pytest.mark.parametrize("data", [None, {}, {"kind": ["school"]}, {"kind": ["ngo", "school"]}])
def test_the_fast_checkboxes_are_djangos_checkboxes_letter_for_letter(required, data):
    django_form = _form(forms.CheckboxSelectMultiple, required=required)(data)
    fast_form = _form(FastCheckboxSelectMultiple, required=required)(data)

    assert str(fast_form["kind"]) == str(django_form["kind"])


def test_the_fast_checkboxes_escape_labels_and_values():
    html = str(_form(FastCheckboxSelectMultiple, required=False)()["kind"])

    assert "NGO &amp; friends" in html
    assert "none &lt;given&gt;" in html


def _select_form(**widget_kwargs):
    class Form(forms.Form):
        place = forms.ChoiceField(choices=[("", "---------"), ("1", "Opole"), ("2", "Nysa")], widget=FastSelect)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name, value in widget_kwargs.items():
                setattr(self.fields["place"].widget, name, value)

    return Form


def test_a_select_fed_by_a_choice_source_shows_its_options_and_the_chosen_one():
    source = [("", "---------"), ("1", "Opole"), ("2", "Nysa")]
    html = str(_select_form(choice_source=lambda: source)({"place": "2"})["place"])

    assert '<option value="1">Opole</option>' in html
    assert '<option value="2" selected>Nysa</option>' in html


def test_a_select_fed_by_a_choice_source_is_required_as_djangos_would_be():
    with_source = str(_select_form(choice_source=lambda: [("", "---------"), ("1", "Opole")])()["place"])
    plain = str(_select_form()()["place"])

    assert " required" in plain
    assert " required" in with_source
