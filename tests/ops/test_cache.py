"""The one-server cache: one table that every process shares, with counters that count."""

import threading
import time

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

ONE_SERVER_CACHE = {"default": {"BACKEND": "interra.core.cache.DatabaseCache",
                                "LOCATION": "interra_cache_test"}}


@pytest.fixture
def cache(settings):
    settings.CACHES = ONE_SERVER_CACHE
    call_command("createcachetable", verbosity=0)
    yield caches["default"]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE interra_cache_test")


def test_incr_keeps_the_entry_expiry(cache):
    # The agenda's version lives for ever; Django's own incr would give it 300 s.
    cache.add("version", 1, timeout=None)
    cache.add("hits", 1, timeout=60)
    assert cache.incr("version") == 2 and cache.incr("hits", 5) == 6
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, expires FROM interra_cache_test")
        expires = {key.rsplit(":", 1)[-1]: value for key, value in cursor.fetchall()}
    assert str(expires["version"]).startswith("9999-12-31")
    assert cache.get("version") == 2 and cache.get("hits") == 6
    assert cache.decr("hits") == 5


def test_incr_of_a_missing_or_expired_key_is_a_value_error(cache):
    with pytest.raises(ValueError):
        cache.incr("nothing")
    cache.set("short", 1, timeout=1)
    time.sleep(1.1)
    with pytest.raises(ValueError):
        cache.incr("short")


def test_simultaneous_increments_are_all_counted(cache):
    """Eight threads (each its own database connection, as separate processes have) count
    25 hits each on one key: the counter says 200, none lost between read and write."""
    cache.add("rl:agenda-register:203.0.113.9:1", 0, timeout=600)
    start = threading.Barrier(8)
    errors = []

    def count():
        from django.db import connections

        try:
            start.wait()
            for _ in range(25):
                caches["default"].incr("rl:agenda-register:203.0.113.9:1")
        except Exception as exc:  # reported below, with the thread's own error
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.get("rl:agenda-register:203.0.113.9:1") == 200
