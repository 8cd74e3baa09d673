"""The one-server cache: one table that every process shares, with counters that count."""

import threading
import time

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

OURS = "interra.core.cache.DatabaseCache"
DJANGOS = "django.core.cache.backends.db.DatabaseCache"  # the control: get, then set


def _table_cache(settings, backend):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "interra_cache_test"}}
    call_command("createcachetable", verbosity=0)
    return caches["default"]


@pytest.fixture
def cache(settings):
    yield _table_cache(settings, OURS)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE interra_cache_test")


@pytest.fixture
def djangos_cache(settings):
    yield _table_cache(settings, DJANGOS)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE interra_cache_test")


def _expiry(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, expires FROM interra_cache_test")
        return {key.rsplit(":", 1)[-1]: str(value) for key, value in cursor.fetchall()}[name]


def test_incr_keeps_the_entry_expiry(cache):
    # The agenda's version lives for ever; Django's own incr would give it 300 s.
    cache.add("version", 1, timeout=None)
    cache.add("hits", 1, timeout=60)
    assert cache.incr("version") == 2 and cache.incr("hits", 5) == 6
    assert _expiry("version").startswith("9999-12-31")
    assert cache.get("version") == 2 and cache.get("hits") == 6
    assert cache.decr("hits") == 5


def test_control_djangos_incr_loses_the_expiry(djangos_cache):
    djangos_cache.add("version", 1, timeout=None)
    djangos_cache.incr("version")
    assert not _expiry("version").startswith("9999-12-31")


def test_incr_of_a_missing_or_expired_key_is_a_value_error(cache):
    with pytest.raises(ValueError):
        cache.incr("nothing")
    cache.set("short", 1, timeout=1)
    time.sleep(1.1)
    with pytest.raises(ValueError):
        cache.incr("short")


def _count_at_once(threads=8, hits=25) -> int:
    """``threads`` threads (each its own database connection, as separate processes have)
    count ``hits`` hits each on one key at the same moment; return what the cache says."""
    key = "rl:agenda-register:203.0.113.9:1"
    caches["default"].add(key, 0, timeout=600)
    start = threading.Barrier(threads)
    errors = []

    def count():
        from django.db import connections

        try:
            start.wait()
            for _ in range(hits):
                caches["default"].incr(key)
        except Exception as exc:  # reported below, with the thread's own error
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=count) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    return caches["default"].get(key)


def test_simultaneous_increments_are_all_counted(cache):
    assert _count_at_once() == 200


def test_control_djangos_incr_loses_simultaneous_hits(djangos_cache):
    """Without the lock the same run loses hits (seen: 47 of 200 on SQLite, 27 on
    PostgreSQL), so the test above cannot pass by luck."""
    assert _count_at_once() < 200
