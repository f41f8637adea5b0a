from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> rendered in Python instead of one template per option.

    Long lists (hundreds of territories) cost milliseconds per page through Django's
    option templates; the HTML is the same: options, optgroups are not used here.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option_value, mark_safe(" selected") if str(option_value) in selected else "", label)
                for option_value, label in ((self._value_of(v), lbl) for v, lbl in self.choices)
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)

    @staticmethod
    def _value_of(value):
        # ModelChoiceIterator yields ModelChoiceIteratorValue objects.
        return "" if value is None else str(getattr(value, "value", value))
