"""Trust a leader, take it back, and a trusted leader's own booking, race included."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from interra.agenda.models import Session
from interra.autonomy import selectors, services
from interra.autonomy.models import LeaderTrust
from interra.cities.models import Role
from interra.core.errors import Conflict, DomainError, PermissionDenied
from interra.notifications.models import Message
from interra.venues import services as venues_services
from interra.venues.models import Booking
from tests.factories import UserFactory, coordinator, member

from .factories import evening_room, seasoned_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(city):
    return coordinator(city)


@pytest.fixture
def host(city):
    return member(city, Role.PARTNER, email="host@partner.example")


@pytest.fixture
def room(city, host):
    return evening_room(city, contact=host)


def test_a_coordinator_trusts_an_eligible_leader_who_is_told_in_their_language(city, boss):
    workshop = seasoned_workshop(city)
    leader = workshop.leader
    leader.preferred_language = "ar"
    leader.save()
    trust = services.leader_trust_grant(leader=leader, city=city, by=boss, reason="Bravo")
    assert (trust.granted_by, trust.grant_reason, trust.revoked_at) == (boss, "Bravo", None)
    assert trust.evidence["held"] == 4 and trust.evidence["eligible"] is True
    message = Message.objects.get(recipient=leader, template="leader_trusted")
    assert message.language == "ar" and message.context["sign_in_next"] == "/agenda/lead/"
    assert selectors.workshops_to_schedule(leader) == [workshop]
    with pytest.raises(Conflict):
        services.leader_trust_grant(leader=leader, city=city, by=boss)


def test_only_a_coordinator_of_that_city_decides(city, other_city, boss):
    workshop = seasoned_workshop(city)
    admin = UserFactory(is_network_admin=True)
    for person in (coordinator(other_city), admin, workshop.leader, member(city, Role.VOLUNTEER)):
        with pytest.raises(PermissionDenied):
            services.leader_trust_grant(leader=workshop.leader, city=city, by=person)
    assert not LeaderTrust.objects.exists()


def test_a_superuser_network_admin_does_not_decide_either(city, boss):
    """Django's has_perm lets a superuser through any perm: the rule is asked directly
    (found by the security matrix: the network admin granted and revoked trust)."""
    workshop = seasoned_workshop(city)
    admin = UserFactory(is_network_admin=True, is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied):
        services.leader_trust_grant(leader=workshop.leader, city=city, by=admin)
    services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    with pytest.raises(PermissionDenied):
        services.leader_trust_revoke(leader=workshop.leader, city=city, by=admin,
                                     reason="Non")
    assert LeaderTrust.objects.get().revoked_at is None


def test_a_leader_below_the_thresholds_cannot_be_trusted(city, boss):
    workshop = seasoned_workshop(city, held=2)
    with pytest.raises(DomainError) as refused:
        services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    assert refused.value.code == "not_eligible"
    assert not LeaderTrust.objects.exists()


def test_taking_it_back_needs_a_reason_and_works_at_once(city, boss):
    workshop = seasoned_workshop(city)
    services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    with pytest.raises(DomainError):
        services.leader_trust_revoke(leader=workshop.leader, city=city, by=boss, reason=" ")
    trust = services.leader_trust_revoke(leader=workshop.leader, city=city, by=boss,
                                         reason="Deux annulations sans prévenir")
    assert trust.revoked_by == boss and trust.revoked_at is not None
    assert selectors.workshops_to_schedule(workshop.leader) == []
    told = Message.objects.get(recipient=workshop.leader, template="leader_trust_revoked")
    assert told.context["reason"] == "Deux annulations sans prévenir"
    with pytest.raises(Conflict):
        services.leader_trust_revoke(leader=workshop.leader, city=city, by=boss, reason="x")
    # Trusted again later: a new row, the history kept.
    services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    assert LeaderTrust.objects.filter(leader=workshop.leader).count() == 2


def test_a_trusted_leader_books_a_proposed_slot_straight_with_the_partner(city, boss, host,
                                                                           room):
    workshop = seasoned_workshop(city)
    leader = workshop.leader
    services.leader_trust_grant(leader=leader, city=city, by=boss)
    slot = selectors.slots_for(workshop)[0]
    booking = services.leader_session_request(workshop=workshop, leader=leader,
                                              room_id=room.pk, starts_at=slot.starts_at)
    assert booking.status == Booking.Status.REQUESTED and booking.requested_by == leader
    assert (booking.starts_at, booking.ends_at) == (slot.starts_at, slot.ends_at)
    assert Message.objects.filter(recipient=host, template="booking_requested").exists()
    to_boss = Message.objects.get(recipient=boss, template="leader_session_requested")
    assert to_boss.context["bookings_path"] == f"/venues/bookings/#booking-{booking.pk}"
    assert booking in selectors.leader_requests(cities=[city])
    # The leader is now busy then: the planner no longer offers that time.
    assert slot.starts_at not in [s.starts_at for s in selectors.slots_for(workshop)]
    # The partner confirms in their portal: the session is the leader's own.
    venues_services.booking_confirm(booking=booking, by=host)
    session = Session.objects.get(booking=booking)
    assert session.scheduled_by == leader and session.status == Session.Status.SCHEDULED


def test_the_coordinator_steps_in_by_cancelling_the_booking(city, boss, host, room):
    workshop = seasoned_workshop(city)
    services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    slot = selectors.slots_for(workshop)[0]
    booking = services.leader_session_request(workshop=workshop, leader=workshop.leader,
                                              room_id=room.pk, starts_at=slot.starts_at)
    venues_services.booking_cancel(booking=booking, by=boss)
    assert booking not in selectors.leader_requests(cities=[city])
    assert slot.starts_at in [s.starts_at for s in selectors.slots_for(workshop)]


def test_an_untrusted_or_revoked_leader_cannot_book(city, boss, room):
    workshop = seasoned_workshop(city)
    start = selectors.slots_for(workshop)[0].starts_at
    with pytest.raises(PermissionDenied):
        services.leader_session_request(workshop=workshop, leader=workshop.leader,
                                        room_id=room.pk, starts_at=start)
    services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    with pytest.raises(PermissionDenied):  # not their workshop
        services.leader_session_request(workshop=workshop, leader=UserFactory(),
                                        room_id=room.pk, starts_at=start)
    services.leader_trust_revoke(leader=workshop.leader, city=city, by=boss, reason="Pause")
    with pytest.raises(PermissionDenied):
        services.leader_session_request(workshop=workshop, leader=workshop.leader,
                                        room_id=room.pk, starts_at=start)
    assert not Booking.objects.exists()


def test_a_time_the_planner_would_not_offer_is_refused(city, boss, room):
    workshop = seasoned_workshop(city, days=("tue",))
    services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    start = selectors.slots_for(workshop)[0].starts_at
    for wrong in (start - timedelta(days=1), start.replace(hour=21),
                  timezone.now() - timedelta(days=1)):
        with pytest.raises(DomainError):
            services.leader_session_request(workshop=workshop, leader=workshop.leader,
                                            room_id=room.pk, starts_at=wrong)
    assert not Booking.objects.exists()


def test_two_leaders_taking_the_same_room_slot_one_wins(city, boss, room):
    first = seasoned_workshop(city, theme="cooking")
    second = seasoned_workshop(city, leader=UserFactory(), theme="music")
    for workshop in (first, second):
        services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    # Both pages showed the same time (computed before either tapped).
    start = selectors.slots_for(first)[0].starts_at
    assert start in [s.starts_at for s in selectors.slots_for(second)]
    services.leader_session_request(workshop=first, leader=first.leader, room_id=room.pk,
                                    starts_at=start)
    with pytest.raises(Conflict) as lost:
        services.leader_session_request(workshop=second, leader=second.leader,
                                        room_id=room.pk, starts_at=start)
    assert lost.value.code in ("taken", "gone")
    assert Booking.objects.filter(room=room, status=Booking.Status.REQUESTED).count() == 1


def test_the_room_lock_answers_a_race_the_check_missed(city, boss, room, monkeypatch):
    """The planner's check passed for both (read before the lock); the locked booking
    refuses the second, with the leader's own message."""
    first = seasoned_workshop(city, theme="cooking")
    second = seasoned_workshop(city, leader=UserFactory(), theme="music")
    for workshop in (first, second):
        services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    start = selectors.slots_for(first)[0].starts_at
    checked = selectors.slot_check(second, room_id=room.pk, starts_at=start)
    services.leader_session_request(workshop=first, leader=first.leader, room_id=room.pk,
                                    starts_at=start)
    monkeypatch.setattr(selectors, "slot_check", lambda *args, **kwargs: checked)
    with translation.override("en"), pytest.raises(Conflict) as lost:
        services.leader_session_request(workshop=second, leader=second.leader,
                                        room_id=room.pk, starts_at=start)
    assert lost.value.code == "taken"
    assert str(lost.value.message) == "Someone has just taken this time. Choose another one."


def test_export_and_erase_the_trust(city, boss):
    from interra.core import personal_data

    workshop = seasoned_workshop(city)
    services.leader_trust_grant(leader=workshop.leader, city=city, by=boss, reason="Bravo")
    exported = personal_data.export_all(workshop.leader)["leader_trust"]
    assert exported[0]["why"] == "Bravo" and exported[0]["city"] == city.name
    services.personal_data_erase(boss)
    assert LeaderTrust.objects.get().granted_by is None
    services.personal_data_erase(workshop.leader)
    assert not LeaderTrust.objects.exists()


def test_a_double_tap_on_two_times_books_no_more_sessions_than_the_workshop_wants(
        city, boss, room, monkeypatch):
    """A workshop that wants one more session; the leader taps two times shown on the page
    (two requests, both checked before either booked): only one room is asked for."""
    workshop = seasoned_workshop(city)
    workshop.needs = {**(workshop.needs or {}), "sessions": 5}  # 4 held: one more wanted
    workshop.save(update_fields=["needs"])
    services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    first, second = selectors.slots_for(workshop)[:2]
    monkeypatch.setattr(selectors, "workshop_to_schedule", lambda user, pk: workshop)
    services.leader_session_request(workshop=workshop, leader=workshop.leader,
                                    room_id=room.pk, starts_at=first.starts_at)
    with pytest.raises(Conflict):
        services.leader_session_request(workshop=workshop, leader=workshop.leader,
                                        room_id=room.pk, starts_at=second.starts_at)
    assert Booking.objects.filter(workshop=workshop).count() == 1


def test_trust_taken_back_while_the_leader_taps_books_nothing(city, boss, room, monkeypatch):
    """The page and the first check ran while the leader was trusted; the coordinator
    took it back before the booking: the booking is checked again under the lock."""
    workshop = seasoned_workshop(city)
    services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    start = selectors.slots_for(workshop)[0].starts_at
    monkeypatch.setattr(selectors, "workshop_to_schedule", lambda user, pk: workshop)
    services.leader_trust_revoke(leader=workshop.leader, city=city, by=boss, reason="Pause")
    with pytest.raises(PermissionDenied):
        services.leader_session_request(workshop=workshop, leader=workshop.leader,
                                        room_id=room.pk, starts_at=start)
    assert not Booking.objects.exists()
