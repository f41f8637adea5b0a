from django.core.management.base import BaseCommand

from civicbridge.core.search import prepare_lemmatizer


class Command(BaseCommand):
    help = "Build the lemma dictionaries used by full-text search (once per data dir, about 30 s)."

    def handle(self, *args, **options):
        prepare_lemmatizer()
        self.stdout.write("Search dictionaries are ready.")
