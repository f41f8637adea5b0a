"""Periodic jobs of accounts, for the worker's schedule."""

from django.conf import settings
from django.tasks import task

from civicbridge.core.periodic import Job, parse_time

from . import services


@task
def expire_unconfirmed_accounts() -> int:
    """Delete sign-ups never confirmed within the link's validity (run daily)."""
    return services.delete_expired_sign_ups()


def periodic_jobs(**overrides):
    """The accounts' periodic job (registered with core's schedule): expiry of unconfirmed sign-ups."""
    return [
        Job("expire-unconfirmed-accounts", "civicbridge.accounts.tasks.expire_unconfirmed_accounts",
            at=parse_time(settings.CIVICBRIDGE_ACCOUNTS_EXPIRY_AT, "CIVICBRIDGE_ACCOUNTS_EXPIRY_AT"),
            description="sign-ups never confirmed within the link's validity"),
    ]
