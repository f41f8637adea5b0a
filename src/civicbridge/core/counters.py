"""Counters shared by every process and server: log-in failures, rate limits.

A per-process cache would give each gunicorn worker its own count, so a limit of 10
would let through 10 per worker. The store is chosen by settings
(``CIVICBRIDGE_COUNTER_STORE``): Redis when the deployment has it (``CACHE_URL``),
the database otherwise. Both increment atomically in one round trip, so parallel
requests cannot read the same count and both pass.

A counter lives until ``expires_at``. A fixed window (``slide=False``) starts with the
first increment and ends ``ttl`` seconds later: rate limits. A sliding window
(``slide=True``) moves to ``ttl`` seconds after each increment, so ``expires_at - ttl``
is the time of the last increment: log-in failures, forgotten after a quiet period.
"""

import hashlib
import re
import time
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.tasks import task
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Count:
    value: int
    expires_at: float  # seconds since the epoch

    def seconds_left(self, now: float | None = None) -> float:
        return max(0.0, self.expires_at - (time.time() if now is None else now))


def _stored_key(key: str) -> str:
    # Keys hold user names and addresses; keep them within the column and free of spaces.
    if len(key) <= 150 and " " not in key:
        return key
    return key[:60].replace(" ", "_") + ":" + hashlib.sha256(key.encode()).hexdigest()


class DatabaseCounters:
    """Counters in the ``core_sharedcounter`` table (SQLite 3.35+, PostgreSQL)."""

    def increment(self, keys: list[str], *, ttl: float, slide: bool) -> dict[str, Count]:
        from .models import SharedCounter

        now = time.time()
        stored = {_stored_key(key): key for key in dict.fromkeys(keys)}
        quote = connection.ops.quote_name
        table = quote(SharedCounter._meta.db_table)
        k, v, e = quote("key"), quote("value"), quote("expires_at")
        rows = ", ".join(["(%s, 1, %s)"] * len(stored))
        # One statement: insert, or add one to a live counter, or restart an expired one.
        sql = (
            f"INSERT INTO {table} ({k}, {v}, {e}) VALUES {rows} "
            f"ON CONFLICT ({k}) DO UPDATE SET "
            f"{v} = CASE WHEN {table}.{e} <= %s THEN 1 ELSE {table}.{v} + 1 END, "
            f"{e} = CASE WHEN {table}.{e} <= %s OR %s THEN excluded.{e} ELSE {table}.{e} END "
            f"RETURNING {k}, {v}, {e}"
        )
        params = [item for key in stored for item in (key, now + ttl)] + [now, now, bool(slide)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            result = cursor.fetchall()
        return {stored[key]: Count(int(value), float(expires)) for key, value, expires in result}

    def read(self, keys: list[str]) -> dict[str, Count]:
        from .models import SharedCounter

        stored = {_stored_key(key): key for key in keys}
        rows = SharedCounter.objects.filter(key__in=list(stored), expires_at__gt=time.time())
        return {stored[row.key]: Count(row.value, row.expires_at) for row in rows}

    def delete(self, keys: list[str]) -> None:
        from .models import SharedCounter

        SharedCounter.objects.filter(key__in=[_stored_key(key) for key in keys]).delete()

    def delete_expired(self) -> int:
        from .models import SharedCounter

        return SharedCounter.objects.filter(expires_at__lte=time.time()).delete()[0]


_INCREMENT = """
local ttl = tonumber(ARGV[1])
local slide = ARGV[2] == '1'
local out = {}
for _, key in ipairs(KEYS) do
  local value = redis.call('INCR', key)
  if value == 1 or slide then redis.call('PEXPIRE', key, ttl) end
  local left = redis.call('PTTL', key)
  if left < 0 then redis.call('PEXPIRE', key, ttl); left = ttl end
  table.insert(out, value)
  table.insert(out, left)
end
return out
"""


class RedisCounters:
    """Counters in the Redis of the ``default`` cache (``CACHE_URL=redis://…``)."""

    alias = "default"

    def _client(self):
        backend = caches[self.alias]
        if hasattr(backend, "client") and hasattr(backend.client, "get_client"):  # django-redis
            return backend.client.get_client(write=True)
        return backend._cache.get_client(None, write=True)  # Django's own RedisCache

    def _key(self, key: str) -> str:
        return str(caches[self.alias].make_key("counter:" + _stored_key(key)))

    def increment(self, keys: list[str], *, ttl: float, slide: bool) -> dict[str, Count]:
        keys = list(dict.fromkeys(keys))
        client = self._client()
        flat = client.eval(_INCREMENT, len(keys), *[self._key(key) for key in keys], int(ttl * 1000), int(slide))
        # The time left is Redis's when it answered: counted from the answer, not from before the
        # call, which may first open the connection (50 ms on a loaded machine).
        now = time.time()
        return {
            key: Count(int(flat[2 * i]), now + int(flat[2 * i + 1]) / 1000) for i, key in enumerate(keys)
        }

    def read(self, keys: list[str]) -> dict[str, Count]:
        pipe = self._client().pipeline()
        for key in keys:
            pipe.get(self._key(key))
            pipe.pttl(self._key(key))
        flat = pipe.execute()
        now = time.time()
        found = {}
        for i, key in enumerate(keys):
            value, left = flat[2 * i], flat[2 * i + 1]
            if value is not None and left and left > 0:
                found[key] = Count(int(value), now + left / 1000)
        return found

    def delete(self, keys: list[str]) -> None:
        if keys:
            self._client().delete(*[self._key(key) for key in keys])

    def delete_expired(self) -> int:
        return 0  # Redis forgets expired keys by itself


@cache
def _store(path: str):
    return import_string(path)()


def store():
    return _store(settings.CIVICBRIDGE_COUNTER_STORE)


def increment(*keys: str, ttl: float, slide: bool = False) -> dict[str, Count]:
    """Add one to each counter and answer their new values, atomically per counter."""
    return store().increment(list(keys), ttl=ttl, slide=slide)


def read(*keys: str) -> dict[str, Count]:
    """The live counters among ``keys`` (absent: never counted or expired)."""
    return store().read(list(keys)) if keys else {}


def delete(*keys: str) -> None:
    store().delete(list(keys))


def delete_expired() -> int:
    """Remove expired counters from the database (the periodic clean-up)."""
    return store().delete_expired()


_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(s|sec|second|m|min|minute|h|hour|d|day)s?\s*$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/hour"`` → (5, 3600); also ``"10/15minutes"``."""
    match = _RATE.match(rate)
    if not match:
        raise ValueError(f"not a rate: {rate!r} (write e.g. 5/hour, 10/minute)")
    number, multiple, unit = match.groups()
    return int(number), int(multiple or 1) * _UNIT[unit[0]]


def over_rate(*, scope: str, ident: str, rate: str) -> float | None:
    """Count one event of ``ident`` in ``scope``; answer the seconds to wait when over ``rate``."""
    limit, period = parse_rate(rate)
    count = increment(f"rate:{scope}:{ident}", ttl=period)[f"rate:{scope}:{ident}"]
    if count.value > limit:
        return max(1.0, count.seconds_left())
    return None


@task
def delete_expired_counters() -> int:
    """The periodic clean-up of expired counters (run hourly or daily; Redis needs none)."""
    return delete_expired()
