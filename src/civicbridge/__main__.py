"""The ``civicbridge`` command: every Django management command, plus demo, serve and worker."""

import os
import sys


def main() -> None:
    argv = sys.argv[:]
    if len(argv) > 1 and argv[1] == "demo":
        # Demo mode must be known before settings load (it allows a generated SECRET_KEY),
        # and so must the deployment shown (its time zone and languages are settings).
        os.environ.setdefault("CIVICBRIDGE_DEMO", "true")
        profile = _option(argv, "--profile")
        if profile:
            os.environ["CIVICBRIDGE_PROFILE"] = profile
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbridge.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def _option(argv: list[str], name: str) -> str | None:
    for index, argument in enumerate(argv):
        if argument == name and index + 1 < len(argv):
            return argv[index + 1]
        if argument.startswith(name + "="):
            return argument.split("=", 1)[1]
    return None


if __name__ == "__main__":
    main()
