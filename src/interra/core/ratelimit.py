"""A small sliding-window rate limit on the shared cache (so it holds across servers).

Each (group, key) keeps one counter per fixed window; a hit is refused when the current
window's count plus the previous window's count, weighted by how much of the previous
window still overlaps the sliding period, is over the limit. A plain fixed window lets
twice the limit through around a window boundary (and made tests that straddle one pass
requests they should refuse); the weighted sum does not.

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


def _hit(cache_key: str, period: int) -> int:
    """Add one to ``cache_key`` and return the new count (atomic on a shared cache)."""
    if cache.add(cache_key, 1, timeout=2 * period + 5):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=2 * period + 5)
        return 1


def ratelimited(request, group: str, *, limit: int, period: int, key: str | None = None) -> bool:
    """Count one hit for (group, key or client IP); True when over ``limit`` per ``period``."""
    if not settings.RATELIMIT_ENABLE:
        return False
    now = time.time()
    window = int(now // period)
    prefix = f"rl:{group}:{key or client_ip(request)}"
    current = _hit(f"{prefix}:{window}", period)
    previous = cache.get(f"{prefix}:{window - 1}", 0)
    overlap = 1 - (now - window * period) / period
    return current + previous * overlap > limit


MESSAGE_PERIOD = 3600


def _contact_key(contact: str) -> str:
    """A stable key for a phone or an address that keeps it out of the cache in clear."""
    import hashlib

    contact = contact.strip().lower()
    if "@" not in contact:
        contact = "".join(ch for ch in contact if ch.isdigit())[-9:]  # +32 470.. = 0470..
    return hashlib.sha256(contact.encode()).hexdigest()[:32]


def message_quota_exceeded(request, *, contacts) -> bool:
    """Every anonymous action that may send a message calls this first (SMS pumping).

    At most ``MESSAGE_CAP_PER_CONTACT`` actions an hour name one phone or address, and at
    most ``MESSAGE_CAP_PER_ADDRESS`` come from one network address. Counted whether or not
    a message goes out in the end, so the refusal reveals nothing about who is known.
    """
    if not settings.RATELIMIT_ENABLE:
        return False
    over = ratelimited(request, "message-address", limit=settings.MESSAGE_CAP_PER_ADDRESS,
                       period=MESSAGE_PERIOD)
    for contact in {c for c in contacts if c and c.strip()}:
        key = _contact_key(contact)
        if key and ratelimited(request, "message-contact", key=key,
                               limit=settings.MESSAGE_CAP_PER_CONTACT, period=MESSAGE_PERIOD):
            over = True
    return over
