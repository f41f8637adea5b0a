from datetime import timedelta

from django.tasks import task

from civicbridge.core.periodic import Job

from . import services


@task
def send_event_reminders() -> int:
    return services.send_reminders()


def periodic_jobs(**overrides):
    """The events' periodic job (registered with core's schedule): reminders a day ahead, once each."""
    return [
        Job("event-reminders", "civicbridge.events.tasks.send_event_reminders", every=timedelta(minutes=15),
            description="reminders of events starting within a day"),
    ]
