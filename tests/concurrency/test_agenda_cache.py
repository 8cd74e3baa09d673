"""The agenda list from a cache shared by several server processes (Redis, as in
production): a registration through one process, or a change made by another program,
shows at once in every process's answers; nothing personal travels between visitors."""

import http.client
import os
import re
import urllib.parse
from datetime import timedelta

import pytest
from django.utils import timezone

from interra.agenda import cache as agenda_cache
from interra.agenda import services
from tests.factories import CityFactory, SessionFactory
from tests.ops.conftest import missing_tool

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
REQUESTS = 24  # fresh connections: gunicorn spreads them over its 4 processes


def _redis_or_skip():
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001 (any failure means: no Redis here)
        missing_tool(f"Redis not reachable at {REDIS_URL}: {exc}")


@pytest.fixture
def server_env():
    _redis_or_skip()
    return {"CACHE_URL": REDIS_URL}


@pytest.fixture
def shared_cache(settings):
    """This test process uses the servers' cache too (as the worker and the scheduler
    do), with a new listing version: entries of earlier runs are never read."""
    settings.CACHES = {"default": {"BACKEND": "interra.core.cache.RedisCache",
                                   "LOCATION": REDIS_URL}}
    agenda_cache._bump(agenda_cache.LISTING_KEY)


def _get(base: str, path: str, headers=None) -> tuple[int, dict, str]:
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request("GET", path, headers={"Accept-Language": "en", **(headers or {})})
        response = connection.getresponse()
        headers = {"set-cookie": "; ".join(response.msg.get_all("Set-Cookie") or [])}
        return response.status, headers, response.read().decode()
    finally:
        connection.close()


def _seats_everywhere(base: str, session) -> set[int]:
    seen = set()
    for _ in range(REQUESTS):
        status, _headers, html = _get(base, "/agenda/")
        assert status == 200
        card = re.search(rf'data-seats-left="(\d+)"><a href="/agenda/{session.pk}/"', html)
        seen.add(int(card.group(1)) if card else -1)
    return seen


def _register(base: str, session, email: str, seats: int):
    status, headers, html = _get(base, f"/agenda/{session.pk}/")
    assert status == 200
    cookie = re.search(r"csrftoken=([^;]+)", headers["set-cookie"]).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "name": "Olena",
                                   "phone": "", "email": email, "group": "undisclosed",
                                   "seats": str(seats), "consent": "on"})
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request("POST", f"/agenda/{session.pk}/register/", body=body, headers={
            "Cookie": f"csrftoken={cookie}",
            "Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        response.read()
        assert response.status == 302, response.status
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_every_process_shows_a_write_at_once(server_url, shared_cache):
    city = CityFactory(name="Liège", slug="liege")
    starts = timezone.now() + timedelta(days=3)
    session = SessionFactory(workshop__city=city, capacity=5, newcomer_seats_percent=0,
                             local_seats_percent=0, starts_at=starts,
                             ends_at=starts + timedelta(hours=2))
    assert _seats_everywhere(server_url, session) == {5}  # every process has it cached

    _register(server_url, session, "olena@example.org", seats=2)  # through one process
    assert _seats_everywhere(server_url, session) == {3}

    # A change made by another program (a coordinator's request, the scheduler...).
    session.refresh_from_db()
    session.capacity = 9
    session.save()
    assert _seats_everywhere(server_url, session) == {7}
    services.session_cancel(session=session)
    assert _seats_everywhere(server_url, session) == {-1}  # gone from the list


@pytest.mark.django_db(transaction=True)
def test_visitors_get_their_own_csrf_tokens_from_every_process(server_url, shared_cache):
    """A session page (its registration form) from each process's copy: every visitor
    gets their own token and cookie; the list, whose only form is the language switcher,
    gives none."""
    city = CityFactory(name="Liège", slug="liege")
    session = SessionFactory(workshop__city=city)
    tokens, cookies = set(), set()
    for _ in range(REQUESTS):
        status, headers, html = _get(server_url, f"/agenda/{session.pk}/")
        assert status == 200 and agenda_cache.CSRF_PLACEHOLDER not in html
        tokens.add(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))
        cookies.add(re.search(r"csrftoken=([^;]+)", headers["set-cookie"]).group(1))
        status, headers, html = _get(server_url, "/agenda/")
        assert status == 200 and "csrfmiddlewaretoken" not in html
        assert "csrftoken" not in headers["set-cookie"]
    assert len(tokens) == len(cookies) == REQUESTS
