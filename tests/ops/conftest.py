"""Helpers for the operations tests: a fresh Python process with a chosen environment,
as a server would start (the settings are read once per process)."""

import http.client
import os
import socket
import subprocess
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What a shell may carry that would change which settings a process reads.
SETTINGS_VARIABLES = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CACHE_URL", "EMAIL_URL",
                      "SMS_URL", "SMS_BACKEND", "ONE_SERVER", "HTTPS", "SITE_URL",
                      "SECRET_KEY", "ALLOWED_HOSTS", "PYTHONPATH", "SECURE_SSL_REDIRECT")


def clean_env(**variables) -> dict:
    """The current environment without any setting, plus ``variables``. No PYTHONPATH:
    the project must be importable as the installed package."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update({k: str(v) for k, v in variables.items()})
    return env


def run_python(code: str, env: dict, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def missing_tool(reason: str):
    """A tool these tests need is absent. On a developer's machine that skips the test; in
    CI (CI is set, and `make test` installs every tool) it is a failure, so a missing
    install step can never pass silently."""
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must provide it)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_request(method, base, path, *, body=None, headers=None, source="127.0.0.1"):
    """One request on its own connection, from ``source`` (any 127.x.y.z address is this
    machine): (status, headers, body)."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120,
                                            source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        headers = dict(response.getheaders())
        headers["Set-Cookie"] = "; ".join(response.msg.get_all("Set-Cookie") or [])
        return response.status, headers, response.read()
    finally:
        connection.close()
