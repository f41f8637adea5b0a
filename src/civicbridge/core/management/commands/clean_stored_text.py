from django.core.management.base import BaseCommand
from django.db import transaction

from civicbridge.core.validators import clean_stored_rows, project_models, text_fields


class Command(BaseCommand):
    help = (
        "Remove control characters, and line breaks from single-line fields, from every text "
        "the project's models hold (what the input checks refuse today but older rows, the "
        "admin or a direct database write may have stored)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the rows that would change; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        total = 0
        for model in project_models():
            if not text_fields(model):
                continue
            # One model at a time: a failure leaves every other model's rows as they were.
            with transaction.atomic():
                count = clean_stored_rows(model, dry_run=dry_run)
            total += count
            if count:
                self.stdout.write(f"{model._meta.label}: {count}")
        verb = "would change" if dry_run else "changed"
        self.stdout.write(self.style.SUCCESS(f"{total} rows {verb}."))
