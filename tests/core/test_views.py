import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "accept, lang, direction",
    [("ar", "ar", "rtl"), ("fr", "fr", "ltr"), ("fa-IR,fa;q=0.9", "fa", "rtl"),
     ("ps", "ps", "rtl"), ("uk", "uk", "ltr"), ("ti", "ti", "ltr"), ("de", "fr", "ltr")],
)
def test_accept_language_picks_language_and_direction(client, accept, lang, direction):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html


@pytest.mark.django_db
def test_home_is_translated_in_arabic_and_french(client):
    ar = client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    fr = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Des ateliers qui rassemblent" in fr
    assert re.search(r"<h1>[^<]*[\u0600-\u06FF]", ar), "the Arabic home page has an Arabic title"


@pytest.mark.django_db
def test_every_language_has_a_compiled_catalogue():
    locale = Path(settings.SRC_DIR) / "locale"
    for code, _name in settings.LANGUAGES:
        assert (locale / code / "LC_MESSAGES" / "django.po").exists(), code


@pytest.mark.django_db
def test_language_switcher_sets_the_language(client):
    response = client.post("/i18n/setlang/", {"language": "uk", "next": "/"})
    assert response.status_code == 302
    assert 'lang="uk"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_home_page_weighs_under_100_kb_with_its_assets(client):
    html = client.get("/").content
    assets = re.findall(rb'(?:href|src)="(/static/[^"#]+)"', html)
    total = len(html)
    for url in set(assets):
        path = finders.find(url.decode().removeprefix(settings.STATIC_URL))
        assert path, url
        total += Path(path).stat().st_size
    assert total < 100 * 1024, f"home page and its assets weigh {total} bytes"


@pytest.mark.django_db
def test_health_answers_and_the_bench_baseline_is_not_served(client):
    assert client.get("/health/").json() == {"status": "ok"}
    # /bare/ exists only in the benchmarks' URLconf (bench/bench_urls.py).
    assert client.get("/bare/").status_code == 404


@pytest.mark.django_db
def test_unknown_page_is_a_translated_404(client):
    response = client.get("/nope/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_production_profile_passes_check_deploy():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "interra.config.settings.prod",
        "SECRET_KEY": "a-long-random-production-secret-" + "k" * 40,
        "ALLOWED_HOSTS": "interra.example",
        "SITE_URL": "https://interra.example",
        # The multi-server set of docs/deployment.md (nothing connects during the checks).
        "DATABASE_URL": "postgres://interra:secret@db.interra.example:5432/interra",
        "CACHE_URL": "redis://cache.interra.example:6379/0",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.interra.example:587",
        "SMS_URL": "twilio://ACxxxx:token@api.twilio.com?from=%2B32460000000",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_default_secret_key():
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "interra.config.settings.prod"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_nul_characters_are_refused_with_a_clear_400(client):
    assert client.get("/agenda/?theme=%00").status_code == 400
    assert client.get("/", {"q": "a\x00b"}).status_code == 400
    response = client.post("/api/v1/sessions/1/registrations", data='{"name": "a\\u0000"}',
                           content_type="application/json")
    assert response.status_code == 400
    assert client.get("/agenda/?theme=cooking").status_code == 200


@pytest.mark.django_db
def test_a_too_big_json_body_is_a_clear_413_in_json(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/api/v1/sessions/1/registrations",
                           data='{"name": "%s"}' % ("a" * 2000), content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "too big" in response.json()["detail"]
