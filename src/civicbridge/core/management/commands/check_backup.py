import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civicbridge.core.collation import NAME_COLLATION, compare_names


class Command(BaseCommand):
    help = (
        "Check a copy of the SQLite database (PRAGMA integrity_check) with the collation its "
        "name indexes are sorted by, which SQLite's own shell does not know. Prints ok, or "
        "what is wrong, and exits with status 1 then."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The database file, e.g. a backup made with sqlite3's .backup.")

    def handle(self, *args, path, **options):
        if not Path(path).is_file():
            raise CommandError(f"No such file: {path}")
        try:
            connection = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        except sqlite3.Error as error:
            raise CommandError(f"{path}: {error}") from error
        try:
            connection.create_collation(NAME_COLLATION, compare_names)
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as error:
            raise CommandError(f"{path}: {error}") from error
        finally:
            connection.close()
        if problems != ["ok"]:
            raise CommandError("\n".join(problems))
        self.stdout.write("ok")
