from django.core.management.base import BaseCommand, CommandError

from civicbridge.core import indexing
from civicbridge.core.registry import searchables


class Command(BaseCommand):
    help = (
        "Rebuild the search documents of every searchable model (or of those given with --model), "
        "in batches, from the current data. Safe while the site runs: each batch locks only its rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--model", action="append", dest="models", metavar="APP.MODEL",
            help="Only this searchable model, e.g. directory.organization (repeatable). Known: "
            + ", ".join(searchables.entries),
        )
        parser.add_argument("--batch-size", type=int, default=None, help="Rows per batch and transaction.")

    def handle(self, *args, models=None, batch_size=None, **options):
        chosen = [label.lower() for label in models] if models else None
        unknown = [label for label in chosen or () if label not in searchables]
        if unknown:
            raise CommandError(
                f"Not a searchable model: {', '.join(unknown)}. Known: {', '.join(searchables.entries)}."
            )
        if batch_size is not None and batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        verbosity = options["verbosity"]

        def progress(key, done, total, changed):
            if verbosity >= 1:
                self.stdout.write(f"{key}: {done}/{total} rows, {changed} documents rewritten")

        results = indexing.reindex(chosen, batch_size=batch_size, progress=progress)
        for key, (done, changed) in results.items():
            self.stdout.write(self.style.SUCCESS(f"{key}: done, {done} rows read, {changed} documents rewritten."))
