"""Real concurrent clients against real server processes on the test database.

``server_url`` starts gunicorn (several worker processes, several threads each) on the
database the test itself uses (a file for SQLite, the test database on PostgreSQL), so the
rows a test creates are what the server sees, and what the server commits the test can
count afterwards.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings['NAME']}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server_env() -> dict:
    """More environment for the server (a test module may override this fixture)."""
    return {}


@pytest.fixture
def server_url(transactional_db, server_env):
    """Base URL of a gunicorn serving the test database with 4 processes × 8 threads."""
    port = _free_port()
    # A file, not a pipe: nobody reads a pipe while the server runs, and once its 64 KB
    # are full (Django logs two lines per task) every worker blocks on its next write.
    output = tempfile.TemporaryFile()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "interra.config.settings.test",
        "DATABASE_URL": _database_url(),
        "RATELIMIT_ENABLE": "0",
        "PYTHONPATH": str(ROOT / "src"),
        "CONN_MAX_AGE": "0",
        **server_env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "interra.config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "4", "--threads", "8",
         "--worker-class", "gthread", "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health/", timeout=10) as response:
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None:
                output.seek(0)
                raise RuntimeError(output.read().decode()) from None
            time.sleep(0.2)
    else:
        process.kill()
        output.seek(0)
        raise RuntimeError("gunicorn did not answer /health/ in 180 s:\n"
                           + output.read().decode()[-3000:])
    yield url
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    connection.close()  # the server's writes are committed; start a fresh connection
    output.close()
