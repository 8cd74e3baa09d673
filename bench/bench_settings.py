"""Production settings for a benchmark run: the same settings, plus the bench-only URLs.

Everything else comes from the environment, as in production (DATABASE_URL, CACHE_URL...).
The production settings refuse a per-process cache, printed messages and SQLite unless
told otherwise; a benchmark measures pages, not messages, and its COLD mode wants no cache
at all (dummycache://): it says ONE_SERVER and plain http, imports the production settings
with a shared cache, then puts the benchmark's own cache back.
"""

import os

import environ

_bench_cache_url = os.environ.get("CACHE_URL", "")
os.environ["ONE_SERVER"] = "1"
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
if _bench_cache_url.startswith(("dummycache:", "locmemcache:")):
    os.environ["CACHE_URL"] = "dbcache://interra_cache"

from interra.config.settings.prod import *  # noqa: E402, F403
from interra.config.settings.prod import STORAGES  # noqa: E402

if _bench_cache_url:
    CACHES = {"default": environ.Env().cache_url_config(_bench_cache_url)}
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        CACHES["default"]["BACKEND"] = "interra.core.cache.RedisCache"  # as base.py does
ROOT_URLCONF = "bench_urls"
# One run's keys apart from another's in a shared Redis database.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "")
if os.environ.get("BENCH_PLAIN_STATIC"):
    # collectstatic failed: static names are not hashed (pages measured are HTML only).
    STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
