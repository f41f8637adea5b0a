"""Counters shared by every process: the database store always, the Redis store when REDIS_URL is set."""

import os
import subprocess
import sys
import threading
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from civicbridge.core import counters
from civicbridge.core.counters import DatabaseCounters, RedisCounters

REDIS_URL = os.environ.get("REDIS_URL")
ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set (scripts/test-services.sh run-redis)")


@pytest.fixture(params=["database", pytest.param("redis", marks=needs_redis)])
def store(request, settings, db):
    if request.param == "database":
        settings.CIVICBRIDGE_COUNTER_STORE = "civicbridge.core.counters.DatabaseCounters"
        yield DatabaseCounters()
        return
    with override_settings(
        CACHES={"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL,
                            "KEY_PREFIX": f"test-counters-{os.getpid()}"}},
        CIVICBRIDGE_COUNTER_STORE="civicbridge.core.counters.RedisCounters",
    ):
        cache.clear()
        yield RedisCounters()
        cache.clear()


def test_increment_counts_up_from_one(store):
    assert [counters.increment("k", ttl=60)["k"].value for _ in range(3)] == [1, 2, 3]


def test_increment_of_several_counters_counts_each(store):
    counters.increment("a", ttl=60)

    result = counters.increment("a", "b", ttl=60)

    assert (result["a"].value, result["b"].value) == (2, 1)


def test_a_fixed_window_keeps_its_end_while_counting(store):
    first = counters.increment("k", ttl=60)["k"]
    time.sleep(0.05)

    second = counters.increment("k", ttl=60)["k"]

    assert second.expires_at == pytest.approx(first.expires_at, abs=0.02)


def test_a_sliding_window_moves_its_end_with_each_count(store):
    first = counters.increment("k", ttl=60, slide=True)["k"]
    time.sleep(0.05)

    second = counters.increment("k", ttl=60, slide=True)["k"]

    assert second.expires_at > first.expires_at + 0.03


def test_an_expired_counter_starts_again_from_one(store):
    counters.increment("k", ttl=0.05)
    counters.increment("k", ttl=0.05)
    time.sleep(0.1)

    assert counters.read("k") == {}
    assert counters.increment("k", ttl=60)["k"].value == 1


def test_read_answers_only_live_counters(store):
    counters.increment("live", ttl=60)

    found = counters.read("live", "never-counted")

    assert list(found) == ["live"]
    assert found["live"].value == 1
    assert 59 < found["live"].seconds_left() <= 60


def test_delete_forgets_a_counter_and_no_other(store):
    counters.increment("gone", "kept", ttl=60)

    counters.delete("gone")

    assert list(counters.read("gone", "kept")) == ["kept"]


def test_long_keys_with_any_characters_are_counted_apart(store):
    one, other = "login:pair:" + "x" * 300 + "|1", "login:pair:" + "x" * 300 + "|2"

    counters.increment(one, ttl=60)

    assert counters.increment(other, ttl=60)[other].value == 1
    assert counters.increment(one, ttl=60)[one].value == 2


def test_counts_do_not_live_in_the_per_process_cache(store, settings):
    if isinstance(store, RedisCounters):
        pytest.skip("the Redis store is the cache; the subprocess test covers it")
    counters.increment("k", ttl=60)
    cache.clear()

    assert counters.increment("k", ttl=60)["k"].value == 2


def test_over_rate_refuses_past_the_limit_and_says_how_long(store):
    answers = [counters.over_rate(scope="test", ident="203.0.113.7", rate="3/minute") for _ in range(4)]

    assert answers[:3] == [None, None, None]
    assert 50 < answers[3] <= 60
    assert counters.over_rate(scope="test", ident="198.51.100.1", rate="3/minute") is None


def test_parse_rate_reads_the_units_operators_write():
    assert counters.parse_rate("5/hour") == (5, 3600)
    assert counters.parse_rate("10/minute") == (10, 60)
    assert counters.parse_rate("100/day") == (100, 86400)
    assert counters.parse_rate("3/15minutes") == (3, 900)
    with pytest.raises(ValueError):
        counters.parse_rate("five a day")


def test_delete_expired_removes_only_expired_rows(store):
    if isinstance(store, RedisCounters):
        pytest.skip("Redis expires keys itself")
    from civicbridge.core.models import SharedCounter

    counters.increment("old", ttl=0.01)
    counters.increment("fresh", ttl=60)
    time.sleep(0.05)

    assert counters.delete_expired() == 1
    assert list(SharedCounter.objects.values_list("key", flat=True)) == ["fresh"]


# --- several processes -----------------------------------------------------------------

def _database_url() -> str:
    conf = connection.settings_dict
    user = quote(conf.get("USER") or "", safe="")
    password = quote(conf.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if user else ""
    return f"postgres://{auth}{conf.get('HOST') or 'localhost'}:{conf.get('PORT') or 5432}/{conf['NAME']}"


def _increment_in_another_process(env_overrides: dict) -> int:
    code = (
        "import django; django.setup()\n"
        "from civicbridge.core import counters\n"
        "print(counters.increment('shared', ttl=60)['shared'].value)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "civicbridge.settings", **env_overrides}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])


# Transactional like the repository's other ones: serialized_rollback keeps the reference data.
@pytest.mark.skipif(not ON_POSTGRESQL, reason="the SQLite test database lives in this process's memory")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_processes_count_on_the_same_database_counter(settings):
    settings.CIVICBRIDGE_COUNTER_STORE = "civicbridge.core.counters.DatabaseCounters"
    env = {"DATABASE_URL": _database_url(), "CACHE_URL": "locmemcache://other-process"}

    first = _increment_in_another_process(env)
    second = _increment_in_another_process(env)
    here = counters.increment("shared", ttl=60)["shared"].value

    assert (first, second, here) == (1, 2, 3)


@needs_redis
def test_two_processes_count_on_the_same_redis_counter(store):
    if not isinstance(store, RedisCounters):
        pytest.skip("Redis store only")
    env = {"CACHE_URL": REDIS_URL, "CIVICBRIDGE_COUNTER_STORE": "civicbridge.core.counters.RedisCounters"}
    # The child's keys carry no test prefix: count on the same key the child uses.
    with override_settings(CACHES={"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}):
        counters.delete("shared")
        try:
            first = _increment_in_another_process(env)
            second = _increment_in_another_process(env)
            here = counters.increment("shared", ttl=60)["shared"].value
        finally:
            counters.delete("shared")

    assert (first, second, here) == (1, 2, 3)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite serializes writers; the parallel race matters on PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_increments_lose_no_count(settings):
    settings.CIVICBRIDGE_COUNTER_STORE = "civicbridge.core.counters.DatabaseCounters"
    seen, errors = [], []

    def hammer():
        try:
            for _ in range(25):
                seen.append(counters.increment("race", ttl=60)["race"].value)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(seen) == list(range(1, 201))
