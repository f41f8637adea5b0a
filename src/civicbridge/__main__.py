"""The ``civicbridge`` command: every Django management command, plus demo, serve and worker."""

import os
import sys


def main() -> None:
    argv = sys.argv[:]
    if len(argv) > 1 and argv[1] == "demo":
        # Demo mode must be known before settings load (it allows a generated SECRET_KEY).
        os.environ.setdefault("CIVICBRIDGE_DEMO", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbridge.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
