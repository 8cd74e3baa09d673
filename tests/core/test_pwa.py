"""Installable web app: a valid manifest linked from every page, a service worker that
keeps nothing personal (its behaviour in Chromium: tests/browser/test_pwa.py)."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


def test_the_manifest_is_complete_and_its_icons_exist(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == manifest["short_name"] == "Interra"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == manifest["scope"] == "/"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    assert (manifest["lang"], manifest["dir"]) == ("fr", "ltr")
    assert client.get(manifest["start_url"]).status_code == 200
    sizes = set()
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        assert path, icon["src"]
        if icon["type"] == "image/png":
            width, height = Image.open(path).size
            assert icon["sizes"] == f"{width}x{height}"
            sizes.add(width)
    assert {192, 512} <= sizes  # what Android and desktop browsers need to install


def test_the_manifest_speaks_the_visitors_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    manifest = client.get("/manifest.webmanifest").json()
    assert (manifest["lang"], manifest["dir"]) == ("ar", "rtl")
    assert re.search("[\u0600-\u06ff]", manifest["description"])


def test_every_page_links_the_manifest_theme_colour_and_home_screen_icon(client):
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    theme = re.search(r'<meta name="theme-color" content="([^"]+)">', html).group(1)
    assert theme == client.get("/manifest.webmanifest").json()["theme_color"]
    icon = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', html).group(1)
    assert Image.open(finders.find(icon.removeprefix(settings.STATIC_URL))).size == (180, 180)


def test_the_service_worker_keeps_only_static_files_and_the_offline_page(client):
    response = client.get("/sw.js")
    assert response["Content-Type"] == "text/javascript"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    # What it stores: the offline page (fetched without cookies) and /static/ files.
    assert 'const OFFLINE = "/offline/"' in body and 'credentials: "omit"' in body
    assert body.count("cache.put(") == 1 and 'startsWith("/static/")' in body
    assert client.get("/offline/").status_code == 200
