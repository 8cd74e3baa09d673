"""Finding 9 of issue 10 (this helper's part): extreme and past dates, control and
direction-override characters, feedback only from who came and once, bounded repeat
rules. Each answer is a 4xx with a message, never a 500, and changes nothing."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from interra.agenda import services as agenda_services
from interra.agenda.models import Feedback, Registration, Session
from interra.core.errors import DomainError
from interra.venues import services as venues_services
from interra.venues.models import Booking
from tests.conftest import sign_in_staff
from tests.factories import (
    OpeningRuleFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    coordinator,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_room_finder_answers_4xx_to_extreme_dates(client, city, day):
    sign_in_staff(client, coordinator(city))
    response = client.get("/venues/finder/", {"city": city.pk, "capacity": 10,
                                              "duration": 120, "date_from": day,
                                              "date_to": day})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


@pytest.mark.parametrize("moment", ["0001-01-01T10:00", "9999-12-31T22:00",
                                    "2001-01-01T10:00"])
def test_session_move_refuses_extreme_and_past_dates(client, city, moment):
    session = SessionFactory(workshop__city=city)
    before = session.starts_at
    sign_in_staff(client, coordinator(city))
    response = client.post(f"/agenda/staff/{session.pk}/", {
        "action": "move", "starts_at": moment, "ends_at": moment[:-5] + "23:00"})
    assert 400 <= response.status_code < 500
    session.refresh_from_db()
    assert session.starts_at == before


def test_sessions_and_bookings_cannot_be_made_or_moved_into_the_past(city):
    boss = coordinator(city)
    session = SessionFactory(workshop__city=city)
    yesterday = timezone.now() - timedelta(days=1)
    with pytest.raises(DomainError):
        agenda_services.session_move(session=session, starts_at=yesterday,
                                     ends_at=yesterday + timedelta(hours=2))
    with pytest.raises(DomainError):
        agenda_services.session_schedule(workshop=session.workshop, starts_at=yesterday,
                                         duration=timedelta(hours=2), by=boss)
    room = RoomFactory(venue__city=city)
    with pytest.raises(DomainError):
        venues_services.booking_request(room=room, workshop=session.workshop,
                                        starts_at=yesterday,
                                        ends_at=yesterday + timedelta(hours=2))
    assert Session.objects.count() == 1 and Booking.objects.count() == 0


@pytest.mark.parametrize("evil", ["Ali\u202eecnerolF", "Ali\u2066x\u2069", "Ali\x00",
                                  "Ali\x1b[31m", "Al\u0085i"])
def test_names_refuse_control_and_direction_characters(client, city, evil):
    session = SessionFactory(workshop__city=city)
    form = client.post(f"/agenda/{session.pk}/register/", {
        "name": evil, "email": "a@example.org", "phone": "", "group": "", "seats": "1",
        "consent": "on"})
    assert form.status_code == 400
    api = client.post(f"/api/v1/sessions/{session.pk}/registrations",
                      {"name": evil, "email": "b@example.org"},
                      content_type="application/json")
    assert 400 <= api.status_code < 500
    assert Registration.objects.count() == 0


def test_proposal_titles_refuse_direction_overrides(client, city):
    assert client.post("/proposals/new/", {"display_name": "Amira", "phone": "0470112233",
                                           "email": "", "spoken_languages": ["ar"],
                                           "city": city.pk}).status_code == 302
    response = client.post("/proposals/new/2/", {
        "theme": "cooking", "title": "Cuisine \u202egnitsaot", "description": "x",
        "language": "fr", "audience": "everyone", "group_size": "10"})
    assert response.status_code == 400


def test_right_to_left_names_are_isolated_where_they_are_shown(client, city):
    session = SessionFactory(workshop__city=city,
                             workshop__leader__display_name="אבי כהן")
    RegistrationFactory(session=session, person__display_name="مريم حداد")
    page = client.get(f"/agenda/{session.pk}/").content.decode()
    assert "<bdi>אבי</bdi>" in page
    client.force_login(session.workshop.leader)
    lead = client.get(f"/agenda/lead/{session.pk}/").content.decode()
    assert "<bdi>مريم</bdi>" in lead


def test_feedback_only_from_people_marked_present_and_once(client, city):
    session = SessionFactory(workshop__city=city,
                             starts_at=timezone.now() - timedelta(hours=3))
    absent = RegistrationFactory(session=session, attended=False)
    unknown = RegistrationFactory(session=session)
    came = RegistrationFactory(session=session, attended=True)
    for registration in (absent, unknown):
        response = client.post(f"/agenda/r/{registration.token}/feedback/", {"rating": "1"})
        assert response.status_code == 403
    first = client.post(f"/agenda/r/{came.token}/feedback/", {"rating": "5"})
    again = client.post(f"/agenda/r/{came.token}/feedback/", {"rating": "1"})
    assert first.status_code == 302 and again.status_code == 409
    assert list(Feedback.objects.values_list("rating", flat=True)) == [5]


@pytest.mark.parametrize("rule", ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
                                  "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31;COUNT=3"])
def test_impossible_repeat_rules_are_refused_quickly_before_any_lock(city, rule):
    boss = coordinator(city)
    session = SessionFactory(workshop__city=city)
    started = time.monotonic()
    with pytest.raises(DomainError):
        agenda_services.session_schedule(workshop=session.workshop,
                                         starts_at=timezone.now() + timedelta(days=2),
                                         duration=timedelta(hours=2), by=boss, rrule=rule)
    room = RoomFactory(venue__city=city)
    with pytest.raises(DomainError):
        venues_services.opening_rule_add(room=room, opens_at=timezone.now().time()
                                         .replace(hour=9, minute=0, second=0, microsecond=0),
                                         closes_at=timezone.now().time().replace(
                                             hour=17, minute=0, second=0, microsecond=0),
                                         rrule=rule)
    assert time.monotonic() - started < 1.0


def test_a_stored_impossible_opening_rule_does_not_stall_a_booking(city):
    """An old rule already in the database is expanded only up to the asked window."""
    session = SessionFactory(workshop__city=city)
    room = RoomFactory(venue__city=city)
    OpeningRuleFactory(room=room, rrule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")
    start = (timezone.now() + timedelta(days=3)).replace(hour=10, minute=0)
    started = time.monotonic()
    try:
        venues_services.booking_request(room=room, workshop=session.workshop,
                                        starts_at=start, ends_at=start + timedelta(hours=2))
    except DomainError:
        pass
    assert time.monotonic() - started < 1.0


def _xlsx(cells) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for (row, column), value in cells.items():
        book.active.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _post_import(client, city, content: bytes, name: str):
    import io

    file = io.BytesIO(content)
    file.name = name
    return client.post("/venues/import/", {"city": city.pk, "file": file})


def test_a_small_xlsx_claiming_a_huge_sheet_is_refused_fast_and_small(client, city):
    """The reported file: tiny on disk, but its sheet spans 16,000 columns and 300,000
    rows, which a full read expands into hundreds of MB."""
    import tracemalloc

    header = {(1, n + 1): name for n, name in enumerate(
        ["partner", "venue", "address", "room", "capacity"])}
    content = _xlsx({**header, (300_000, 16_000): "x"})
    assert len(content) < 100_000
    sign_in_staff(client, coordinator(city))
    tracemalloc.start()
    started = time.monotonic()
    response = _post_import(client, city, content, "rooms.xlsx")
    elapsed = time.monotonic() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert elapsed < 10 and peak < 60 * 1024 * 1024, (elapsed, peak)


def test_an_import_over_the_size_cap_is_refused_with_a_message(client, city):
    sign_in_staff(client, coordinator(city))
    big = ("partner,venue,address,room,capacity\n" + "P,V,A,R,10\n" * 300_000).encode()
    response = _post_import(client, city, big, "rooms.csv")
    assert "errorlist" in response.content.decode()
    from interra.venues.models import Room
    assert Room.objects.count() == 0


def test_posters_and_programmes_are_cached_and_their_renders_rate_limited(
        client, city, monkeypatch):
    from interra.agenda import posters

    renders = []

    def fake_render(*args, **kwargs):
        renders.append(args)
        return b"%PDF-1.7 stub"

    monkeypatch.setattr(posters, "session_poster_pdf", fake_render)
    monkeypatch.setattr(posters, "programme_pdf", fake_render)
    session = SessionFactory(workshop__city=city)
    for _ in range(3):
        assert client.get(f"/agenda/{session.pk}/poster.pdf").status_code == 200
    assert len(renders) == 1
    # What the poster shows changes: drawn again.
    agenda_services.session_note_update(session=session, note="x")
    client.get(f"/agenda/{session.pk}/poster.pdf")
    assert len(renders) == 2
    month = session.starts_at
    programme = f"/agenda/programme/{city.slug}/{month.year}-{month.month}.pdf"
    assert client.get(programme).status_code == client.get(programme).status_code == 200
    assert len(renders) == 3
    # New renders from one address are limited; cached ones are still served.
    others = [SessionFactory(workshop__city=city) for _ in range(20)]
    assert client.get(f"/agenda/{session.pk}/poster.pdf").status_code == 200
    answers = [client.get(f"/agenda/{s.pk}/poster.pdf").status_code for s in others]
    assert answers.count(429) >= 1 and answers[0] == 200
    assert client.get(f"/agenda/{session.pk}/poster.pdf").status_code == 200
