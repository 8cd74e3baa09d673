"""The agenda widget for partners' websites: its API (words in the page's language,
readable from any origin, never a cookie), its snippet and its weight."""

import gzip
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from interra.agenda import widget
from tests.conftest import sign_in_staff
from tests.factories import RegistrationFactory, SessionFactory, UserFactory, coordinator

pytestmark = pytest.mark.django_db

URL = "/api/v1/sessions/widget"
OTHER_SITE = {"HTTP_ORIGIN": "https://maison-des-jeunes.example",
              "HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_SEC_FETCH_MODE": "cors"}


def test_the_next_sessions_with_every_word_in_the_language_asked(client, city, other_city):
    later = SessionFactory(workshop__city=city, capacity=5, newcomer_seats_percent=0,
                           local_seats_percent=0,
                           starts_at=timezone.now() + timedelta(days=3),
                           workshop__title={"fr": "Cuisine syrienne", "ar": "طبخ سوري"})
    soon = SessionFactory(workshop__city=city, capacity=1, newcomer_seats_percent=0,
                          local_seats_percent=0, starts_at=timezone.now() + timedelta(days=1),
                          workshop__title={"fr": "Peinture"})
    RegistrationFactory(session=soon)
    SessionFactory(workshop__city=other_city)

    french = client.get(URL, {"city": "liege", "lang": "fr-BE"}).json()
    assert (french["language"], french["direction"]) == ("fr", "ltr")
    assert french["texts"]["register_link"] == "S’inscrire"
    assert french["time_zone"] == "Europe/Brussels"
    assert french["agenda_url"] == f"{settings.SITE_URL}/agenda/?city=liege"
    assert [s["id"] for s in french["sessions"]] == [soon.pk, later.pk]
    first, second = french["sessions"]
    assert (first["full"], first["seats_text"]) == (True, "Complet\xa0: liste d’attente")
    assert second["seats_text"] == "5 places restantes" and not second["full"]
    assert second["title"] == "Cuisine syrienne"
    assert second["url"] == f"{settings.SITE_URL}/agenda/{later.pk}/"

    arabic = client.get(URL, {"city": "liege", "lang": "ar"}).json()
    assert (arabic["language"], arabic["direction"]) == ("ar", "rtl")
    assert arabic["sessions"][1]["title"] == "طبخ سوري"
    assert arabic["sessions"][0]["title"] == "Peinture"  # French when not translated
    assert arabic["texts"]["register_link"] not in {"Register", french["texts"]["register_link"]}
    assert all(arabic["texts"][key] != french["texts"][key] for key in arabic["texts"])

    assert client.get(URL, {"city": "liege", "limit": 1}).json()["sessions"][0]["id"] == soon.pk
    assert client.get(URL, {"city": "namur"}).json()["sessions"] != []
    assert client.get(URL, {"city": "nowhere"}).json()["sessions"] == []


@pytest.mark.parametrize(("asked", "answered"), [
    ("ar-MA", "ar"), ("fa", "fa"), ("ps", "ps"), ("UK", "uk"), ("en-GB", "en"),
    ("zz", "fr"), ("", "fr"), ("../../etc", "fr")])
def test_the_closest_language_else_french(asked, answered):
    assert widget.widget_language(asked) == answered


def test_bad_parameters_are_refused_clearly(client):
    assert client.get(URL, {"limit": 0}).status_code == 422
    assert client.get(URL, {"limit": 21}).status_code == 422
    assert client.get(URL, {"city": "x" * 51}).status_code == 422


def test_other_websites_may_read_it_and_nothing_sets_a_cookie(client, city):
    SessionFactory(workshop__city=city)
    response = client.get(URL, {"city": "liege", "lang": "ar"}, **OTHER_SITE)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert response.cookies == {} and "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["Content-Language"] == "ar"
    for url in ("/api/v1/sessions", f"/api/v1/sessions/{city.sessions.get().pk}",
                "/api/v1/openapi.json"):
        other = client.get(url, **OTHER_SITE)
        assert other.headers["Access-Control-Allow-Origin"] == "*", url
        assert other.cookies == {}, url


def test_a_signed_in_visitor_gets_no_cookie_either(city, settings):
    """Even where the site would send the session cookie again (a deployment that saves
    sessions on every request), the public read-only endpoints send no cookie."""
    settings.SESSION_SAVE_EVERY_REQUEST = True
    staff = sign_in_staff(Client(), coordinator(city))
    assert settings.SESSION_COOKIE_NAME in staff.get("/").cookies  # what the pages do
    response = staff.get(URL, {"lang": "fr"})
    assert response.status_code == 200 and response.cookies == {}
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_the_preflight_allows_reading_only(client):
    response = client.options(URL, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", **OTHER_SITE)
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert set(response.headers["Access-Control-Allow-Methods"].split(", ")) == {
        "GET", "HEAD", "OPTIONS"}
    assert response.cookies == {}


def test_writing_stays_same_origin(client, city):
    """Registrations and the coordinators' API are not opened to other websites: no CORS
    header, no preflight, and a cross-site browser post is still refused."""
    session = SessionFactory(workshop__city=city)
    path = f"/api/v1/sessions/{session.pk}/registrations"
    preflight = client.options(path, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST", **OTHER_SITE)
    assert "Access-Control-Allow-Origin" not in preflight.headers
    posted = client.post(path, {"name": "Amira", "email": "amira@example.org"},
                         content_type="application/json", **OTHER_SITE)
    assert posted.status_code == 403
    assert "Access-Control-Allow-Origin" not in posted.headers
    for url in ("/api/v1/venues/bookings", "/agenda/", f"/agenda/{session.pk}/"):
        assert "Access-Control-Allow-Origin" not in client.get(url, **OTHER_SITE).headers


def test_a_change_shows_at_once_despite_the_shared_cache(client, city):
    session = SessionFactory(workshop__city=city, capacity=3, newcomer_seats_percent=0,
                             local_seats_percent=0)
    assert client.get(URL).json()["sessions"][0]["seats_left"] == 3
    RegistrationFactory(session=session, seats=2)  # its save bumps the seats on commit
    assert client.get(URL).json()["sessions"][0]["seats_left"] == 1
    session.capacity = 5
    session.save()
    assert client.get(URL).json()["sessions"][0]["seats_left"] == 3


def test_the_snippet_a_partner_pastes(settings):
    settings.SITE_URL = "https://interra.example"
    html = widget.snippet(city="liege", language="ar", limit=3)
    assert html.startswith('<interra-agenda city="liege" lang="ar" limit="3">')
    assert '<a href="https://interra.example/agenda/?city=liege">' in html
    assert '<script src="https://interra.example/static/agenda/widget.js" async></script>' in html
    assert "&lt;" not in widget.snippet(city="liege", language="fr")
    assert '"><script' not in widget.snippet(city='"><script>', language="fr")


def test_the_widget_script_weighs_under_15_kb_gzipped(capsys):
    source = finders.find(widget.SCRIPT_PATH)
    raw = open(source, "rb").read()
    gzipped = len(gzip.compress(raw, compresslevel=9))
    with capsys.disabled():
        print(f"\nagenda/widget.js: {len(raw)} bytes, {gzipped} bytes gzipped")
    assert gzipped < 15 * 1024
    # No framework, no storage, no cookie, credentials never sent.
    text = raw.decode()
    for forbidden in ("document.cookie", "localStorage", "sessionStorage", "indexedDB",
                      "import ", "innerHTML"):
        assert forbidden not in text
    assert 'credentials: "omit"' in text


def test_people_are_never_in_it(client, city):
    session = SessionFactory(workshop__city=city)
    RegistrationFactory(session=session, person=UserFactory(display_name="Zainab Haddad",
                                                             email="zainab@example.org"))
    body = client.get(URL).content.decode()
    assert "Zainab" not in body and "zainab@" not in body
