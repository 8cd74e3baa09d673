"""The shared cache of a one-server installation: Django's database cache, made safe for
counters.

Every gunicorn process, the worker and the scheduler see the same entries (the version
behind the agenda's cached pages, rate-limit counters), which a per-process memory cache
cannot give. Django's own ``incr`` is "get, then set": two processes counting a hit at
once both write n + 1, so a rate limit lets more through than its limit; and the set
gives the entry the default timeout, so a counter meant to live for ever (the agenda's
version) would expire and restart at 1, bringing stale pages back. Here the read and the
write are one transaction that holds the write lock (SQLite's IMMEDIATE transactions, see
settings) or the row (``FOR UPDATE`` elsewhere), and the entry keeps its expiry.
"""

import base64
import json
import logging
import os
import pickle
import threading
import time

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import connections, models, router, transaction
from django.utils.timezone import now

logger = logging.getLogger(__name__)


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        cache_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT value, expires FROM {table} WHERE cache_key = %s{lock}", [cache_key]
            )
            row = cursor.fetchone()
            if row is None or self._expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            value = pickle.loads(base64.b64decode(stored.encode(), validate=True)) + delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode()
            cursor.execute(f"UPDATE {table} SET value = %s WHERE cache_key = %s",
                           [encoded, cache_key])
        return value

    @staticmethod
    def _expired(connection, expires) -> bool:
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in (connection.ops.get_db_converters(expression)
                          + expression.get_db_converters(connection)):
            expires = converter(expires, expression, connection)
        return expires < now()


class _ReusedRedisClient(RedisCacheClient):
    """Django makes a new ``redis.Redis`` for every cache call, and building one (its
    table of ~170 reply handlers) costs more than a round trip to Redis. A client is
    thread-safe and takes connections from its pool: one per pool is enough."""

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(index)
        if client is None:
            client = clients[index] = self._client(
                connection_pool=self._get_connection_pool(index))
        return client


class _VersionMirror:
    """This process's copy of *version* entries (numbers that say "what is cached under
    me is still true"), kept fresh by Redis's publish/subscribe: whoever replaces a
    version publishes the new value in the same transaction, and every process applies
    what was published before it reads a version. A warm page then costs no round trip.

    Why it is never older than the shared cache for a request that follows a write: the
    write's process sets and publishes before its answer leaves; Redis has put the
    message on every subscriber's connection by then; a reader takes every message
    waiting on its connection (a non-blocking read) before it uses its copy. A version
    this process never saw is read from Redis (and kept unless a message about it came
    meanwhile, which is newer). When the subscription is lost (Redis restarted, the
    connection dropped, nobody asked for a minute), the copy is thrown away, and versions
    are read from Redis until a new subscription is confirmed."""

    IDLE = 60.0  # seconds without reading: start again rather than read a backlog
    RETRY = 5.0
    MAX_KEYS = 100_000

    def __init__(self, cache):
        self._cache = cache
        self._lock = threading.Lock()
        self._pid = None
        self._pubsub = None
        self._values: dict = {}
        self._generation = 0
        self._read_at = self._retry_at = 0.0

    @property
    def channel(self) -> str:
        return self._cache.make_key("versions:published")

    def get_many(self, keys) -> dict | None:
        """The current value of each key found; None when the copy cannot be trusted
        now (the caller reads the shared cache)."""
        with self._lock:
            if not self._ready():
                return None
            values, generation = self._values, self._generation
            found = {key: values[key] for key in keys if key in values}
        missing = [key for key in keys if key not in found]
        if missing:
            read = self._cache.get_many(missing)
            with self._lock:
                if self._generation == generation:
                    for key, value in read.items():
                        self._values.setdefault(key, value)  # a message meanwhile: newer
            found.update(read)
        return found

    def _ready(self) -> bool:
        """Under the lock: subscribed, with every waiting message applied."""
        if self._pid != os.getpid():  # a forked process: the parent's socket is not ours
            self._pid, self._pubsub = os.getpid(), None
            self._forget()
        moment = time.monotonic()
        if self._pubsub is not None and moment - self._read_at > self.IDLE:
            self._close()
        if self._pubsub is None and not self._subscribe(moment):
            return False
        try:
            while (message := self._pubsub.get_message(timeout=0)) is not None:
                if message["type"] == "message":
                    self._values.update(json.loads(message["data"]))
        except Exception:  # noqa: BLE001 (any failure: the copy can no longer be trusted)
            logger.warning("version subscription lost; reading versions from Redis",
                           exc_info=True)
            self._close()
            return False
        if len(self._values) > self.MAX_KEYS:
            self._forget()
        self._read_at = moment
        return True

    def _subscribe(self, moment: float) -> bool:
        if moment < self._retry_at:
            return False
        pubsub = None
        try:
            pubsub = self._cache._cache.get_client(write=True).pubsub()
            pubsub.subscribe(self.channel)
            confirmed = pubsub.get_message(timeout=2)  # versions read after this only
            if not confirmed or confirmed["type"] != "subscribe":
                raise ConnectionError("no subscription confirmed")
        except Exception:  # noqa: BLE001 (no Redis pub/sub: read versions each time)
            logger.warning("cannot subscribe to version messages", exc_info=True)
            self._retry_at = moment + self.RETRY
            if pubsub is not None:
                pubsub.close()
            return False
        self._pubsub = pubsub
        self._forget()
        return True

    def _forget(self):
        self._values = {}
        self._generation += 1

    def _close(self):
        pubsub, self._pubsub = self._pubsub, None
        self._forget()
        try:
            pubsub.close()
        except Exception:  # noqa: BLE001, S110 (closing a connection that is already gone)
            pass


class RedisCache(DjangoRedisCache):
    """Django's Redis cache, with one client per connection pool (see above), and
    ``get_many`` without memcached's key checks (a character-by-character scan of every
    key, for limits Redis does not have): the agenda reads a page's versions with it on
    every request.

    Versions (``get_versions``/``set_versions``): numbers replaced whenever what they
    stand for changes, read through this process's mirror (see ``_VersionMirror``)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedRedisClient
        self._mirror = _VersionMirror(self)

    def get_versions(self, keys) -> dict:
        found = self._mirror.get_many(list(keys))
        return self.get_many(keys) if found is None else found

    def set_versions(self, values: dict) -> None:
        """Replace versions (kept for ever) and tell every process, in one transaction."""
        client = self._cache.get_client(write=True)
        with client.pipeline(transaction=True) as pipeline:
            for key, value in values.items():
                pipeline.set(self.make_and_validate_key(key), int(value))
            pipeline.publish(self._mirror.channel, json.dumps(values))
            pipeline.execute()

    def get_many(self, keys, version=None):
        key_map = {self.make_key(key, version=version): key for key in keys}
        found = self._cache.get_many(key_map.keys())
        return {key_map[key]: value for key, value in found.items()}
