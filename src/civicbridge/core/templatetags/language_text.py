"""Filters that write text as the page's language does, for every Django template.

Loaded as a builtin (``TEMPLATES``' ``builtins`` in settings): ``|capfirst`` in any template,
the admin's included, is this one, which writes Turkish "işletme" as "İşletme".
"""

from django import template
from django.template.defaultfilters import stringfilter

from civicbridge.core.text import capfirst as language_capfirst

register = template.Library()


@register.filter(is_safe=True)
@stringfilter
def capfirst(value):
    """Django's ``capfirst`` with the capital letters of the active language (``core/text.py``)."""
    return language_capfirst(value)
