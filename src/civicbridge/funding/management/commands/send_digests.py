"""``civicbridge send_digests --frequency daily``: send the daily or weekly alert digests.

For cron, as the alternative to ``civicbridge scheduler``, e.g. (deployment time zone):

    0 7 * * *  civicbridge send_digests --frequency daily
    0 7 * * 1  civicbridge send_digests --frequency weekly

Runs the digest here and now; ``--enqueue`` hands it to the task workers instead.
Running it twice sends nothing twice.
"""

from django.core.management.base import BaseCommand

from civicbridge.funding.models import Subscription
from civicbridge.funding.tasks import send_digests


class Command(BaseCommand):
    help = "Send the daily or weekly digest of new calls to the subscribers who chose it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency", required=True,
            choices=[Subscription.Frequency.DAILY.value, Subscription.Frequency.WEEKLY.value],
        )
        parser.add_argument("--enqueue", action="store_true", help="Enqueue the task for a worker instead of running it.")

    def handle(self, *args, frequency, enqueue, **options):
        if enqueue:
            result = send_digests.enqueue(frequency)
            self.stdout.write(f"enqueued send_digests({frequency}) as {result.id}")
            return
        counts = send_digests.call(frequency)
        self.stdout.write(" ".join(f"{key}={value}" for key, value in counts.items()))
