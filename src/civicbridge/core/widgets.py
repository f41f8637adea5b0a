from functools import lru_cache

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


@lru_cache(maxsize=64)
def _options_html(choices: tuple[tuple[str, str], ...]) -> str:
    return "".join(f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in choices)


class FastSelect(forms.Select):
    """A <select> whose options are rendered once and reused, not one template per option.

    Long lists (hundreds of territories) cost milliseconds per page through Django's
    option templates; the HTML is the same. Optgroups are not supported.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        choices = tuple((self._value_of(v), str(label)) for v, label in self.choices)
        options = _options_html(choices)
        for selected in {str(v) for v in self.format_value(value)}:
            marker = f'<option value="{escape(selected)}">'
            options = options.replace(marker, marker[:-1] + " selected>", 1)
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe(options))

    @staticmethod
    def _value_of(value):
        # ModelChoiceIterator yields ModelChoiceIteratorValue objects.
        return "" if value is None else str(getattr(value, "value", value))
