"""Django's one-line comment ``{# #}`` ends on its own line: one spread over several lines is
not a comment, and the page shows it as text (the base template's did, above every page)."""

from pathlib import Path

import civicbridge

ROOT = Path(civicbridge.__file__).parent


def test_no_django_template_spreads_a_one_line_comment_over_several_lines():
    unclosed = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ROOT.glob("*/templates/**/*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line[line.index("{#"):]
    ]
    assert unclosed == []


def test_no_page_starts_with_template_text(client, db):
    page = client.get("/en/").content.decode()
    assert "{#" not in page and "#}" not in page
