"""``civicbridge send_deadline_reminders``: remind subscribers of deadlines 7 days ahead.

For cron, as the alternative to ``civicbridge scheduler``, every hour:

    5 * * * *  civicbridge send_deadline_reminders

``--window-hours`` must be at least the time between two runs; windows may overlap
(each reminder is sent once).
"""

from django.core.management.base import BaseCommand

from civicbridge.alerts.tasks import send_deadline_reminders


class Command(BaseCommand):
    help = "Send the reminders of call deadlines due in 7 days."

    def add_arguments(self, parser):
        parser.add_argument("--window-hours", type=float, default=1.0)
        parser.add_argument("--enqueue", action="store_true", help="Enqueue the task for a worker instead of running it.")

    def handle(self, *args, window_hours, enqueue, **options):
        if enqueue:
            result = send_deadline_reminders.enqueue(window_hours)
            self.stdout.write(f"enqueued send_deadline_reminders as {result.id}")
            return
        counts = send_deadline_reminders.call(window_hours)
        self.stdout.write(" ".join(f"{key}={value}" for key, value in counts.items()))
