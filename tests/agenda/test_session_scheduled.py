"""The leader hears the date and place when a session of their workshop is scheduled."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from interra.agenda import services
from interra.notifications.models import Message
from tests.factories import RoomFactory, UserFactory, WorkshopFactory, coordinator

pytestmark = pytest.mark.django_db


def _start(days=10):
    return (timezone.now() + timedelta(days=days)).replace(hour=14, minute=0, second=0,
                                                            microsecond=0)


def test_leader_is_told_date_time_place_address_and_link(city):
    leader = UserFactory(display_name="Amira Haddad", email="amira@example.org",
                         preferred_language="ar")
    workshop = WorkshopFactory(city=city, leader=leader, title={"fr": "Cuisine syrienne"})
    room = RoomFactory(venue__partner__city=city, venue__name="Maison Sauvenière",
                       venue__address="Rue Sœurs-de-Hasque 9, 4000 Liège", name="Cuisine")
    boss = coordinator(city)
    _bookings, sessions = services.session_schedule(
        workshop=workshop, starts_at=_start(), duration=timedelta(hours=2), room=room, by=boss,
        confirm_now=True)
    message = Message.objects.get(recipient=leader, template="session_scheduled")
    assert message.language == "ar"
    sent = next(m for m in mail.outbox if m.to == ["amira@example.org"]
                and "/agenda/lead/" in m.body)
    assert "Maison Sauvenière" in sent.body and "Rue Sœurs-de-Hasque 9, 4000 Liège" in sent.body
    assert f"/agenda/lead/{sessions[0].pk}/" in sent.body
    assert "Cuisine syrienne" in sent.body
    local = timezone.localtime(sessions[0].starts_at)
    end = timezone.localtime(sessions[0].ends_at)
    # Times as Arabic readers write them (CLDR, read here through Babel directly).
    from babel.dates import format_time

    assert (f"{format_time(local, 'short', locale='ar')}–"
            f"{format_time(end, 'short', locale='ar')}") in sent.body
    assert "&amp;" not in sent.body and "&#x27;" not in sent.body


def test_a_series_is_told_once_and_co_leaders_too(city):
    workshop = WorkshopFactory(city=city)
    co_leader = UserFactory()
    workshop.co_leaders.add(co_leader)
    _bookings, sessions = services.session_schedule(
        workshop=workshop, starts_at=_start(), duration=timedelta(hours=2), by=coordinator(city),
        rrule="FREQ=WEEKLY;COUNT=4")
    assert len(sessions) == 4
    for person in (workshop.leader, co_leader):
        messages = Message.objects.filter(recipient=person, template="session_scheduled")
        assert messages.count() == 1
        assert messages.get().context["count"] == 4


def test_a_past_session_tells_nobody(city):
    workshop = WorkshopFactory(city=city)
    start = timezone.now() - timedelta(days=3)
    services.session_create(workshop=workshop, starts_at=start, ends_at=start + timedelta(hours=2),
                            status="held")
    assert not Message.objects.filter(template="session_scheduled").exists()


def test_a_series_confirmed_in_a_room_is_told_once(city):
    workshop = WorkshopFactory(city=city)
    room = RoomFactory(venue__partner__city=city)
    _bookings, sessions = services.session_schedule(
        workshop=workshop, starts_at=_start(), duration=timedelta(hours=2), room=room,
        by=coordinator(city), rrule="FREQ=WEEKLY;COUNT=3", confirm_now=True)
    assert len(sessions) == 3
    message = Message.objects.get(recipient=workshop.leader, template="session_scheduled")
    assert message.context["count"] == 3 and message.context["session_id"] == sessions[0].pk
