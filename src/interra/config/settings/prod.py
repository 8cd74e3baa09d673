"""Production: HTTPS only, secrets from the environment, and it fails closed.

The process refuses to start (ImproperlyConfigured, naming every variable to set) rather
than run in a way that silently fails real people: messages "sent" to a terminal nobody
reads, rate limits and seat counts kept per process, links in messages that point to
127.0.0.1. A single machine running everything (`make run`, a small association's own
server) says so with ONE_SERVER=1: SQLite, the cache in the database and messages printed
in the terminal are then accepted, but never a per-process cache.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, MAILERS, ONE_SERVER, SECRET_KEY, SITE_URL, env

DEBUG = False
HTTPS = env.bool("HTTPS", default=True)

# Caches that live in one process's memory (or nowhere): each gunicorn process would
# count its own rate limits and keep its own seat counts.
PER_PROCESS_CACHES = ("locmem.LocMemCache", "dummy.DummyCache")
PRINTED_MAILERS = ("console.EmailBackend", "ConsoleEmailBackend", "locmem.EmailBackend",
                   "dummy.EmailBackend", "filebased.EmailBackend")


def _sms_is_console() -> bool:
    """SMS_URL (e.g. twilio://SID:TOKEN@api.twilio.com?from=...) or console when empty."""
    url = env.str("SMS_URL", default="").strip()
    return url == "" or url.split(":", 1)[0].lower() in {"console", "locmem", "dummy"}


def configuration_problems() -> list[str]:
    problems = []
    if SECRET_KEY.startswith("insecure-"):
        problems.append("SECRET_KEY: set 50 or more random characters.")
    if "SITE_URL" not in env.ENVIRON:
        problems.append("SITE_URL: the public address used in messages, posters and QR "
                        "codes (e.g. https://interra.example).")
    elif HTTPS and not SITE_URL.startswith("https://"):
        problems.append("SITE_URL must start with https:// (or set HTTPS=0 to serve plain "
                        "http, for a demo on one machine).")
    cache = CACHES["default"]["BACKEND"]
    if cache.endswith(PER_PROCESS_CACHES):
        problems.append(
            f"CACHE_URL: {cache} keeps seat counts and rate limits in each process; use "
            "redis://... (several servers) or dbcache://interra_cache (one server).")
    elif not ONE_SERVER and "CACHE_URL" not in env.ENVIRON:
        problems.append("CACHE_URL: the cache all app servers share (e.g. redis://cache:6379/0).")
    if not ONE_SERVER:
        if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
            problems.append("DATABASE_URL: PostgreSQL shared by the app servers "
                            "(e.g. postgres://interra:...@db:5432/interra).")
        if MAILERS["default"]["BACKEND"].endswith(PRINTED_MAILERS):
            problems.append("EMAIL_URL: an SMTP server (e.g. smtp+tls://user:password@"
                            "smtp.example.org:587); e-mails would only be printed.")
        if _sms_is_console():
            problems.append("SMS_URL: an SMS provider (e.g. twilio://SID:TOKEN@api.twilio."
                            "com?from=...); text messages would only be printed.")
    return problems


if problems := configuration_problems():
    raise ImproperlyConfigured(
        "The production settings refuse to start; set these environment variables:\n  - "
        + "\n  - ".join(problems)
        + "\n(ONE_SERVER=1 accepts SQLite, a database cache and printed messages on a "
        "single machine: see docs/deployment.md.)"
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
X_FRAME_OPTIONS = "DENY"
