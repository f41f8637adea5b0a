"""The Jinja2 templates' ``_`` and ``ngettext`` (core.rows) draw exactly what Jinja2's own
"newstyle" gettext draws, in each language, and follow the active language."""

import jinja2
import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

from civicbridge.core.rows import engine

TEMPLATES = [
    '{{ _("Next deadline:") }}',
    '{{ _("Thematic areas") }}|{{ gettext("Search") }}',
    # values escaped, the message's own markup kept
    '{{ _("Hours: %(hours)s", hours="<b>2</b>") }}',
    # always formatted: %% is one %
    '{{ _("100%% of %(what)s", what="R&D") }}|{{ _("50%% done") }}',
    '{% for n in [0, 1, 2, 5, 22] %}{{ ngettext("%(counter)s remark", "%(counter)s remarks", n, counter=n) }};{% endfor %}',
    '{% for n in [1, 3] %}{{ ngettext("%(num)s seat", "%(num)s seats", n) }};{% endfor %}',
    # a value named as the counter wins over the number, as in Jinja2
    '{{ ngettext("%(num)s item", "%(num)s items", 2, num="two") }}',
    # inside a loop that sets a variable (Jinja2 then passes the loop's variables along)
    '{% for n in [1, 2] %}{% set word = "x" ~ n %}{{ _("Search") }} {{ word }};{% endfor %}',
]


def jinja2_own() -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    return env


@pytest.mark.parametrize("language", ["en", "pl", "tr"])
@pytest.mark.parametrize("source", TEMPLATES)
def test_the_same_markup_as_jinja2s_own_translations(language, source):
    with translation.override(language):
        ours = engine().env.from_string(source).render()
        theirs = jinja2_own().from_string(source).render()
    assert ours == theirs


def test_a_message_follows_the_active_language_from_one_render_to_the_next():
    template = engine().env.from_string('{{ _("Search") }}')
    drawn = {}
    for language in ("en", "pl", "tr", "pl", "en"):
        with translation.override(language):
            drawn.setdefault(language, set()).add(template.render())
    assert all(len(texts) == 1 for texts in drawn.values())
    assert drawn["en"] == {"Search"}
    assert len({*drawn["en"], *drawn["pl"], *drawn["tr"]}) == 3
