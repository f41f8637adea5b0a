"""Read an HTML form as a browser would submit it: its action and its fields' current values.

The bench's writes go through the same forms people use: it opens the page, takes the
form's fields (CSRF token, hidden keys, current values, chosen options), changes a few and
posts them. When a form gains a field the bench keeps submitting what the page offers.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin


class Form:
    def __init__(self, action: str, method: str):
        self.action = action
        self.method = method
        self.fields: list[tuple[str, str]] = []
        self.options: dict[str, list[str]] = {}  # a select's offered values, as a person sees them

    def put(self, name: str, value) -> None:
        """Replace every value of ``name`` with ``value`` (a list for several)."""
        values = value if isinstance(value, list) else [value]
        self.fields = [(n, v) for n, v in self.fields if n != name] + [(name, str(v)) for v in values]

    def get(self, name: str) -> str | None:
        return next((v for n, v in self.fields if n == name), None)

    def names(self) -> set[str]:
        return {n for n, _ in self.fields}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_multiple = False
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append((name, a.get("value", "on")))
                return
            self._form.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_multiple, self._options = name, "multiple" in a, []
        elif tag == "option" and self._select:
            self._option_value = a.get("value")
            self._option_text = ""
            self._options.append((a.get("value"), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data
        if self._option_value is None and self._select and self._options and self._options[-1][0] is None:
            self._option_text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option" and self._select and self._options and self._options[-1][0] is None:
            self._options[-1] = (self._option_text.strip(), self._options[-1][1])
        elif tag == "select" and self._select and self._form is not None:
            chosen = [v for v, selected in self._options if selected]
            if not chosen and not self._select_multiple and self._options:
                chosen = [self._options[0][0]]
            self._form.fields.extend((self._select, v) for v in chosen)
            self._form.options[self._select] = [v for v, _ in self._options if v]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, self._text.lstrip("\n")))
            self._textarea = None


def find_form(html: str, page_url: str, *, action_contains: str = "") -> Form | None:
    """The page's POST form whose action contains ``action_contains``; else its largest POST form.

    Forms of the page's frame (log out, language switch) are never chosen.
    """
    parser = _FormParser()
    parser.feed(html)
    candidates = [
        f for f in parser.forms
        if f.method == "post" and not any(part in f.action for part in ("logout", "setlang", "i18n"))
    ]
    if action_contains:
        candidates = [f for f in candidates if action_contains in (f.action or page_url)]
    if not candidates:
        return None
    form = max(candidates, key=lambda f: len(f.fields))
    form.action = urljoin(page_url, form.action) if form.action else page_url
    return form


def form_errors(response) -> str:
    """The messages of a form sent back with errors, so that a refused write says why."""
    text = response.text or ""
    if response.status_code not in (200, 400) or ("errorlist" not in text and "error-summary" not in text):
        return ""
    # A field's errors, and those of the whole form (listed in the error summary only).
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', text, re.S) + re.findall(
        r'<div class="error-summary"[^>]*>.*?<ul>(.*?)</ul>', text, re.S
    )
    names = re.findall(r'name="([\w-]+)"[^>]*aria-invalid="true"', text)
    said = " | ".join(" ".join(re.sub(r"<[^>]+>", " ", f).split()) for f in found)
    return f": {', '.join(names)}: {said[:300]}"


_RESULT_COUNT = re.compile(rb'class="result-count"[^>]*>(.*?)</', re.S)
_API_COUNT = re.compile(rb'^\s*\{\s*"count"\s*:\s*(\d+)')
_NUMBER = re.compile(rb"\d[\d\s.,\xc2\xa0\xe2\x80\xaf]*")


def lists_nothing(body: bytes | None) -> bool:
    """Whether a list page or API list answered with no results (its count says 0): such a
    response runs no query for rows, so its queries are compared with other empty ones."""
    if not body:
        return False
    api = _API_COUNT.match(body[:64])
    if api:
        return int(api.group(1)) == 0
    heading = _RESULT_COUNT.search(body)
    number = _NUMBER.search(heading.group(1)) if heading else None
    return number is not None and int(re.sub(rb"\D", b"", number.group(0))) == 0


_ESTIMATED_HEADING = re.compile(rb'class="result-count"[^>]*\sdata-estimated[\s>]')


def count_is_estimated(body: bytes | None) -> bool:
    """Whether a list said "about N" (a search too big to count): it then skips the count's
    query, so its queries are compared with other estimated ones."""
    if not body:
        return False
    return b'"count_is_exact":false' in body[:200] or _ESTIMATED_HEADING.search(body) is not None
