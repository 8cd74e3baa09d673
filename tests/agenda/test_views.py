import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from interra.agenda.models import Registration
from interra.core.models import AuditLogEntry
from tests.conftest import sign_in_staff
from tests.factories import (
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    WorkshopFactory,
    coordinator,
)

pytestmark = pytest.mark.django_db


def _form(**extra):
    return {"name": "Olena Kovalenko", "email": "olena@example.org", "phone": "",
            "group": "newcomer", "seats": "1", "consent": "on", **extra}


def test_agenda_lists_upcoming_sessions_with_filters(client, city):
    soon = SessionFactory(workshop__city=city, workshop__theme="music")
    SessionFactory(workshop__city=city, workshop__theme="art",
                   workshop__beginner_french_welcome=False)
    SessionFactory(workshop__city=city, starts_at=timezone.now() - timedelta(days=1))
    response = client.get("/agenda/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card session-card"') == 2
    response = client.get("/agenda/", {"theme": "music"})
    assert response.content.decode().count('class="card session-card"') == 1
    assert f"/agenda/{soon.pk}/" in response.content.decode()
    assert client.get("/agenda/", {"beginner_french": "on"}).content.decode().count(
        'class="card session-card"') == 1
    assert client.get("/agenda/", {"language": "ar"}).content.decode().count(
        'class="card session-card"') == 2
    assert client.get("/agenda/", {"language": "uk"}).content.decode().count(
        'class="card session-card"') == 0
    assert client.get("/agenda/", {"accessible": "on", "neighbourhood": "Centre"}
                      ).content.decode().count('class="card session-card"') == 2
    week = client.get("/agenda/", {"view": "week",
                                   "week": soon.starts_at.date().isoformat()})
    assert week.status_code == 200 and f"/agenda/{soon.pk}/" in week.content.decode()


@pytest.mark.parametrize("count", [3, 120])
def test_agenda_query_count_and_size_do_not_grow(client, city, django_assert_max_num_queries,
                                                  count):
    workshop = WorkshopFactory(city=city)
    session = SessionFactory(workshop=workshop)
    for _ in range(count - 1):
        SessionFactory(workshop=workshop, room=session.room)
    RegistrationFactory(session=session)
    with django_assert_max_num_queries(6):
        response = client.get("/agenda/")
    assert response.status_code == 200
    assert len(response.content) < 100_000


def test_session_page_has_json_ld_open_graph_and_share_links(client, city):
    session = SessionFactory(workshop__city=city, capacity=3)
    RegistrationFactory(session=session, seats=2)
    response = client.get(f"/agenda/{session.pk}/")
    html = response.content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html,
                                re.S).group(1))
    assert data["@type"] == "Event" and data["remainingAttendeeCapacity"] == 1
    assert data["url"].endswith(f"/agenda/{session.pk}/")
    assert 'property="og:title"' in html and "https://wa.me/" in html and "mailto:" in html
    assert f"/agenda/{session.pk}/calendar.ics" in html
    assert session.workshop.leader.first_name in html
    assert session.workshop.leader.email not in html


def test_register_confirms_on_screen_and_by_email_then_cancel_in_one_tap(client, city):
    session = SessionFactory(workshop__city=city, capacity=1, newcomer_seats_percent=0,
                             local_seats_percent=0)
    response = client.post(f"/agenda/{session.pk}/register/", _form(),
                           HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == "confirmed" and registration.person.preferred_language == "uk"
    # The private link goes by message only (issue 10, finding 6).
    assert registration.token not in client.get(response["Location"]).content.decode()
    link = re.search(r"http://\S+/agenda/r/\S+/", mail.outbox[0].body).group(0)
    page = client.get(link.split("8000", 1)[-1])
    assert 'data-status="confirmed"' in page.content.decode()
    # Somebody else waits; the cancel link frees the seat for them.
    waiting = client.post(f"/agenda/{session.pk}/register/",
                          _form(email="next@example.org", group=""))
    assert waiting.status_code == 302
    path = link.split("8000", 1)[-1]
    client.post(path, {"action": "cancel"})
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert Registration.objects.get(person__email="next@example.org").status == "confirmed"


def test_register_twice_and_bad_input_change_nothing(client, city):
    session = SessionFactory(workshop__city=city)
    client.post(f"/agenda/{session.pk}/register/", _form())
    again = client.post(f"/agenda/{session.pk}/register/", _form())
    # Answered like a new registration: the page must not tell who is registered.
    assert again.status_code == 302
    no_contact = client.post(f"/agenda/{session.pk}/register/", _form(email=""))
    no_consent = client.post(f"/agenda/{session.pk}/register/",
                             _form(email="x@example.org", consent=""))
    assert no_contact.status_code == no_consent.status_code == 400
    assert Registration.objects.count() == 1


def test_register_is_rate_limited(client, city):
    session = SessionFactory(workshop__city=city, capacity=50)
    for n in range(20):
        client.post(f"/agenda/{session.pk}/register/", _form(email=f"p{n}@example.org"))
    response = client.post(f"/agenda/{session.pk}/register/", _form(email="late@example.org"))
    assert response.status_code == 429
    assert not Registration.objects.filter(person__email="late@example.org").exists()


def test_unknown_tokens_and_sessions_answer_404(client):
    assert client.get("/agenda/r/not-a-token/").status_code == 404
    assert client.get("/agenda/999999/").status_code == 404


def test_ics_download_and_feeds(client, city):
    session = SessionFactory(workshop__city=city, workshop__theme="music")
    one = client.get(f"/agenda/{session.pk}/calendar.ics")
    assert one["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in one.content and b"Atelier" in one.content
    for url in (f"/agenda/feeds/{city.slug}.ics", f"/agenda/feeds/{city.slug}/music.ics",
                f"/agenda/feeds/leader/{session.workshop.leader_id}.ics"):
        assert client.get(url).content.count(b"BEGIN:VEVENT") == 1, url
    assert client.get(f"/agenda/feeds/{city.slug}/art.ics").content.count(b"BEGIN:VEVENT") == 0


def test_leader_marks_attendance_adds_walk_in_and_sees_feedback(client, city):
    session = SessionFactory(workshop__city=city)
    registration = RegistrationFactory(session=session)
    client.force_login(session.workshop.leader)
    page = client.get(f"/agenda/lead/{session.pk}/")
    assert registration.person.first_name in page.content.decode()
    assert registration.person.email not in page.content.decode()
    client.post(f"/agenda/lead/{session.pk}/",
                {"action": "mark", "registration": registration.pk, "attended": "1"})
    client.post(f"/agenda/lead/{session.pk}/", {"action": "walk_in", "name": "Yonas"})
    client.post(f"/agenda/lead/{session.pk}/", {"action": "note", "note": "Bring aprons"})
    registration.refresh_from_db()
    session.refresh_from_db()
    assert registration.attended is True and session.leader_note == "Bring aprons"
    assert Registration.objects.filter(session=session, is_walk_in=True, attended=True).exists()


def test_other_people_cannot_run_a_session(client, city):
    session = SessionFactory(workshop__city=city)
    client.force_login(UserFactory())
    assert client.get(f"/agenda/lead/{session.pk}/").status_code == 404


def test_coordinator_sees_mix_and_drift_of_their_cities_only(client, city, other_city):
    person = coordinator(city)
    sign_in_staff(client, person)
    drifting = SessionFactory(workshop__city=city, capacity=10, newcomer_seats_percent=40,
                              local_seats_percent=40)
    for _ in range(5):
        RegistrationFactory(session=drifting, group="local")
    elsewhere = SessionFactory(workshop__city=other_city)
    response = client.get("/agenda/staff/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-drifting="1"') == 1
    assert f"/agenda/staff/{elsewhere.pk}/" not in html
    assert client.get(f"/agenda/staff/{elsewhere.pk}/").status_code == 404
    detail = client.get(f"/agenda/staff/{drifting.pk}/")
    assert detail.status_code == 200
    assert AuditLogEntry.objects.filter(subject=f"agenda.session:{drifting.pk}:registrations"
                                        ).exists()
    client.post(f"/agenda/staff/{drifting.pk}/", {"action": "cancel"})
    drifting.refresh_from_db()
    assert drifting.status == "cancelled"
    assert len(mail.outbox) >= 5


def test_feedback_form(client, city):
    registration = RegistrationFactory(session__workshop__city=city, attended=True,
                                       session__starts_at=timezone.now() - timedelta(hours=3))
    url = f"/agenda/r/{registration.token}/feedback/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"rating": "4", "comment": "Merci"})
    assert response.status_code == 302
    assert registration.feedback.rating == 4


def test_cached_agenda_shows_fresh_seats_after_a_registration(client, city):
    from interra.agenda import services

    session = SessionFactory(workshop__city=city, capacity=3, newcomer_seats_percent=0,
                             local_seats_percent=0)
    assert 'data-seats-left="3"' in client.get("/agenda/").content.decode()
    services.registration_create(session=session, person=UserFactory(), seats=2)
    assert 'data-seats-left="1"' in client.get("/agenda/").content.decode()


def test_coordinator_schedules_a_series_in_their_city_only(client, city, other_city):
    person = coordinator(city)
    sign_in_staff(client, person)
    mine = WorkshopFactory(city=city)
    theirs = WorkshopFactory(city=other_city)
    form = {"workshop": mine.pk, "starts_at": "2030-03-04T18:00", "duration_minutes": "120",
            "capacity": "12", "repeat": "FREQ=WEEKLY;COUNT=4"}
    response = client.post("/agenda/staff/new/", form)
    assert response.status_code == 302
    assert mine.sessions.count() == 4 and mine.sessions.first().capacity == 12
    response = client.post("/agenda/staff/new/", {**form, "workshop": theirs.pk})
    assert response.status_code == 200 and not theirs.sessions.exists()
    bad = client.post("/agenda/staff/new/", {**form, "repeat": "FREQ=DAILY"})
    assert bad.status_code == 200 and mine.sessions.count() == 4
