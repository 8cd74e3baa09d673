"""A small fixed-window rate limit on the shared cache (so it holds across servers).

Switch off for load tests with RATELIMIT_ENABLE=0.
"""

import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    # Behind the reverse proxy, the proxy sets X-Forwarded-For; we trust its last hop.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def ratelimited(request, group: str, *, limit: int, period: int, key: str | None = None) -> bool:
    """Count one hit for (group, key or client IP); True when over ``limit`` per ``period``."""
    if not settings.RATELIMIT_ENABLE:
        return False
    window = int(time.time() // period)
    cache_key = f"rl:{group}:{key or client_ip(request)}:{window}"
    added = cache.add(cache_key, 1, timeout=period + 5)
    if added:
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=period + 5)
        count = 1
    return count > limit
