"""Refuse a `make messages` that lost a translation.

    check-catalogs.py save FILE      every translated message of every catalog, by language
    check-catalogs.py compare FILE   fails, listing them, if one of those is no longer
                                     translated in any catalog of its language

A message may move from one catalog to another (from the project's to an app's); it may not
become untranslated while the code still uses it (a message the code no longer uses is gone
from every catalog, and is not a loss). The catalogs are read as GNU gettext compiles them
(msgfmt; msgen first for every message, translated or not), not parsed here.
"""

import gettext
import io
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "civicbridge"


def _compiled(po: Path, *, every: bool) -> dict:
    text = subprocess.run(["msgen", str(po)], capture_output=True, check=True).stdout if every else po.read_bytes()
    binary = subprocess.run(["msgfmt", "-o", "-", "-"], input=text, capture_output=True, check=True).stdout
    return gettext.GNUTranslations(io.BytesIO(binary))._catalog


def _key(key) -> str:
    return json.dumps(list(key) if isinstance(key, tuple) else key, ensure_ascii=False)


def messages(*, every: bool) -> dict[str, dict[str, str]]:
    """{language: {message: translation}} over every catalog; ``every``: untranslated ones too."""
    found: dict[str, dict[str, str]] = {}
    for po in sorted(ROOT.glob("**/locale/*/LC_MESSAGES/django.po")):
        language = po.parent.parent.name
        for key, text in _compiled(po, every=every).items():
            if key != "":  # the header
                found.setdefault(language, {})[_key(key)] = text
    return found


def main(command: str, file: str) -> int:
    if command == "save":
        Path(file).write_text(json.dumps(messages(every=False), ensure_ascii=False), encoding="utf-8")
        return 0
    before = json.loads(Path(file).read_text(encoding="utf-8"))
    after, used = messages(every=False), messages(every=True)
    lost = [
        f"{language}: {key}" for language, translated in before.items() for key in translated
        if key in used.get(language, {}) and key not in after.get(language, {})
    ]
    if lost:
        print(f"{len(lost)} translations lost by makemessages:", *lost[:50], sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
