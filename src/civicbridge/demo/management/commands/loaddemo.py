"""Fill the database with demonstration data from every app that registered a demo loader."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from civicbridge.core import deployment
from civicbridge.core.registry import demo_loaders

PROFILES = ("opole", "orhangazi")
# Demo accounts live under this domain and have the password "demo-<username>" (the
# convention every demo loader follows), so the log-ins can be listed without a registry.
DEMO_EMAIL_DOMAIN = "demo.civicbridge.invalid"


class Command(BaseCommand):
    help = (
        "Load demonstration data (fictitious organizations, people and accounts) of one profile. "
        "Safe to run again: each loader skips data it has already created. A database holds the "
        "demo of one profile only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--profile", choices=PROFILES, default=None,
            help="Which demo to show: the Opole voivodeship (Polish) or Orhangazi/Bursa (Turkish). "
            "By default the deployment's own (CIVICBRIDGE_PROFILE).",
        )

    def handle(self, *args, profile, **options):
        profile = profile or deployment.current().profile
        loaders = sorted(demo_loaders, key=lambda loader: loader.order)
        if not loaders:
            self.stderr.write("No demo loader is registered; nothing to load.")
            return
        self._refuse_another_profile(loaders, profile)
        # One transaction: a loader that fails leaves no half-loaded demo behind.
        with transaction.atomic():
            for loader in loaders:
                started = time.monotonic()
                self.stdout.write(f"Loading {loader.name} demo data ({profile})...")
                loader.load(profile=profile, stdout=self.stdout)
                self.stdout.write(f"  done in {time.monotonic() - started:.1f} s.")
        self._print_log_ins()

    def _refuse_another_profile(self, loaders, profile: str) -> None:
        """Each profile is a deployment of its own country: two in one database would mix them."""
        others = set().union(*(loader.loaded_profiles() for loader in loaders)) - {profile}
        if others:
            found = " and ".join(repr(other) for other in sorted(others))
            profiles = "profiles" if len(others) > 1 else "profile"
            raise CommandError(
                f"This database already holds the demo data of the {found} {profiles}, so the "
                f"{profile!r} demo cannot be loaded into it: each profile is a deployment of its own "
                f"country. Nothing was changed. Use another data directory for the {profile!r} demo, "
                f"e.g. CIVICBRIDGE_DATA_DIR=./data-{profile} civicbridge demo --profile {profile} "
                f"(or make demo PROFILE={profile} CIVICBRIDGE_DATA_DIR=./data-{profile})."
            )

    def _print_log_ins(self):
        users = get_user_model().objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
        if not users:
            return
        self.stdout.write(self.style.SUCCESS("Demo log-ins (username / password):"))
        for user in users.order_by("pk"):
            self.stdout.write(f"  {user.username} / demo-{user.username}")
