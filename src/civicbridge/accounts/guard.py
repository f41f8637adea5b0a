"""The log-in guard: growing delays after failed log-ins, never a site-wide lock.

Failures are counted in three scopes, in counters every process shares
(``core.counters``):

- the pair (account, client address): the owner mistyping, or one attacker on one account;
- the account, from any address: many addresses guessing one account;
- the address, for any account: one address trying many accounts.

Each scope has a number of free failures (``CIVICBRIDGE_LOGIN_FREE_FAILURES``); past it,
the next attempt in that scope is refused until 2, 4, 8 … seconds (capped at
``CIVICBRIDGE_LOGIN_MAX_DELAY``) after the last failure. A refused attempt checks no
password and counts as no failure, so hammering does not prolong the wait. A success
clears that account's failures from that address only, and makes the address known to
the account: from a known address only the pair decides, so an attacker guessing the
account elsewhere does not lock its owner out at home. In the delayed regime one
attempt at a time claims its turn, so parallel guesses cannot all pass one check.

It sits in the authentication backend, so the log-in page, the admin's and
``POST /api/v1/auth/token/`` are all guarded. A refusal sets ``login_refused_for``
(seconds) on the request for the page or the API to say how long to wait.
"""

import math
import time

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicbridge.core import counters
from civicbridge.core.client import client_scope

SLOT_SECONDS = 60  # a claimed turn outlives the password check, then frees itself


def _keys(username: str, address: str) -> dict[str, str]:
    account = username.strip().casefold()
    return {
        "pair": f"login:pair:{account}|{address}",
        "account": f"login:account:{account}",
        "address": f"login:address:{address}",
    }


def _known_key(username: str, address: str) -> str:
    return f"login:known:{username.strip().casefold()}|{address}"


def delay_after(failures: int, free: int) -> float:
    """Seconds to wait after the last of ``failures`` failures in a scope with ``free`` free ones."""
    if failures < free:
        return 0.0
    return float(min(settings.CIVICBRIDGE_LOGIN_MAX_DELAY, 2 ** (failures - free + 1)))


def duration_text(seconds: float) -> str:
    """"45 seconds", "3 minutes" in the visitor's language; past a minute, whole minutes rounded up."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def wait_message(seconds: int) -> str:
    return _(
        "Too many failed log-in attempts. Wait %(wait)s and try again, or reset your password."
    ) % {"wait": duration_text(seconds)}


class LoginRefused(PermissionDenied):
    def __init__(self, seconds: float):
        super().__init__("log-in refused for now")
        self.seconds = max(1, math.ceil(seconds))


def check(username: str, address: str) -> None:
    """Raise LoginRefused when an attempt for ``username`` from ``address`` must wait."""
    limited = counters.over_rate(scope="login", ident=address, rate=settings.CIVICBRIDGE_LOGIN_RATE)
    if limited:
        raise LoginRefused(limited)
    keys = _keys(username, address)
    memory = settings.CIVICBRIDGE_LOGIN_FAILURE_MEMORY
    found = counters.read(*keys.values(), _known_key(username, address))
    scopes = ["pair"] if _known_key(username, address) in found else list(keys)
    now = time.time()
    wait, delayed = 0.0, []
    for scope in scopes:
        count = found.get(keys[scope])
        if count is None:
            continue
        delay = delay_after(count.value, settings.CIVICBRIDGE_LOGIN_FREE_FAILURES[scope])
        if delay:
            last_failure = count.expires_at - memory
            wait = max(wait, last_failure + delay - now)
            delayed.append((scope, count.value))
    if wait > 0:
        raise LoginRefused(wait)
    if delayed:
        turns = [f"login:turn:{keys[scope]}#{failures}" for scope, failures in delayed]
        claimed = counters.increment(*turns, ttl=SLOT_SECONDS)
        if any(count.value > 1 for count in claimed.values()):
            raise LoginRefused(1)


def record_failure(username: str, address: str) -> None:
    keys = _keys(username, address)
    counters.increment(*keys.values(), ttl=settings.CIVICBRIDGE_LOGIN_FAILURE_MEMORY, slide=True)


def record_success(username: str, address: str) -> None:
    counters.delete(_keys(username, address)["pair"])
    counters.increment(
        _known_key(username, address), ttl=settings.CIVICBRIDGE_LOGIN_KNOWN_ADDRESS_DAYS * 86400, slide=True
    )


class GuardedModelBackend(ModelBackend):
    """Django's user name and password check, behind the log-in guard.

    It grants no right: rights come from memberships and the coordinator, staff and superuser
    flags (the rules of each app), never from Django's permission tables, which nothing on the
    platform fills and the administration site does not offer. A row written there by other
    means grants nothing, and no page reads those tables when it asks a right.
    """

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if username is not None:
            username = self._account_name(username)
        if request is None or username is None or password is None:
            # No request (a script, the test client's login()): no client to count.
            return super().authenticate(request, username=username, password=password, **kwargs)
        address = client_scope(request)
        try:
            check(username, address)
        except LoginRefused as refusal:
            request.login_refused_for = refusal.seconds
            raise
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username, address)
        else:
            record_success(username, address)
        return user

    @staticmethod
    def _account_name(name: str) -> str:
        """The user name of the account ``name`` is the e-mail address of, else ``name``.

        People may log in with their e-mail address (e-mails never carry the user name);
        the failures of both spellings count for the one account.
        """
        from django.contrib.auth import get_user_model

        if "@" not in name:
            return name
        users = get_user_model()._default_manager
        if users.filter(username=name).exists():
            return name  # an older user name with @ in it
        found = users.filter(email__iexact=name.strip()).values_list("username", flat=True).first()
        return found or name

    @staticmethod
    def _username_field():
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


# The length of django-axes' user name columns.
USERNAME_COLUMN_LENGTH = 255


def recorded_username(request, credentials=None) -> str | None:
    """The user name django-axes records, cut to the length of its column.

    Anyone may type a user name longer than any account's; PostgreSQL would refuse to store it
    whole, and a wrong log-in would become a server error. Otherwise axes' own lookup:
    the credentials, else the posted form.
    """
    from axes.conf import settings as axes_settings

    field = axes_settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        name = credentials.get(field)
    else:
        name = getattr(request, "data", request.POST).get(field)
    return name[:USERNAME_COLUMN_LENGTH] if isinstance(name, str) else name
