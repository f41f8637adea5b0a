"""User-written rich text is Markdown, rendered and then sanitized with nh3: the one path.

Pages (the ``markdown`` filter) and feeds (``funding.feeds``) use it, so whatever a page
shows, a feed reader shows too, and both are well-formed XML as well as HTML.
"""

import threading

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

from .validators import clean_text

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote",
    "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}

# Building a converter (its extensions, patterns and processors) costs four times converting
# a paragraph with it; a converter is not thread-safe, so each thread keeps its own and resets
# it between texts (Markdown.reset: no footnote, abbreviation or reference carries over).
_local = threading.local()


def _converter() -> markdown_lib.Markdown:
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown_lib.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    return converter


def render_markdown(text: str) -> SafeString:
    # Control characters go before Markdown sees the text: STX and ETX delimit Markdown's
    # own placeholders for stashed HTML ("\x02wzxhzdk:0\x03"), so text holding them could
    # address the stash and leave a placeholder, or another block's HTML, in the output.
    source = clean_text(text or "", multiline=True)
    converter = _converter()
    try:
        html = converter.convert(source)
    finally:
        converter.reset()
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    # And after: nh3 decodes character references, so "&#2;" or "&#xFFFF;" come out as the
    # characters themselves, which XML (Atom) refuses.
    return mark_safe(clean_text(clean, multiline=True))

