"""Settings shared by every environment, read from the environment (12-factor).

Every value that differs between a laptop and production comes from an environment
variable; dev.py, test.py and prod.py only change defaults, never add features.
"""

import os
from pathlib import Path

import environ
from django.conf import locale as django_locale
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[4]
SRC_DIR = BASE_DIR / "src" / "interra"
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-change-me-" + "x" * 40)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address people see in messages, posters and QR codes.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The organisation that signs the yearly activity report (impact app): its legal name,
# head-office address, enterprise number (BCE) and logo (a static file path).
ORGANISATION_NAME = env("ORGANISATION_NAME", default="Interra ASBL")
ORGANISATION_ADDRESS = env("ORGANISATION_ADDRESS", default="")
ORGANISATION_NUMBER = env("ORGANISATION_NUMBER", default="")
ORGANISATION_LOGO = env("ORGANISATION_LOGO", default="core/favicon.svg")
# Encrypts the credentials' signing keys at rest (credentials/keys.py); SECRET_KEY if empty.
CREDENTIALS_KEY_SECRET = env("CREDENTIALS_KEY_SECRET", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "interra.core",
    "interra.accounts",
    "interra.cities",
    "interra.notifications",
    "interra.proposals",
    "interra.venues",
    "interra.agenda",
    "interra.impact",
    "interra.planning",
    "interra.credentials",
    "interra.federation",
    "interra.autonomy",
    "interra.employers",
    "interra.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "interra.core.headers.PermissionsPolicyMiddleware",
    "interra.core.cors.PublicApiCorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "interra.core.middleware.RejectNullBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "interra.accounts.middleware.StaffSessionMiddleware",
    "interra.core.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "interra.config.urls"
WSGI_APPLICATION = "interra.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "interra.core.context_processors.platform",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'interra.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
    # the start of a transaction, so "count then insert" cannot interleave (SQLite has
    # no SELECT ... FOR UPDATE). The timeout makes concurrent writers queue, not fail.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_TIMEOUT", default=20),
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- One server or several ------------------------------------------------------------
# ONE_SERVER=1 says "everything runs on this one machine" (make run, a small association's
# single server): SQLite, a cache in that database and messages printed in the terminal
# are then accepted by the production settings. Several app servers need PostgreSQL,
# Redis, SMTP and an SMS provider, and the production settings refuse to start without.
ONE_SERVER = env.bool("ONE_SERVER", default=False)
# HTTPS=0 serves plain http (no redirect, no HSTS, cookies not secure-only): the one-server
# demo on http://127.0.0.1. Production defaults to HTTPS only.
HTTPS = env.bool("HTTPS", default=False)

# --- Cache (shared between app servers in production) -----------------------------------
# One server: a table in the database, so every gunicorn process, the worker and the
# scheduler share seat counts and rate limits (`manage.py createcachetable` creates it).
# A process's own memory (locmem) only suits a single development process.
CACHES = {"default": env.cache(
    "CACHE_URL", default="dbcache://interra_cache" if ONE_SERVER else "locmemcache://interra")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    CACHES["default"]["BACKEND"] = "interra.core.cache.DatabaseCache"  # atomic counters
    # Django's default (300 entries) would cull the agenda's pages and the rate-limit
    # counters all the time: one page per language and filter.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 20000)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "interra.core.cache.RedisCache"  # one client, reused

# --- Background tasks ------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- People and sign-in ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "interra.accounts.backends.EmailOrPhoneBackend",
    "sesame.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Magic links (django-sesame): valid for a week, usable many times (people open their
# message on a phone, then on a shared computer), invalidated when the person is erased.
SESAME_MAX_AGE = env.int("SESAME_MAX_AGE", default=7 * 24 * 3600)
SESAME_ONE_TIME = False
SESAME_TOKEN_NAME = "sesame"
OTP_TOTP_ISSUER = "Interra"
PHONE_DEFAULT_REGION = env("PHONE_DEFAULT_REGION", default="BE")

SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # participants and leaders (magic links)
# Staff sessions (password + second factor) are short: closed after this much inactivity,
# and after a working day in any case (see accounts/staff.py).
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=3 * 3600)
STAFF_SESSION_MAX_SECONDS = env.int("STAFF_SESSION_MAX_SECONDS", default=10 * 3600)
# Staff sign-in attempts, counted in the shared cache before any password is checked.
STAFF_SIGN_IN_PERIOD = 15 * 60
STAFF_SIGN_IN_LIMIT_PER_ACCOUNT = env.int("STAFF_SIGN_IN_LIMIT_PER_ACCOUNT", default=10)
STAFF_SIGN_IN_LIMIT_PER_ADDRESS = env.int("STAFF_SIGN_IN_LIMIT_PER_ADDRESS", default=30)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation --------------------------------------------------------------
LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
# The languages most spoken by newcomers in Wallonia, plus the country's own.
LANGUAGES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("nl", _("Dutch")),
    ("ar", _("Arabic")),
    ("fa", _("Dari / Farsi")),
    ("ps", _("Pashto")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("tr", _("Turkish")),
    ("es", _("Spanish")),
    ("ti", _("Tigrinya")),
]
LANGUAGES_BIDI = ["ar", "fa", "ps", "he", "ur"]
# Django ships no locale metadata for Pashto and Tigrinya; teach it their names and
# direction so that {% get_language_info %} and the switcher work for them.
django_locale.LANG_INFO.setdefault(
    "ps", {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"}
)
django_locale.LANG_INFO.setdefault(
    "ti", {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"}
)
LOCALE_PATHS = [SRC_DIR / "locale"]

# --- Static files ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
os.makedirs(STATIC_ROOT, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# The app serves /media/ itself (safely, see config/media.py) unless a proxy rule does.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Email and SMS ---------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587, becomes Django 6.1's
# MAILERS setting (consolemail:// writes messages to the worker's output).
_email = env.email_url("EMAIL_URL", default="consolemail://")
_email_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
}
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend":
    # Prints the decoded text (Django's prints base64 / quoted-printable for any accent).
    _email["EMAIL_BACKEND"] = "interra.core.mail.ConsoleEmailBackend"
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": (
            {k: v for k, v in _email_options.items() if v not in (None, "")}
            if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Interra <bonjour@interra.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env("SMS_BACKEND", default="interra.notifications.sms.ConsoleSMSBackend")

# --- Browser security headers ---------------------------------------------------------
# Content-Security-Policy on every answer (Django's own middleware). Scripts come only
# from our static files, or carry the request's nonce ({{ csp_nonce }}): no inline event
# handler, no eval. Styles allow inline: htmx and Leaflet set styles from script, charts
# are SVG with style attributes. Map tiles come from OpenStreetMap.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", "https://tile.openstreetmap.org"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "media-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Powerful browser features, all off except the clipboard for "Copy the link" (see
# core/headers.py). An empty list switches a feature off, for frames too.
PERMISSIONS_POLICY = {
    "accelerometer": [], "autoplay": [], "bluetooth": [], "camera": [],
    "clipboard-write": ["self"], "display-capture": [], "encrypted-media": [],
    "fullscreen": [], "geolocation": [], "gyroscope": [], "hid": [],
    "idle-detection": [], "magnetometer": [], "microphone": [], "midi": [], "payment": [],
    "picture-in-picture": [], "publickey-credentials-get": [], "screen-wake-lock": [],
    "serial": [], "usb": [], "xr-spatial-tracking": [],
}

# Public read-only API answers other websites' browsers may read (the agenda widget):
# GET only, any origin, no credentials, no cookie (core/cors.py). Writes stay same-origin.
PUBLIC_CORS_PATHS = [r"/api/v1/sessions(/widget|/\d+)?", r"/api/v1/openapi\.json"]

# --- Rate limits -----------------------------------------------------------------------
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
# Anonymous actions that send a message (registration, "send my link again", sign-in link,
# proposal): per phone or e-mail address, and per network address, each hour.
MESSAGE_CAP_PER_CONTACT = env.int("MESSAGE_CAP_PER_CONTACT", default=3)
MESSAGE_CAP_PER_ADDRESS = env.int("MESSAGE_CAP_PER_ADDRESS", default=20)

# --- Logging ---------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=False)

# --- Messages and dates in every language (notifications) -------------------------------
# SMS_URL chooses the SMS provider like EMAIL_URL chooses the mail server:
# twilio://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com?from=%2B32470000000 (or ?from=MG... for a
# Messaging Service), console:// or locmem://. Empty: SMS_BACKEND (a class path) is used.
SMS_URL = env("SMS_URL", default="")
# Sent messages (and their context: titles, places) are deleted after this many days.
MESSAGE_RETENTION_DAYS = env.int("MESSAGE_RETENTION_DAYS", default=90)
# Failed sends are tried again after 1, 4, 16, 64 minutes, then shown as failed.
MESSAGE_MAX_ATTEMPTS = env.int("MESSAGE_MAX_ATTEMPTS", default=5)
# Web push (VAPID, RFC 8292): the private key as base64url (32 raw bytes, or DER/PEM
# body); `manage.py generate_vapid_keys` makes one. Empty: a key kept in
# VAPID_KEY_FILE (made on first use; dev, test and demo), else push is not offered.
VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY", default="")
VAPID_KEY_FILE = env("VAPID_KEY_FILE", default="")
# Who push services contact about our messages (a mailto: or https: address).
VAPID_SUBJECT = env("VAPID_SUBJECT", default="")
# What one SMS segment costs (euros) and what one e-mail or push costs, for the impact page.
SMS_PRICE_PER_SEGMENT = env.float("SMS_PRICE_PER_SEGMENT", default=0.08)
EMAIL_PRICE = env.float("EMAIL_PRICE", default=0.0)
PUSH_PRICE = env.float("PUSH_PRICE", default=0.0)
# Push endpoints must be https on a public host name (the worker POSTs there); the tests'
# local push service listens on 127.0.0.1.
PUSH_ALLOW_LOCAL_ENDPOINTS = False
# Date formats (from CLDR) for the languages Django does not ship: ti, ps.
FORMAT_MODULE_PATH = ["interra.formats"]
# Our translations of Django's own messages (form errors...) for those languages.
LOCALE_PATHS = [*LOCALE_PATHS, SRC_DIR / "locale_framework"]

# --- Fediverse (federation/, docs/federation.md) ----------------------------------------
# Remote servers are called with these limits. Private, loopback and reserved addresses
# (and plain http) are refused unless FEDERATION_ALLOW_PRIVATE_ADDRESSES: tests, or a
# fediverse instance on the same private network.
FEDERATION_TIMEOUT = env.float("FEDERATION_TIMEOUT", default=5.0)
FEDERATION_MAX_BYTES = env.int("FEDERATION_MAX_BYTES", default=256 * 1024)
# Posts to an inbox tried (after 1, 4, 16... minutes) before a delivery shows as failed.
FEDERATION_MAX_ATTEMPTS = env.int("FEDERATION_MAX_ATTEMPTS", default=8)
FEDERATION_ALLOW_PRIVATE_ADDRESSES = env.bool("FEDERATION_ALLOW_PRIVATE_ADDRESSES",
                                              default=False)
# The cities' private keys are encrypted under this secret (SECRET_KEY when empty).
FEDERATION_KEY_SECRET = env("FEDERATION_KEY_SECRET", default="")
