"""The fault tests' data, written by a process of its own with the application's settings.

``python -m tests.faults.scenarios <name> [args]`` (``harness.run_scenario``) prints one JSON
line: the test process talks to its PostgreSQL cluster, not through Django's test database.
"""

import json
import sys


def fan_out(recipients: str) -> dict:
    """``recipients`` people with an instant alert each that a new call matches; the call is published."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from civicbridge.alerts.models import Subscription
    from civicbridge.funding import alerts
    from tests.accounts.factories import UserFactory
    from tests.alerts.factories import CallFactory

    count = int(recipients)
    with transaction.atomic():
        people = get_user_model().objects.bulk_create(
            UserFactory.build(username=f"recipient{number:05d}", email=f"recipient{number:05d}@example.org",
                              password=None)
            for number in range(count)
        )
        Subscription.objects.bulk_create(
            Subscription(user=person, alertable="calls", name=f"Alert of {person.username}", frequency=Subscription.Frequency.INSTANT)
            for person in people
        )
        call = CallFactory(title="Small grants for neighbourhood initiatives")
        # As the publishing service does: the notice goes to the queue with the commit.
        transaction.on_commit(lambda: alerts.call_published(call))
    return {"call": call.pk, "recipients": count}


def outbox(count: str) -> dict:
    """``count`` e-mails queued straight into the outbox, as any service queues them."""
    from django.db import transaction

    from civicbridge.core.notifications import queue_mails

    with transaction.atomic():
        queued = queue_mails(
            {"key": f"fault-test:{number}", "to": f"recipient{number:05d}@example.org", "subject": "A notice",
             "body": f"Notice number {number}.", "language": "en"}
            for number in range(int(count))
        )
    return {"queued": queued}


def api_writer() -> dict:
    """A representative of an organization, with an API token."""
    from rest_framework.authtoken.models import Token

    from tests.accounts.factories import MembershipFactory, UserFactory

    person = UserFactory(username="writer", password=None)
    membership = MembershipFactory(user=person)
    return {"token": Token.objects.create(user=person).key, "organization": membership.organization_id}


def orphaned_task() -> dict:
    """A task a worker claimed ten minutes ago before it fell silent (its last heartbeat as old)."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from civicbridge.alerts.tasks import send_deadline_reminders
    from civicbridge.core.models import WorkerHeartbeat

    long_ago = timezone.now() - timedelta(minutes=10)
    WorkerHeartbeat.objects.create(worker_id="dead-worker", hostname="gone", pid=1, started_at=long_ago,
                                   seen_at=long_ago)
    result = DBTaskResult.objects.get(pk=send_deadline_reminders.enqueue(1).id)
    result.claim("dead-worker")
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=long_ago)
    return {"task": str(result.pk)}


if __name__ == "__main__":
    import django

    django.setup()
    name, *args = sys.argv[1:]
    print(json.dumps(globals()[name](*args)))
