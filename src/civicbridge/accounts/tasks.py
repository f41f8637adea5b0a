"""Periodic jobs of accounts, for the worker's schedule."""

from django.tasks import task

from . import services


@task
def expire_unconfirmed_accounts() -> int:
    """Delete sign-ups never confirmed within the link's validity (run daily)."""
    return services.delete_expired_sign_ups()
