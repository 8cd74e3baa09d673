"""The JSON API under attack: malformed bodies, wrong types, absurd values, XSS strings.

Refusals are 4xx with a message and create nothing (no person, no registration); what is
accepted and later shown on a page is escaped there.
"""

import json

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interra.accounts.models import User
from interra.agenda.models import Registration
from tests.conftest import sign_in_staff
from tests.factories import SessionFactory, coordinator

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def session(city):
    return SessionFactory(workshop__city=city, capacity=6, max_seats_per_registration=3)


def _url(session_or_id):
    pk = getattr(session_or_id, "pk", session_or_id)
    return f"/api/v1/sessions/{pk}/registrations"


def _counts():
    return User.objects.count(), Registration.objects.count()


def _assert_refused(response, *statuses):
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    body = response.json()
    assert body.get("detail"), body  # a message, not an empty refusal
    return body


def test_openapi_schema_is_served_and_lists_registration(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/sessions/{session_id}/registrations" in schema.json()["paths"]


@pytest.mark.parametrize("raw", [
    b"", b"{", b"not json", b"[]", b"null", b"42", b'"a string"', b"{'name': 'single'}",
    b'{"name": "A", "email": "a@example.org",}', "{\"name\": \"\udcff\"}".encode(
        "utf-8", "surrogatepass"), b"\xff\xfe\x00garbage", b'{"name": ' + b"[" * 5000,
])
def test_malformed_json_is_refused_without_creating_anything(client, session, raw):
    before = _counts()
    response = client.generic("POST", _url(session), raw, content_type="application/json")
    _assert_refused(response, 400, 422)
    assert _counts() == before


@pytest.mark.parametrize("payload", [
    {},
    {"email": "a@example.org"},  # no name
    {"name": "", "email": "a@example.org"},
    {"name": "A" * 81, "email": "a@example.org"},
    {"name": 12, "email": "a@example.org"},
    {"name": ["A"], "email": "a@example.org"},
    {"name": {"$gt": ""}, "email": "a@example.org"},
    {"name": None, "email": "a@example.org"},
    {"name": "A", "email": ["a@example.org"]},
    {"name": "A", "email": "a" * 300 + "@example.org"},
    {"name": "A", "email": "not-an-email"},
    {"name": "A", "email": "a@example.org\r\nBcc: all@example.org"},
    {"name": "A"},  # neither email nor phone
    {"name": "A", "email": "", "phone": ""},
    {"name": "A", "phone": "call me maybe"},
    {"name": "A", "phone": "9" * 31},
    {"name": "A", "email": "a@example.org", "seats": 0},
    {"name": "A", "email": "a@example.org", "seats": -1},
    {"name": "A", "email": "a@example.org", "seats": 99999999999999999999},
    {"name": "A", "email": "a@example.org", "seats": 1e308},
    {"name": "A", "email": "a@example.org", "seats": "many"},
    {"name": "A", "email": "a@example.org", "seats": 2.5},
    {"name": "A", "email": "a@example.org", "seats": None},
    {"name": "A", "email": "a@example.org", "seats": 4},  # over the session's limit of 3
    {"name": "A", "email": "a@example.org", "seats": 20},
    {"name": "A", "email": "a@example.org", "group": "martian"},
    {"name": "A", "email": "a@example.org", "group": 1},
    {"name": "A", "email": "a@example.org", "language": "x" * 9},
])
def test_wrong_types_missing_fields_and_absurd_values_are_refused(client, session, payload):
    before = _counts()
    response = client.post(_url(session), payload, content_type="application/json")
    _assert_refused(response, 400, 409, 422)
    assert _counts() == before


@pytest.mark.parametrize("session_id", ["0", "-1", "abc", "99999999999999999999", "1e3", "%00",
                                        "ü"])
def test_absurd_session_ids_answer_4xx(client, session, session_id):
    before = _counts()
    payload = {"name": "A", "email": "a@example.org"}
    response = client.post(_url(session_id), payload, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert _counts() == before
    assert 400 <= client.get(f"/api/v1/sessions/{session_id}").status_code < 500


@pytest.mark.parametrize("query", [
    {"limit": "0"}, {"limit": "100000"}, {"offset": "-1"}, {"limit": "abc"},
    {"date": "2024-13-45"}, {"date": "x" * 1000}, {"offset": "99999999999999999999"},
    {"city": XSS}, {"theme": "\x00"}, {"beginner_french": "maybe"},
])
def test_session_list_filters_never_crash(client, session, query):
    response = client.get("/api/v1/sessions", query)
    assert response.status_code in (200, 400, 422)


def test_refusals_on_closed_sessions_create_nobody(client, city):
    from datetime import timedelta

    from django.utils import timezone

    past = SessionFactory(workshop__city=city, starts_at=timezone.now() - timedelta(days=1))
    before = _counts()
    response = client.post(_url(past), {"name": "New Person", "email": "new@example.org"},
                           content_type="application/json")
    _assert_refused(response, 400)
    assert _counts() == before


def test_refusal_messages_are_translated(client, session):
    payload = {"name": "A", "email": "a@example.org", "seats": 4}
    english = client.post(_url(session), payload, content_type="application/json",
                          headers={"accept-language": "en"}).json()["detail"]
    french = client.post(_url(session), payload, content_type="application/json",
                         headers={"accept-language": "fr"}).json()["detail"]
    with translation.override("fr"):
        assert english != french or translation.gettext(english) == english


def test_stored_xss_in_names_is_escaped_on_pages(client, city, session):
    response = client.post(_url(session), {"name": XSS, "email": "xss@example.org"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    person = User.objects.get(email="xss@example.org")
    assert person.display_name == XSS  # stored as given, escaped when shown
    registration = Registration.objects.get(person=person)
    pages = [f"/agenda/r/{registration.token}/", f"/agenda/r/{registration.token}/feedback/"]
    staff = coordinator(city)
    staff_client = type(client)()
    sign_in_staff(staff_client, staff)
    staff_pages = [f"/agenda/staff/{session.pk}/", "/staff/people/?q=script"]
    for page_client, urls in ((client, pages), (staff_client, staff_pages)):
        for url in urls:
            page = page_client.get(url)
            assert page.status_code == 200, url
            html = page.content.decode()
            assert "<script>alert" not in html, url
            assert "onerror=alert" not in html or "&lt;img" in html, url
    # The leader's attendance list shows it escaped too.
    leader_client = type(client)()
    leader_client.force_login(session.workshop.leader)
    html = leader_client.get(f"/agenda/lead/{session.pk}/").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html


def test_xss_through_the_html_form_is_escaped(client, city, session):
    response = client.post(f"/agenda/{session.pk}/register/",
                           {"name": XSS, "email": "form@example.org", "seats": 1,
                            "group": "local", "consent": "on"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html


def test_venues_api_refuses_anonymous_and_garbage(client, city):
    assert client.post("/api/v1/venues/bookings", {}, content_type="application/json"
                       ).status_code in (401, 403)
    staff_client = sign_in_staff(client, coordinator(city))
    for raw in (b"{", b"[]", json.dumps({"room_id": "x", "workshop_id": -1}).encode(),
                json.dumps({"room_id": 99999999999999999999, "workshop_id": 1,
                            "starts_at": "2030-01-01T10:00", "ends_at": "2029-01-01T10:00"}
                           ).encode()):
        response = staff_client.generic("POST", "/api/v1/venues/bookings", raw,
                                        content_type="application/json")
        assert 400 <= response.status_code < 500, (raw, response.status_code)
    for booking_id in ("abc", "99999999999999999999", "0"):
        response = staff_client.post(f"/api/v1/venues/bookings/{booking_id}/cancel")
        assert 400 <= response.status_code < 500


# --- Property test ------------------------------------------------------------------------

names = st.one_of(st.text(max_size=100), st.integers(), st.none(), st.just(XSS),
                  st.lists(st.text(max_size=3), max_size=2))
contacts = st.one_of(st.emails(), st.text(max_size=40), st.integers(), st.none(),
                     st.just(""))
payloads = st.fixed_dictionaries({}, optional={
    "name": names,
    "email": contacts,
    "phone": st.one_of(st.from_regex(r"\+32470\d{6}", fullmatch=True), st.text(max_size=35),
                       st.integers()),
    "group": st.one_of(st.sampled_from(["newcomer", "local", "undisclosed", "", "x"]),
                       st.none(), st.integers()),
    "seats": st.one_of(st.integers(min_value=-10**20, max_value=10**20), st.floats(),
                       st.text(max_size=5), st.none()),
    "language": st.one_of(st.sampled_from(["fr", "en", "ar", "zz"]), st.text(max_size=10)),
    "extra": st.text(max_size=10),
})


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(payload=payloads)
def test_registration_payloads_property(client, session, payload):
    """Whatever the payload: never a 5xx; a 201 creates exactly one registration with
    valid seats; any refusal is 4xx with a message and creates nothing."""
    from django.core.cache import cache

    cache.clear()  # the rate limit is not what this test is about
    before_people, before_registrations = _counts()
    response = client.post(_url(session), json.dumps(payload, allow_nan=True),
                           content_type="application/json")
    assert response.status_code < 500, (payload, response.content[:300])
    if response.status_code == 201:
        # The answer carries no id (it must look the same for a duplicate): the newest.
        registration = Registration.objects.latest("pk")
        assert 1 <= registration.seats <= 3
        assert Registration.objects.count() == before_registrations + 1
        registration.delete()
    else:
        assert 400 <= response.status_code < 500
        assert response.json().get("detail")
        assert _counts() == (before_people, before_registrations), payload


@pytest.mark.django_db
def test_validation_errors_are_translated_and_name_the_fields(client, session):
    url = _url(session)
    fr = client.post(url, data={"seats": "many"}, content_type="application/json",
                     headers={"accept-language": "fr"}).json()
    en = client.post(url, data={"seats": "many"}, content_type="application/json",
                     headers={"accept-language": "en"}).json()
    assert fr["detail"] != en["detail"]
    assert "seats" in en["detail"]
    assert {e["field"] for e in en["errors"]} >= {"seats"}
