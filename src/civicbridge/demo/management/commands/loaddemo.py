"""Fill the database with demonstration data from every app that registered a demo loader."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from civicbridge.core.registry import demo_loaders

PROFILES = ("opole", "orhangazi")
# Demo accounts live under this domain and have the password "demo-<username>" (the
# convention every demo loader follows), so the log-ins can be listed without a registry.
DEMO_EMAIL_DOMAIN = "demo.civicbridge.invalid"


class Command(BaseCommand):
    help = (
        "Load demonstration data (fictitious organizations, people and accounts). Safe to run "
        "again: each loader skips data it has already created."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--profile", choices=PROFILES, default="opole",
            help="Which demo to show: the Opole voivodeship (Polish) or Orhangazi/Bursa (Turkish).",
        )

    def handle(self, *args, profile, **options):
        loaders = sorted(demo_loaders, key=lambda loader: loader.order)
        if not loaders:
            self.stderr.write("No demo loader is registered; nothing to load.")
            return
        # One transaction: a loader that fails leaves no half-loaded demo behind.
        with transaction.atomic():
            for loader in loaders:
                started = time.monotonic()
                self.stdout.write(f"Loading {loader.name} demo data ({profile})...")
                loader.load(profile=profile, stdout=self.stdout)
                self.stdout.write(f"  done in {time.monotonic() - started:.1f} s.")
        self._print_log_ins()

    def _print_log_ins(self):
        users = get_user_model().objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
        if not users:
            return
        self.stdout.write(self.style.SUCCESS("Demo log-ins (username / password):"))
        for user in users.order_by("pk"):
            self.stdout.write(f"  {user.username} / demo-{user.username}")
