"""Test defaults: tasks run at once, messages stay in memory, hashing is fast."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SMS_BACKEND = "interra.notifications.sms.LocmemSMSBackend"
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: concurrency tests start real server processes on the test
    # database, and they must see the same rows as the test.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

# Web push: a VAPID key made on first use and kept out of the repository.
VAPID_KEY_FILE = env("VAPID_KEY_FILE", default=str(VAR_DIR / "vapid_private_key.txt"))  # noqa: F405
PUSH_ALLOW_LOCAL_ENDPOINTS = True  # the tests' local push service listens on 127.0.0.1
