"""The e-mails the alert tasks queued, as the worker delivers them (to Django's in-memory outbox in tests)."""

from django.core import mail

from civicbridge.core.notifications import deliver_due


def delivered() -> list:
    """Run the outbox's delivery, as the worker does after each commit, and answer every e-mail sent so far."""
    deliver_due()
    return mail.outbox
