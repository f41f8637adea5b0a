from functools import lru_cache

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe


@lru_cache(maxsize=64)
def _options_html(choices: tuple[tuple[str, str], ...]) -> str:
    return "".join(f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in choices)


class FastSelect(forms.Select):
    """A <select> whose options are rendered once and reused, not one template per option.

    Long lists (hundreds of territories) cost milliseconds per page through Django's
    option templates; the HTML is the same. Optgroups are not supported.

    ``choice_source``: a callable answering the options as (value, label) pairs, e.g.
    from the cache; it stands for ``choices``, which Django would check and copy item by
    item on every form (2,500 territories: 15 ms a page).
    """

    choice_source = None

    def options(self) -> tuple[tuple[str, str], ...]:
        rows = self.choice_source() if self.choice_source is not None else self.choices
        return tuple((self._value_of(v), str(label)) for v, label in rows)

    def use_required_attribute(self, initial):
        if self.choice_source is None:
            return super().use_required_attribute(initial)
        first = next(iter(self.choice_source()), None)
        return forms.Widget.use_required_attribute(self, initial) and first is not None and (
            self._choice_has_empty_value(first)
        )

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        choices = self.options()
        options = _options_html(choices)
        for selected in {str(v) for v in self.format_value(value)}:
            marker = f'<option value="{escape(selected)}">'
            options = options.replace(marker, marker[:-1] + " selected>", 1)
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe(options))

    @staticmethod
    def _value_of(value):
        # ModelChoiceIterator yields ModelChoiceIteratorValue objects.
        return "" if value is None else str(getattr(value, "value", value))


def _attributes(attrs: dict) -> str:
    """HTML attributes in the order given, as Django's attrs.html writes them."""
    return format_html_join(
        "", "{}", ((format_html(' {}="{}"', key, value) if value is not True else format_html(" {}", key),)
                   for key, value in attrs.items() if value is not False and value is not None),
    )


class FastCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes rendered in Python, in the markup of Django's own templates.

    Django renders each checkbox through three templates: a filter's seven kinds, or a
    form's fifty thematic areas, cost milliseconds a page. The HTML is the same.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        container_id = final_attrs.pop("id", None)
        selected = {str(v) for v in self.format_value(value)}
        options = []
        for index, (option_value, label) in enumerate(self.choices):
            option_value = FastSelect._value_of(option_value)
            input_attrs = dict(final_attrs)
            if container_id:
                input_attrs["id"] = f"{container_id}_{index}"
            if option_value in selected:
                input_attrs["checked"] = True
            label_for = format_html(' for="{}"', input_attrs["id"]) if container_id else ""
            options.append(format_html(
                '<div>\n    <label{}><input type="{}" name="{}" value="{}"{}>\n {}</label>\n\n</div>',
                label_for, self.input_type, name, option_value, _attributes(input_attrs), label,
            ))
        container = format_html(
            "<div{}{}>", format_html(' id="{}"', container_id) if container_id else "",
            format_html(' class="{}"', final_attrs["class"]) if final_attrs.get("class") else "",
        )
        return mark_safe(container + "".join(options) + "\n</div>")
