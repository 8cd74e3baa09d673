"""The production settings fail closed, and the server entry points run them by default.

Each case is a fresh process, as a server starts: what it refuses, it refuses before
serving anything, naming the variables to set.
"""

import pytest

from .conftest import clean_env, run_python

PROD = "interra.config.settings.prod"
SECRET = "a-real-production-secret-" + "k" * 40
# The multi-server set-up of docs/deployment.md (nothing connects while settings load).
DOCUMENTED = {
    "DJANGO_SETTINGS_MODULE": PROD,
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "interra.example",
    "SITE_URL": "https://interra.example",
    "DATABASE_URL": "postgres://interra:secret@db.internal:5432/interra",
    "CACHE_URL": "redis://cache.internal:6379/0",
    "EMAIL_URL": "smtp+tls://interra:secret@smtp.example.org:587",
    "SMS_URL": "twilio://ACxxxx:token@api.twilio.com?from=%2B32460000000",
}
PROBE = ("import django, json; django.setup(); from django.conf import settings as s; "
         "print('PROBE' + json.dumps({'module': s.SETTINGS_MODULE, 'debug': s.DEBUG, "
         "'cache': s.CACHES['default']['BACKEND'], 'mail': s.MAILERS['default']['BACKEND'], "
         "'redirect': s.SECURE_SSL_REDIRECT, 'secure_cookies': s.SESSION_COOKIE_SECURE, "
         "'hsts': s.SECURE_HSTS_SECONDS, 'csp': bool(s.SECURE_CSP), "
         "'csp_report_only': bool(s.SECURE_CSP_REPORT_ONLY), "
         "'cache_options': s.CACHES['default'].get('OPTIONS', {})}))")


def _probe(env) -> dict:
    import json

    result = run_python(PROBE, env)
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("PROBE"))
    return json.loads(line[len("PROBE"):])


def test_only_a_secret_key_and_hosts_is_refused_naming_what_is_missing():
    result = run_python("import django; django.setup()", clean_env(
        DJANGO_SETTINGS_MODULE=PROD, SECRET_KEY=SECRET, ALLOWED_HOSTS="interra.example"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    for variable in ("SITE_URL", "DATABASE_URL", "CACHE_URL", "EMAIL_URL", "SMS_URL"):
        assert variable in result.stderr, variable
    assert "SECRET_KEY" not in result.stderr.split("refuse to start")[-1]


@pytest.mark.parametrize("module", ["interra.config.wsgi", "interra.config.asgi"])
def test_server_entry_points_run_the_production_settings_by_default(module):
    # Without DJANGO_SETTINGS_MODULE: the development settings would start (DEBUG on).
    refused = run_python(f"import {module}", clean_env(SECRET_KEY=SECRET))
    assert refused.returncode != 0 and "DATABASE_URL" in refused.stderr
    env = clean_env(**DOCUMENTED)
    del env["DJANGO_SETTINGS_MODULE"]
    result = run_python(f"import {module}; from django.conf import settings; "
                        "print('MODULE', settings.SETTINGS_MODULE, settings.DEBUG)", env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"MODULE {PROD} False" in result.stdout


def test_the_documented_set_starts_https_only():
    settings = _probe(clean_env(**DOCUMENTED))
    assert settings["debug"] is False
    assert settings["cache"] == "interra.core.cache.RedisCache"  # Django's, one client kept
    assert settings["mail"] == "django.core.mail.backends.smtp.EmailBackend"
    assert settings["redirect"] is True and settings["secure_cookies"] is True
    assert settings["hsts"] >= 31536000


@pytest.mark.parametrize(("variable", "value"), [
    ("CACHE_URL", "locmemcache://interra"),
    ("CACHE_URL", "dummycache://"),
    ("EMAIL_URL", "consolemail://"),
    ("SMS_URL", "console://"),
    ("SMS_URL", ""),
    ("DATABASE_URL", "sqlite:////tmp/interra.sqlite3"),
    ("SITE_URL", "http://interra.example"),
])
def test_each_silent_failure_is_refused_by_name(variable, value):
    result = run_python("import django; django.setup()",
                        clean_env(**{**DOCUMENTED, variable: value}))
    assert result.returncode != 0
    problems = result.stderr.split("refuse to start")[-1]
    assert variable in problems
    named = {v for v in ("CACHE_URL", "EMAIL_URL", "SMS_URL", "DATABASE_URL", "SITE_URL")
             if f"- {v}" in problems}
    assert named == {variable}, problems


def test_one_server_accepts_sqlite_a_database_cache_and_printed_messages():
    settings = _probe(clean_env(DJANGO_SETTINGS_MODULE=PROD, SECRET_KEY=SECRET, ONE_SERVER=1,
                                HTTPS=0, SITE_URL="http://127.0.0.1:8000"))
    assert settings["debug"] is False
    # Shared by every process: the database, not a process's memory.
    assert settings["cache"] == "interra.core.cache.DatabaseCache"
    assert settings["mail"] == "interra.core.mail.ConsoleEmailBackend"
    # Plain http on 127.0.0.1 works: no redirect to https, cookies sent over http.
    assert settings["redirect"] is False and settings["secure_cookies"] is False
    assert settings["hsts"] == 0
    assert settings["cache_options"]["MAX_ENTRIES"] >= 10000  # not Django's 300
    assert settings["csp"] is True


def test_one_server_still_refuses_a_per_process_cache():
    result = run_python("import django; django.setup()", clean_env(
        DJANGO_SETTINGS_MODULE=PROD, SECRET_KEY=SECRET, ONE_SERVER=1, HTTPS=0,
        SITE_URL="http://127.0.0.1:8000", CACHE_URL="locmemcache://"))
    assert result.returncode != 0
    assert "- CACHE_URL" in result.stderr


def test_development_prints_readable_emails_too():
    settings = _probe(clean_env(DJANGO_SETTINGS_MODULE="interra.config.settings.dev"))
    assert settings["mail"] == "interra.core.mail.ConsoleEmailBackend"


def test_development_reports_the_policy_so_the_debug_page_works():
    settings = _probe(clean_env(DJANGO_SETTINGS_MODULE="interra.config.settings.dev"))
    assert settings["csp"] is False and settings["csp_report_only"] is True
    production = _probe(clean_env(**DOCUMENTED))
    assert production["csp"] is True


def test_a_production_install_has_the_package_and_no_test_tools(tmp_path):
    """`make install-prod` (uv sync --no-dev): Interra importable, no test tools."""
    import os
    import subprocess

    from .conftest import ROOT, missing_tool

    uv = ROOT / ".tools" / "bin" / "uv"
    if not uv.exists():
        missing_tool("uv is installed by `make install`")
    python = subprocess.run([str(ROOT / "scripts" / "find-python.sh")], capture_output=True,
                            text=True).stdout.strip()
    venv = tmp_path / "venv"
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv), "UV_PYTHON_DOWNLOADS": "never"}
    synced = subprocess.run([str(uv), "sync", "--frozen", "--no-dev", "--python", python, "-q"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert synced.returncode == 0, synced.stderr[-3000:]
    check = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import importlib.util as u, interra.config, gunicorn, psycopg, redis; "
         "print([m for m in ('pytest', 'playwright', 'hypothesis', 'ruff', 'factory') "
         "if u.find_spec(m)])"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr[-3000:]
    assert check.stdout.strip() == "[]"
