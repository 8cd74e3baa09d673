"""Laptop defaults: debug on, console email and SMS."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
if DEBUG:
    # Django's debug page has inline scripts: report violations in the browser console
    # instead of blocking them (tests and production enforce the policy).
    SECURE_CSP_REPORT_ONLY = SECURE_CSP  # noqa: F405
    SECURE_CSP = {}

# Web push: a VAPID key made on first use and kept out of the repository.
VAPID_KEY_FILE = env("VAPID_KEY_FILE", default=str(VAR_DIR / "vapid_private_key.txt"))  # noqa: F405
