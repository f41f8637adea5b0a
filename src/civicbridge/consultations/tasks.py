from datetime import timedelta

from django.tasks import task

from civicbridge.core.periodic import Job

from . import reports, services


@task
def send_consultation_reminders() -> int:
    return services.send_reminders()


@task
def tell_authors_their_answers(consultation_id: int) -> int:
    return services.tell_authors_their_answers(consultation_id)


@task
def build_report_pdf(consultation_id: int) -> bool:
    return reports.store_report_pdf(consultation_id)


def periodic_jobs(**overrides):
    """The consultations' periodic job (core's schedule): reminders two days before the end, once each."""
    return [
        Job(
            "consultation-reminders",
            "civicbridge.consultations.tasks.send_consultation_reminders",
            every=timedelta(minutes=15),
            description="reminders of consultations ending within two days",
        ),
    ]
