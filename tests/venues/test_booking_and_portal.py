"""The booking form tells namesake workshops apart; a partner is never asked to confirm
what a coordinator confirmed for them (they get a "booked" notice); the partner portal
splits upcoming and past bookings."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from interra.agenda import services as agenda_services
from interra.cities.models import Role
from interra.notifications.models import Message
from interra.venues import services
from tests.factories import (
    OpeningRuleFactory,
    PartnerFactory,
    RoomFactory,
    UserFactory,
    VenueFactory,
    WorkshopFactory,
    coordinator,
    member,
)

pytestmark = pytest.mark.django_db


def at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def contact(city):
    return member(city, Role.PARTNER, email="host@partner.example")


@pytest.fixture
def room(city, contact):
    room = RoomFactory(venue=VenueFactory(partner=PartnerFactory(city=city, contacts=[contact])))
    OpeningRuleFactory(room=room, rrule="FREQ=DAILY")
    return room


def _next_day(days=10):
    return (timezone.localdate() + timedelta(days=days))


def test_the_booking_form_tells_namesake_workshops_apart(coordinator_client, city, room):
    from interra.proposals.models import Proposal

    for name in ("Amira Haddad", "Tom Peeters"):
        workshop = WorkshopFactory(city=city, title={"fr": "Cuisine du monde"},
                                   leader=UserFactory(display_name=name))
        Proposal.objects.create(city=city, leader=workshop.leader, language="fr",
                                theme="cooking", title={"fr": "Cuisine du monde"},
                                title_key=f"cuisine-{name}", workshop=workshop,
                                stage="ready")
    html = coordinator_client.get(f"/venues/rooms/{room.pk}/book/").content.decode()
    assert "Cuisine du monde · Amira H. · Liège · " in html
    assert "Cuisine du monde · Tom P. · Liège · " in html
    assert "Haddad" not in html  # the initial is enough


def test_a_booking_confirmed_at_once_does_not_ask_the_partner(city, room, contact):
    boss = coordinator(city)
    workshop = WorkshopFactory(city=city)
    mail.outbox = []
    agenda_services.session_schedule(workshop=workshop, starts_at=at(_next_day(), 15),
                                     duration=timedelta(hours=2), room=room, by=boss,
                                     confirm_now=True)
    to_partner = Message.objects.filter(recipient=contact)
    assert list(to_partner.values_list("template", flat=True)) == ["booking_booked"]
    sent = [m for m in mail.outbox if m.to == ["host@partner.example"]]
    assert len(sent) == 1 and "confirm or refuse" not in sent[0].body.lower()


def test_a_request_still_asks_the_partner_who_gets_no_notice_after_confirming(city, room,
                                                                             contact):
    boss = coordinator(city)
    workshop = WorkshopFactory(city=city)
    bookings, _sessions = agenda_services.session_schedule(
        workshop=workshop, starts_at=at(_next_day(), 15), duration=timedelta(hours=2),
        room=room, by=boss)
    services.booking_confirm(booking=bookings[0], by=contact)
    templates = list(Message.objects.filter(recipient=contact)
                     .values_list("template", flat=True))
    assert templates == ["booking_requested"]


def test_the_portal_splits_upcoming_and_past_bookings(client, city, room, contact):
    boss = coordinator(city)
    workshop = WorkshopFactory(city=city, title={"fr": "Atelier à venir"})
    old_workshop = WorkshopFactory(city=city, title={"fr": "Atelier passé"})
    services.booking_request(room=room, workshop=workshop, starts_at=at(_next_day(), 15),
                             ends_at=at(_next_day(), 17), requested_by=boss)
    # Nobody can book the past any more: a booking made then, now twenty days old.
    past = services.booking_request(room=room, workshop=old_workshop,
                                    starts_at=at(_next_day(7), 15),
                                    ends_at=at(_next_day(7), 17), requested_by=boss)
    past.status = "confirmed"
    past.starts_at, past.ends_at = at(_next_day(-20), 15), at(_next_day(-20), 17)
    past.save()
    client.force_login(contact)
    html = client.get("/venues/portal/").content.decode()
    upcoming_part, _, past_part = html.partition('id="portal-past"')
    assert "Atelier à venir" in upcoming_part and "Atelier passé" not in upcoming_part
    assert "Atelier passé" in past_part
