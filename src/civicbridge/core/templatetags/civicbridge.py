from django import template
from django.utils.html import format_html

from civicbridge.core.coordinates import coordinates_text, machine_coordinates
from civicbridge.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def has_perm(context, permission, obj=None):
    user = context["request"].user
    return user.has_perm(permission, obj)


@register.filter(name="machine_datetime")
def machine_datetime(value):
    """A moment for ``<time datetime>`` and scripts: ISO 8601 to the second, offset included.

    Django's ``date:'c'`` writes microseconds, which HTML's datetime syntax refuses (at most
    three digits of a second)."""
    if not value:
        return ""
    return value.replace(microsecond=0).isoformat()


@register.simple_tag(takes_context=True)
def rows(context, template_name, items, **extra):
    """The rows of a list, drawn by their Jinja2 template (``core/rows.py``)."""
    return jinja2(context, template_name, rows=items, **extra)


@register.simple_tag(takes_context=True)
def jinja2(context, template_name, **values):
    """A Jinja2 template (``core/rows.py``) drawn inside a Django one, with ``values``."""
    from civicbridge.core.rows import render

    return render(template_name, request=context.get("request"), **values)


@register.simple_tag
def coordinates(latitude, longitude):
    """A place's coordinates as readers of the page's language take them ("40,183928° N,
    29,071551° E"), their machine form ("40.183928,29.071551") in a ``<data>`` element's value."""
    return format_html(
        '<data class="coordinates" value="{}">{}</data>',
        machine_coordinates(latitude, longitude), coordinates_text(latitude, longitude),
    )
