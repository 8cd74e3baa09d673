import pytest
from django.conf import settings

from interra.agenda.models import Registration
from tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def post(client, session, **body):
    payload = {"name": "Amira", "email": "amira@example.org", **body}
    return client.post(f"/api/v1/sessions/{session.pk}/registrations", payload,
                       content_type="application/json")


def test_list_and_detail(client, city):
    session = SessionFactory(workshop__city=city, capacity=5)
    RegistrationFactory(session=session, seats=2)
    RegistrationFactory(session=session, status="waitlisted")
    listed = client.get("/api/v1/sessions", {"city": city.slug}).json()
    assert [s["id"] for s in listed] == [session.pk]
    assert client.get("/api/v1/sessions", {"theme": "art"}).json() == []
    detail = client.get(f"/api/v1/sessions/{session.pk}").json()
    assert (detail["capacity"], detail["seats_left"], detail["waitlist_count"]) == (5, 3, 1)
    assert detail["url"] == f"{settings.SITE_URL}/agenda/{session.pk}/"
    assert client.get("/api/v1/sessions/999999").status_code == 404


def test_register_confirmed_then_waitlisted(client, city):
    session = SessionFactory(workshop__city=city, capacity=1, newcomer_seats_percent=0,
                             local_seats_percent=0)
    first = post(client, session, group="newcomer")
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    second = post(client, session, email="b@example.org")
    assert second.status_code == 201 and second.json()["status"] == "waitlisted"


def test_bad_input_gets_a_clear_4xx(client, city):
    session = SessionFactory(workshop__city=city)
    assert post(client, session, email="", phone="").status_code == 400
    assert post(client, session, email="not-an-email").status_code == 400
    assert post(client, session, group="martian").status_code == 422
    assert post(client, session, seats=99).status_code == 422
    assert post(client, session, seats=10).status_code == 400  # over the session's limit
    assert post(client, session).status_code == 201
    duplicate = post(client, session)  # the same answer: it must not tell who registered
    assert duplicate.status_code == 201
    assert Registration.objects.count() == 1


def test_rate_limited_with_429(client, city, settings):
    settings.RATELIMIT_ENABLE = True
    session = SessionFactory(workshop__city=city, capacity=100)
    settings.MESSAGE_CAP_PER_ADDRESS = 1000  # this test is about the API's own limit
    statuses = [post(client, session, email=f"p{n}@example.org").status_code for n in range(31)]
    assert statuses[:30] == [201] * 30 and statuses[30] == 429


def test_openapi_lists_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/sessions" in schema["paths"]
    assert "/api/v1/sessions/{session_id}/registrations" in schema["paths"]
