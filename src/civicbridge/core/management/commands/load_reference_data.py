from django.core.management.base import BaseCommand
from django.db import transaction

from civicbridge.core.reference import load_territories, load_thematic_areas


class Command(BaseCommand):
    help = (
        "Create or update the administrative units and thematic areas from core/data/*.json. "
        "Safe to run again, e.g. after updating the TERYT codes in territories.json."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            territories = load_territories()
            areas = load_thematic_areas()
        self.stdout.write(f"Territories: {territories}.")
        self.stdout.write(f"Thematic areas: {areas}.")
        self.stdout.write(self.style.SUCCESS("Reference data is up to date."))
