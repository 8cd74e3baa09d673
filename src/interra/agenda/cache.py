"""The public agenda list is the same for every visitor with the same filters and language:
its rendered HTML is kept in the shared cache (so every app server benefits) under a
version number that any change to a session or a registration bumps, after commit.

A short lifetime also covers what no write announces: sessions that start drop off the
list within a minute.
"""

import hashlib

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "agenda:version"
LIST_TTL = 60


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        current = cache.get(VERSION_KEY) or 1
    return current


def bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 1, timeout=None)


def bump_on_commit(**_kwargs) -> None:
    transaction.on_commit(bump)


def list_key(language: str, query: str) -> str:
    digest = hashlib.sha1(query.encode()).hexdigest()
    return f"agenda:list:{version()}:{language}:{digest}"
