"""What a person reads about seats is what they get: the page, the list, the API, the
JSON-LD and the waitlist message all come from ``services.seat_availability``."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from interra.agenda import seat_texts, selectors, services
from interra.agenda.models import Registration
from interra.agenda.seats import SeatCounts, availability
from tests.factories import RegistrationFactory, RoomFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _form(**extra):
    return {"name": "Olena Kovalenko", "email": "olena@example.org", "phone": "",
            "group": "newcomer", "seats": "1", "consent": "on", **extra}


def _locals_took_the_open_seats(**session_fields):
    """10 seats, 4 held for newcomers and 4 for locals until tomorrow; locals took 6
    (their 4 and the 2 open ones): 4 seats are free, all held for newcomers."""
    session = SessionFactory(capacity=10, newcomer_seats_percent=40, local_seats_percent=40,
                             hold_release_at=timezone.now() + timedelta(days=1),
                             **session_fields)
    for _ in range(6):
        RegistrationFactory(session=session, group="local")
    return session


def _newcomers_took_theirs():
    """Newcomers took their 4 and the 2 open seats: 4 free seats, held for locals."""
    session = SessionFactory(capacity=10, newcomer_seats_percent=40, local_seats_percent=40,
                             hold_release_at=timezone.now() + timedelta(days=1))
    for _ in range(6):
        RegistrationFactory(session=session, group="newcomer")
    return session


def test_availability_follows_the_registration_rule():
    counts = SeatCounts(capacity=10, held_newcomers=4, held_locals=4, locals=6)
    seats = availability(counts, released=False)
    assert seats.seats_left == 4
    assert seats.for_group == {"newcomer": 4, "local": 0, "undisclosed": 0}
    assert seats.held_left == {"newcomer": 4, "local": 0}
    assert seats.held_for_others("local") == {"newcomer": 4}
    assert not seats.same_for_everyone and seats.someone_can_register
    for group, count in seats.for_group.items():
        assert counts.fits(group, count, released=False) if count else True
        assert not counts.fits(group, count + 1, released=False)
    released = availability(counts, released=True)
    assert released.for_group == {"newcomer": 4, "local": 4, "undisclosed": 4}
    assert released.held_left == {} and released.same_for_everyone


def test_the_page_shows_each_group_its_seats_and_who_holds_the_rest(client):
    session = _newcomers_took_theirs()
    with translation.override("en"):
        page = client.get(f"/agenda/{session.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "4 seats left" not in page
    assert 'data-group="newcomer" data-available="0"' in page
    assert 'data-group="local" data-available="4"' in page
    assert "0 seats for people who arrived recently" in page
    assert "4 seats for locals" in page
    assert "4 seats held for locals until" in page


def test_the_list_does_not_promise_seats_a_group_cannot_take(client):
    session = _newcomers_took_theirs()
    page = client.get("/agenda/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    card = re.search(r'<li class="card session-card".*?</li>', page, re.S).group(0)
    assert f"/agenda/{session.pk}/" in card
    assert "4 seats left" not in card and "4 seats for locals" in card


def test_a_newcomer_told_why_they_wait_and_their_place(client):
    session = _newcomers_took_theirs()
    RegistrationFactory(session=session, group="newcomer", status="waitlisted")
    response = client.post(f"/agenda/{session.pk}/register/", _form(), follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    registration = Registration.objects.get(person__email="olena@example.org")
    assert registration.status == "waitlisted"
    page = response.content.decode()
    assert "4 seats held for locals until" in page  # said at once, on the answer page
    assert selectors.waitlist_position(registration) == 2
    # The position is on the private page the message links to, never on the answer.
    assert "waitlist-position" not in page
    manage = client.get(registration.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="waitlist-position" data-position="2"' in manage.content.decode()


def test_the_waitlist_message_says_why_and_until_when(mailoutbox,
                                                     django_capture_on_commit_callbacks):
    session = _newcomers_took_theirs()
    person = UserFactory(email="amal@example.org", preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(session=session, person=person,
                                                    group="newcomer")
    assert registration.status == "waitlisted"
    body = next(m.body for m in mailoutbox if m.to == ["amal@example.org"])
    with translation.override("en"):
        expected = seat_texts.held_text("local", 4, session.hold_release_at)
    assert expected in body
    assert "number 1 on the waitlist" in body


def test_api_gives_the_seats_per_group_and_keeps_the_old_fields(client):
    session = _newcomers_took_theirs()
    data = client.get(f"/api/v1/sessions/{session.pk}").json()
    assert data["seats_left"] == 4 and data["capacity"] == 10
    assert data["seats_for_group"] == {"newcomer": 0, "local": 4, "undisclosed": 0}
    assert data["held_seats"] == {"local": 4}
    assert data["held_until"] is not None
    listed = client.get("/api/v1/sessions").json()
    assert listed[0]["seats_for_group"] == data["seats_for_group"]


def _json_ld(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page,
                                re.S).group(1))


def test_json_ld_availability_matches_the_page(client):
    limited = _json_ld(client.get(f"/agenda/{_newcomers_took_theirs().pk}/").content.decode())
    assert limited["offers"]["availability"] == "https://schema.org/LimitedAvailability"
    assert limited["remainingAttendeeCapacity"] == 4
    open_to_all = _json_ld(client.get(f"/agenda/{SessionFactory().pk}/").content.decode())
    assert open_to_all["offers"]["availability"] == "https://schema.org/InStock"


def test_a_past_session_offers_nothing_and_says_it_took_place(client):
    session = SessionFactory(starts_at=timezone.now() - timedelta(days=2))
    page = client.get(f"/agenda/{session.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="took-place"' in page
    assert "seats left" not in page and "calendar.ics" not in page and "wa.me" not in page
    data = _json_ld(page)
    assert data["offers"]["availability"] == "https://schema.org/Discontinued"
    assert "remainingAttendeeCapacity" not in data


def test_a_form_sent_after_the_start_gets_a_clear_message(client):
    session = SessionFactory(starts_at=timezone.now() - timedelta(minutes=5))
    response = client.post(f"/agenda/{session.pk}/register/", _form(),
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert "This session already took place: registration is closed." in page
    assert not Registration.objects.exists()


def test_a_failed_submit_keeps_what_was_typed_and_links_to_the_field(client):
    session = SessionFactory()
    response = client.post(f"/agenda/{session.pk}/register/", _form(consent=""))
    assert response.status_code == 400
    page = response.content.decode()
    summary = page.index('id="error-summary"')
    assert summary < page.index("<h1")
    assert 'href="#id_consent"' in page
    assert 'value="Olena Kovalenko"' in page and 'value="olena@example.org"' in page


@pytest.mark.parametrize("language", ["fr", "en", "nl", "ar", "fa", "ps", "uk", "ru", "tr",
                                      "es", "ti"])
def test_coordinates_use_a_dot_in_every_language(client, language):
    room = RoomFactory(venue__latitude="50.641800", venue__longitude="5.573200")
    session = SessionFactory(room=room, workshop__city=room.venue.city)
    page = client.get(f"/agenda/{session.pk}/", HTTP_ACCEPT_LANGUAGE=language,
                      headers={"Cookie": f"django_language={language}"}).content.decode()
    assert f'lang="{language}"' in page
    assert "mlat=50.641800&amp;mlon=5.573200#map=17/50.641800/5.573200" in page
    geo = _json_ld(page)["location"]["geo"]
    assert geo == {"@type": "GeoCoordinates", "latitude": 50.6418, "longitude": 5.5732}


def test_the_manage_page_speaks_the_registrants_language(client):
    registration = RegistrationFactory(person__preferred_language="uk")
    page = client.get(registration.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert page.headers["Content-Language"] == "uk"
    assert '<html lang="uk"' in page.content.decode()
    client.cookies["django_language"] = "ar"  # they switched: their choice wins
    page = client.get(registration.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="ar"' in page.content.decode()


def test_the_calendar_file_gives_coordinates_with_a_dot(client):
    room = RoomFactory(venue__latitude="50.641800", venue__longitude="5.573200")
    session = SessionFactory(room=room, workshop__city=room.venue.city)
    client.cookies["django_language"] = "fr"
    body = client.get(f"/agenda/{session.pk}/calendar.ics").content.decode()
    assert "GEO:50.6418;5.5732" in body


def test_the_venue_map_reads_coordinates_with_a_dot(coordinator_client, city):
    RoomFactory(venue__partner__city=city, venue__latitude="50.641800",
                venue__longitude="5.573200")
    coordinator_client.cookies["django_language"] = "fr"
    page = coordinator_client.get("/venues/").content.decode()
    points = re.search(r'<script id="venue-map-points" type="application/json">(.*?)</script>',
                       page, re.S).group(1)
    assert json.loads(points)[0]["lat"] == 50.6418
    assert '"lat": 50.6418' in points
