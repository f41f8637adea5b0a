"""``civicbridge send_digests --frequency daily``: send the daily or weekly alert digests.

For cron, as the alternative to ``civicbridge scheduler``, e.g. (deployment time zone):

    0 7 * * *  civicbridge send_digests --frequency daily
    0 7 * * 1  civicbridge send_digests --frequency weekly

Runs the digest here and now; ``--enqueue`` hands it to the task workers instead.
``--parts N --enqueue`` enqueues N tasks, each taking a share of the subscriptions,
so that N workers build and send the e-mails together; ``--part I --parts N`` runs
share I here. Running it twice sends nothing twice.
"""

from django.core.management.base import BaseCommand, CommandError

from civicbridge.alerts.models import Subscription
from civicbridge.alerts.tasks import send_digests


class Command(BaseCommand):
    help = "Send the daily or weekly digest (new items of every alertable content, and changes of those already told, such as calls' deadlines) to the subscribers who chose it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency", required=True,
            choices=[Subscription.Frequency.DAILY.value, Subscription.Frequency.WEEKLY.value],
        )
        parser.add_argument("--enqueue", action="store_true", help="Enqueue the task for a worker instead of running it.")
        parser.add_argument("--parts", type=int, default=1, help="Share the digest among this many tasks.")
        parser.add_argument("--part", type=int, default=None, help="Run only this share (0 to parts-1).")

    def handle(self, *args, frequency, enqueue, parts, part, **options):
        if parts < 1 or (part is not None and not 0 <= part < parts):
            raise CommandError("--part must be between 0 and --parts - 1")
        shares = [part] if part is not None else list(range(parts))
        if enqueue:
            for share in shares:
                result = send_digests.enqueue(frequency, share, parts)
                self.stdout.write(f"enqueued send_digests({frequency}, part {share} of {parts}) as {result.id}")
            return
        for share in shares:
            counts = send_digests.call(frequency, share, parts)
            self.stdout.write(" ".join(f"{key}={value}" for key, value in counts.items()))
