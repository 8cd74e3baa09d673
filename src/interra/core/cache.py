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
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import connections, models, router, transaction
from django.utils.timezone import now


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


class RedisCache(DjangoRedisCache):
    """Django's Redis cache, with one client per connection pool (see above), and
    ``get_many`` without memcached's key checks (a character-by-character scan of every
    key, for limits Redis does not have): the agenda reads a page's versions with it on
    every request."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedRedisClient

    def get_many(self, keys, version=None):
        key_map = {self.make_key(key, version=version): key for key in keys}
        found = self._cache.get_many(key_map.keys())
        return {key_map[key]: value for key, value in found.items()}
