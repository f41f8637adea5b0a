from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker (django.tasks, database-backed queue)."

    def add_arguments(self, parser):
        parser.add_argument("--queue", default="default")

    def handle(self, *args, queue, **options):
        call_command("db_worker", queue_name=queue)
