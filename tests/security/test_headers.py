"""Production security headers (the real prod settings, in a subprocess) and CSRF on every
form and every POST endpoint."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import sign_in_staff
from tests.factories import coordinator

from .test_crawl import CONVERTER_RE, url_patterns

ROOT = Path(__file__).resolve().parents[2]

PROD_PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client

client = Client()
out = {"settings": {name: getattr(settings, name, None) for name in (
    "DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS", "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY")}}
http = client.get("/privacy/", headers={"host": "interra.example"})
out["http"] = {"status": http.status_code, "location": http.get("Location", "")}
for name, path in (("home", "/"), ("privacy", "/privacy/"), ("missing", "/nope/")):
    response = client.get(path, secure=True, headers={"host": "interra.example"})
    out[name] = {"status": response.status_code, "headers": dict(response.headers),
                 "body": response.content.decode("utf-8", "replace")[:3000]}
evil = client.get("/privacy/", secure=True, headers={"host": "evil.example"})
out["evil_host"] = evil.status_code
print("PROBE" + json.dumps(out))
"""


@pytest.fixture(scope="module")
def prod(tmp_path_factory):
    """What the production settings answer, from a fresh process with the prod env."""
    database = tmp_path_factory.mktemp("prod") / "prod.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))},
        "DJANGO_SETTINGS_MODULE": "interra.config.settings.prod",
        "SECRET_KEY": "a-real-production-secret-" + "k" * 40,
        "EMAIL_URL": "smtp://localhost:25",
        # One machine: SQLite and the cache in it (the production settings refuse a
        # per-process cache, console messages and SQLite without it).
        "ONE_SERVER": "1",
        "ALLOWED_HOSTS": "interra.example",
        "SITE_URL": "https://interra.example",
        "DATABASE_URL": f"sqlite:///{database}",
        # Production serves hashed static files: collect them first, as a deployment does.
        "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    migrate = subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"],
                             env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    cache_table = subprocess.run([sys.executable, str(ROOT / "manage.py"), "createcachetable"],
                                 env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert cache_table.returncode == 0, cache_table.stderr[-2000:]
    collect = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v0"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert collect.returncode == 0, collect.stderr[-2000:]
    result = subprocess.run([sys.executable, "-c", PROD_PROBE], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("PROBE"))
    return json.loads(line[len("PROBE"):])


def test_prod_refuses_an_insecure_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "interra.config.settings.prod",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    env.pop("SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"],
                            env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_prod_settings_are_safe(prod):
    settings = prod["settings"]
    assert settings["DEBUG"] is False
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SESSION_COOKIE_SECURE"] is True and settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_HSTS_SECONDS"] >= 31536000


def test_plain_http_is_redirected_to_https(prod):
    assert prod["http"]["status"] == 301
    assert prod["http"]["location"].startswith("https://interra.example/")


@pytest.mark.parametrize("page", ["home", "privacy", "missing"])
def test_security_headers_on_every_answer(prod, page):
    headers = {k.lower(): v for k, v in prod[page]["headers"].items()}
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] in {"same-origin", "strict-origin-when-cross-origin",
                                          "no-referrer", "strict-origin"}
    hsts = headers["strict-transport-security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000
    assert "includeSubDomains" in hsts
    assert headers.get("cross-origin-opener-policy") == "same-origin"
    csp = dict(d.strip().split(" ", 1) for d in headers["content-security-policy"].split(";"))
    # Our static files, plus the request's nonce when the page used one; never inline.
    assert csp["script-src"].startswith("'self'") and "unsafe" not in csp["script-src"]
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    policy = headers["permissions-policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy


def test_errors_in_prod_show_no_debug_page(prod):
    assert prod["missing"]["status"] == 404
    assert "Traceback" not in prod["missing"]["body"]
    assert "DEBUG = True" not in prod["missing"]["body"]


def test_unknown_hosts_are_refused(prod):
    assert prod["evil_host"] == 400


# --- CSRF ---------------------------------------------------------------------------------

# Views without cookie authentication that partner websites call across origins.
CSRF_FREE = {"api:create_registration", "api:list_sessions", "api:get_session",
             "api:widget_sessions",
             "api:openapi-json", "api:openapi-view", "api:api-root",
             # Server-to-server ActivityPub: reads no cookie, takes only requests signed
             # with the sender's key (HTTP Signatures); unsigned ones get 401.
             "federation:inbox",
             # The language switcher: refused from other sites by Sec-Fetch-Site/Origin
             # (tests/core/test_language_switch.py), so that pages need no token.
             "set_language"}


def _fill(route: str) -> str:
    def value(match):
        if match.group("conv") == "uuid":  # so that the URL resolves and CSRF is checked
            return "00000000-0000-4000-8000-000000000001"
        return {"city_slug": "liege", "theme": "cooking", "token": "abc", "year": "2026",
                "month": "1"}.get(match.group("name"), "1")

    return "/" + CONVERTER_RE.sub(value, route)


@pytest.fixture
def strict_coordinator(city):
    """A strongly signed-in coordinator whose client enforces CSRF like a browser does."""
    relaxed = Client()
    sign_in_staff(relaxed, coordinator(city))
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = relaxed.cookies
    return strict


@pytest.mark.django_db
def test_every_post_without_csrf_token_is_refused(strict_coordinator):
    anonymous = Client(enforce_csrf_checks=True)
    missed = []
    for route, name, _converters in url_patterns():
        if name in CSRF_FREE:
            continue
        url = _fill(route)
        for client in (anonymous, strict_coordinator):
            response = client.post(url, {"action": "cancel", "confirm": "on"})
            # 405: nothing answers a POST there (GET-only views, the public API's reads).
            if response.status_code not in (403, 405):
                missed.append(f"{name} {url}: {response.status_code}")
    assert not missed, "POST accepted without a CSRF token:\n" + "\n".join(missed)


@pytest.mark.django_db
def test_the_coordinators_json_api_checks_csrf(strict_coordinator):
    response = strict_coordinator.post("/api/v1/venues/bookings/1/cancel")
    assert response.status_code == 403


@pytest.mark.django_db
def test_every_post_form_carries_a_csrf_token(client, city, strict_coordinator):
    from tests.factories import RegistrationFactory, SessionFactory

    registration = RegistrationFactory(session=SessionFactory(workshop__city=city))
    session = registration.session
    pages = [
        "/", "/accounts/sign-in/", "/accounts/staff/sign-in/", "/proposals/new/",
        f"/agenda/{session.pk}/", f"/agenda/r/{registration.token}/",
        f"/agenda/r/{registration.token}/feedback/",
    ]
    staff_pages = [
        "/agenda/staff/", "/agenda/staff/new/", f"/agenda/staff/{session.pk}/",
        f"/agenda/lead/{session.pk}/", "/proposals/board/", "/proposals/tasks/",
        "/venues/", "/venues/bookings/", "/venues/materials/", "/venues/import/",
        f"/venues/rooms/{session.room_id}/book/", "/accounts/me/", "/accounts/me/data/",
        f"/impact/highlights/{city.slug}/2026/", "/staff/people/",
    ]
    forms = 0
    problems = []
    for page_client, urls in ((client, pages), (strict_coordinator, staff_pages)):
        for url in urls:
            response = page_client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            for form in re.findall(r"<form\b[^>]*>.*?</form>", html, flags=re.S | re.I):
                opening = form[:form.index(">")]
                if not re.search(r"method\s*=\s*['\"]?post", opening, flags=re.I):
                    continue
                forms += 1
                if "csrfmiddlewaretoken" not in form and "/i18n/setlang/" not in opening:
                    problems.append(f"{url}: {opening[:120]}")
    assert forms >= 15
    assert not problems, "POST forms without a CSRF token:\n" + "\n".join(problems)
