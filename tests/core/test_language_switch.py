"""The language switcher takes no CSRF token: another site cannot switch a visitor's
language, which the browser tells by Sec-Fetch-Site, or else by Origin."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SWITCH = {"language": "ti", "next": "/agenda/"}


def _switch(**headers):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", SWITCH, headers=headers)
    return response, client.cookies.get("django_language")


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another site's code
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"},
    {"Origin": "https://evil.example"},
    {"Origin": "null"},  # sandboxed frames, privacy redirects
    {"Origin": "https://testserver"},  # another scheme is another origin
])
def test_a_switch_from_another_site_is_refused_and_changes_nothing(headers):
    response, cookie = _switch(**headers)
    assert response.status_code == 403
    assert cookie is None


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "same-origin"},
    {"Sec-Fetch-Site": "none"},  # typed in the address bar
    {"Origin": "http://testserver"},
    {},  # no browser headers: a program, or a browser too old to send them
])
def test_a_switch_from_this_site_works(headers):
    response, cookie = _switch(**headers)
    assert response.status_code == 302 and response["Location"] == "/agenda/"
    assert cookie.value == "ti"


def test_a_get_changes_nothing():
    client = Client()
    response = client.get("/i18n/setlang/", SWITCH, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 302 and "django_language" not in client.cookies
