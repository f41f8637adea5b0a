"""The rows of long lists, drawn by Jinja2.

A list page draws 25 rows of a dozen values each on every request and every htmx swap;
Jinja2 draws the same markup 0.6 to 2.4 ms faster per page than Django's template language
(measured in-process on the lists that moved). The page around the rows (layout, filters, counts, paging)
stays a Django template, which includes the rows with ``{% rows "app/x_rows.html" items %}``
(``core/templatetags/civicbridge.py``); ``{% jinja2 "app/x.html" name=value %}`` draws any other
Jinja2 template inside a Django one, so that a piece both share is written once.

A row template lives in its app's ``jinja2/`` folder. It reads what it is given and runs no
query: its selector brings every related object it shows. It translates with ``_("…")``
(named values as ``_("since %(year)s", year=…)``, the same message as Django's
``blocktranslate``) and ``ngettext(singular, plural, n, name=n)`` (the counter under the name
the catalog's message uses); the project's ``makemessages`` reads them with Jinja2
(``core/management/commands/makemessages.py``).
"""

from functools import cache
from pathlib import Path

import django.forms
import jinja2
from django.conf import settings
from django.template.backends.jinja2 import Jinja2
from django.template.defaultfilters import floatformat
from django.template.utils import get_app_template_dirs
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext
from markupsafe import Markup

from civicbridge.core.dates import date
from civicbridge.core.templatetags.civicbridge import machine_datetime
from civicbridge.core.text import capfirst, once_per_language


class Environment(jinja2.Environment):
    def make_globals(self, d):
        # A plain dict where Jinja2 makes a ChainMap over the environment's globals: every render
        # copies a template's globals twice (its context and the context's key set), and copying
        # a ChainMap runs in Python, 13 of the 19 µs a widget's attributes take to draw. The
        # environment's globals are all set before the first template loads (``environment``).
        return {**self.globals, **(d or {})}


def environment(**options) -> Environment:
    env = Environment(**options, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    # Jinja2's own callables take the template's context (three calls deep, each looking up
    # how to call the next) and format even a message without values: 17 µs a message, four
    # times Django's gettext, and a list's rows and the page's header say some hundred.
    env.globals.update(_=translated, gettext=translated, ngettext=translated_plural)
    env.filters.update(
        capfirst=capfirst, date=date, floatformat=floatformat, localtime=localtime, machine_datetime=machine_datetime,
        # Django's escaping (&#x27;, &quot;) where a page mixes Jinja2's and Django's: one spelling per page.
        force_escape=escape,
    )
    env.globals.update(url=url, static=static)
    return env


def translated(message: str, **values) -> Markup:
    """``_("…")`` in the templates: Jinja2's "newstyle" gettext (the message is always formatted,
    ``%%`` written as ``%``; the values are escaped) for templates that escape, as all here do."""
    if values:
        return Markup(gettext(message)) % values
    return _translated_alone(message)


@once_per_language
def _translated_alone(message: str) -> Markup:
    # The catalogs are read once per process: a message without values reads the same each time.
    return Markup(gettext(message)) % {}


def translated_plural(singular: str, plural: str, number: int, **values) -> Markup:
    """``ngettext(…)`` in the templates, as Jinja2's "newstyle" one: ``num`` is the number
    unless a value of that name is given."""
    values.setdefault("num", number)
    return Markup(ngettext(singular, plural, number)) % values


def url(viewname: str, *args, **kwargs) -> str:
    """Django's ``reverse`` for templates: ``url("funding:call_detail", identifier=…)``."""
    if args or kwargs:
        return reverse(viewname, args=args or None, kwargs=kwargs or None)
    return _page_url(viewname, get_script_prefix(), get_urlconf(settings.ROOT_URLCONF))


@once_per_language
def _page_url(viewname: str, script_prefix: str, urlconf: str) -> str:
    # The address of a page without arguments depends on nothing else: the header's 20 links
    # are reversed once per language (9 µs each on every page before).
    return reverse(viewname, urlconf=urlconf)


@cache
def engine() -> Jinja2:
    """The project's one Jinja2 engine, which compiles each template once: the apps' ``jinja2``
    folders (row templates; ``core``'s widget templates first), then Django's own Jinja2 widget
    templates, which the forms' renderer (``core.forms.FormRenderer``) draws with it too."""
    return Jinja2({
        "NAME": "jinja2",
        "DIRS": [*get_app_template_dirs("jinja2"), Path(django.forms.__file__).parent / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "civicbridge.core.rows.environment", "autoescape": True},
    })


def render(template_name: str, *, request=None, **context) -> str:
    html = engine().get_template(template_name).render(context, request=request)
    return mark_safe(html)  # Jinja2 escaped every value (autoescape on)
