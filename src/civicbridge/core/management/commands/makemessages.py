"""``makemessages``, which also reads the Jinja2 row templates (``core.rows``).

Django reads every ``.html`` file as one of its own templates, and so finds ``_("…")`` in a
Jinja2 template only when nothing follows the string: ``_("since %(year)s", year=…)`` would be
missed, and ``--no-obsolete`` would drop its translations. A file under a ``jinja2`` folder is
read by Jinja2 itself (the row templates' own environment), and each message it finds is handed
to ``xgettext`` on its line, as Django hands the messages of its templates.
"""

from pathlib import Path

from django.core.management.commands import makemessages

from civicbridge.core.rows import engine

CALLS = {"gettext": "gettext", "_": "gettext", "ngettext": "ngettext", "pgettext": "pgettext", "npgettext": "npgettext"}


def jinja2_messages(source: str) -> str:
    """Python source with a gettext call per message of the Jinja2 ``source``, on the same
    lines (so that each message's reference names the template's line)."""
    lines = [""] * (source.count("\n") + 1)
    for lineno, function, message in engine().env.extract_translations(source):
        arguments = message if isinstance(message, tuple) else (message,)
        arguments = tuple(argument for argument in arguments if argument is not None)
        if function not in CALLS or not arguments:
            continue
        call = f"{CALLS[function]}({', '.join(repr(argument) for argument in arguments)})"
        lines[lineno - 1] = f"{lines[lineno - 1]}; {call}" if lines[lineno - 1] else call
    return "\n".join(lines)


class BuildFile(makemessages.BuildFile):
    def preprocess(self):
        if self.domain == "django" and "jinja2" in Path(self.path).parts:
            source = Path(self.path).read_text(encoding="utf-8")
            Path(self.work_path).write_text(jinja2_messages(source), encoding="utf-8")
            return
        super().preprocess()


class Command(makemessages.Command):
    build_file_class = BuildFile
