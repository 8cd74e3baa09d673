"""Versions read through a process's mirror of them (interra.core.cache.RedisCache): a
warm read is no round trip to Redis, and a version replaced by any other process is what
the next read returns, including after the subscription was lost."""

import os
import secrets

import pytest
import redis

from interra.core.cache import RedisCache
from tests.ops.conftest import missing_tool

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _cache(prefix: str) -> RedisCache:
    """A process's cache: each has its own connections and its own mirror."""
    return RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})


@pytest.fixture
def prefix():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001 (any failure means: no Redis here)
        missing_tool(f"Redis not reachable at {REDIS_URL}: {exc}")
    return f"mirror-test-{secrets.token_hex(4)}"


class _Counting:
    """Counts the reads that reach Redis."""

    def __init__(self, cache: RedisCache, monkeypatch):
        self.reads = 0
        read = cache._cache.get_many

        def counted(keys):
            self.reads += 1
            return read(keys)
        monkeypatch.setattr(cache._cache, "get_many", counted)


def test_a_warm_read_does_not_reach_redis(prefix, monkeypatch):
    here = _cache(prefix)
    here.set_versions({"a": 1, "b": 2})
    counting = _Counting(here, monkeypatch)
    assert here.get_versions(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert counting.reads == 1  # not seen yet: read once ("c" does not exist)
    assert here.get_versions(["a", "b"]) == {"a": 1, "b": 2}
    assert counting.reads == 1


def test_a_version_replaced_by_another_process_is_read_at_once(prefix):
    here, there = _cache(prefix), _cache(prefix)
    here.set_versions({"listing": 1})
    assert here.get_versions(["listing"]) == {"listing": 1}
    for value in range(2, 40):
        there.set_versions({"listing": value, "seats:7": value})
        assert here.get_versions(["listing", "seats:7"]) == {"listing": value,
                                                             "seats:7": value}


def test_other_prefixes_are_other_versions(prefix):
    here, elsewhere = _cache(prefix), _cache(prefix + "-other")
    here.set_versions({"listing": 1})
    assert here.get_versions(["listing"]) == {"listing": 1}
    elsewhere.set_versions({"listing": 99})
    assert here.get_versions(["listing"]) == {"listing": 1}
    assert elsewhere.get_versions(["listing"]) == {"listing": 99}


def test_a_lost_subscription_reads_from_redis_until_it_is_back(prefix, monkeypatch):
    here, there = _cache(prefix), _cache(prefix)
    here.set_versions({"listing": 1})
    assert here.get_versions(["listing"]) == {"listing": 1}
    # Redis drops the subscriptions (restart, network, a full output buffer): what is
    # published meanwhile reaches nobody.
    admin = redis.Redis.from_url(REDIS_URL)
    assert admin.client_kill_filter(_type="pubsub") >= 1
    there.set_versions({"listing": 2})
    assert here.get_versions(["listing"]) == {"listing": 2}
    # A new subscription is made (after a pause) and the copy starts again from Redis.
    monkeypatch.setattr(here._mirror, "RETRY", 0.0)
    assert here.get_versions(["listing"]) == {"listing": 2}
    there.set_versions({"listing": 3})
    assert here.get_versions(["listing"]) == {"listing": 3}


def test_a_process_that_stops_reading_starts_again_rather_than_trust_a_backlog(
        prefix, monkeypatch):
    here, there = _cache(prefix), _cache(prefix)
    here.set_versions({"listing": 1})
    assert here.get_versions(["listing"]) == {"listing": 1}
    monkeypatch.setattr(here._mirror, "IDLE", -1.0)  # as if a minute had passed
    counting = _Counting(here, monkeypatch)
    there.set_versions({"listing": 2})
    assert here.get_versions(["listing"]) == {"listing": 2}
    assert counting.reads == 1  # read again from Redis, not from the old copy


def test_without_pub_sub_versions_are_read_each_time(prefix, monkeypatch):
    here, there = _cache(prefix), _cache(prefix)

    def refused(*_args, **_kwargs):
        raise redis.ConnectionError("pub/sub refused")
    monkeypatch.setattr(redis.client.PubSub, "subscribe", refused)
    here.set_versions({"listing": 1})
    assert here.get_versions(["listing"]) == {"listing": 1}
    there.set_versions({"listing": 2})
    assert here.get_versions(["listing"]) == {"listing": 2}
