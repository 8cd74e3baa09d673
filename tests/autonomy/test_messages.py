"""The three messages of the autonomy path render as plain text in the reader's language."""

import pytest
from django.conf import settings

from interra.autonomy import selectors, services
from interra.notifications.models import Message
from interra.notifications.rendering import render_message
from tests.factories import UserFactory, coordinator

from .factories import evening_room, seasoned_workshop

pytestmark = pytest.mark.django_db


def test_messages_are_text_with_names_as_typed(city):
    room = evening_room(city, name="Salle d'à côté & <cuisine>")
    leader = UserFactory(display_name="Zoë O'Brien", preferred_language="en")
    workshop = seasoned_workshop(city, leader=leader, title={"en": "Bread & <salt>"})
    boss = coordinator(city, preferred_language="en")
    services.leader_trust_grant(leader=leader, city=city, by=boss)
    slot = selectors.slots_for(workshop)[0]
    services.leader_session_request(workshop=workshop, leader=leader, room_id=room.pk,
                                    starts_at=slot.starts_at)
    services.leader_trust_revoke(leader=leader, city=city, by=boss, reason="Pause d'été")

    trusted = render_message(Message.objects.get(template="leader_trusted"))
    assert "Hello Zoë," in trusted["body"] and "sesame=" in trusted["body"]
    assert "sesame=" in trusted["sms"]
    revoked = render_message(Message.objects.get(template="leader_trust_revoked"))
    assert "Why: Pause d'été" in revoked["body"]
    told = render_message(Message.objects.get(template="leader_session_requested",
                                              recipient=boss))
    assert "Zoë" in told["subject"]
    assert '"Bread & <salt>"' in told["body"] and "Salle d'à côté & <cuisine>" in told["body"]
    assert "/venues/bookings/#booking-" in told["body"] and "&amp;" not in told["sms"]


def test_the_coordinators_are_promised_only_what_the_bookings_page_does(city, client):
    """The message and the trust page sent coordinators to the bookings page "to cancel or
    move" a leader's request; that page cancels a request and moves nothing."""
    from tests.conftest import sign_in_staff

    room = evening_room(city)
    workshop = seasoned_workshop(city)
    boss = coordinator(city, preferred_language="en")
    services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    slot = selectors.slots_for(workshop)[0]
    booking = services.leader_session_request(workshop=workshop, leader=workshop.leader,
                                              room_id=room.pk, starts_at=slot.starts_at)
    told = render_message(Message.objects.get(template="leader_session_requested",
                                              recipient=boss))
    sign_in_staff(client, boss)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    bookings = client.get("/venues/bookings/").content.decode()
    trust = client.get("/autonomy/trust/").content.decode()
    assert f"/venues/bookings/{booking.pk}/cancel/" in bookings
    assert f"/venues/bookings/{booking.pk}/move/" not in bookings  # no move there
    assert "To cancel it" in told["body"] and "move" not in told["body"]
    assert "cancel or move" not in trust
