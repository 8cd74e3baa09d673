"""Who may be trusted (the city's thresholds), and the slots the planner proposes."""

import time as clock
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from interra.autonomy import selectors
from interra.autonomy.models import LeaderTrust
from interra.venues import services as venues_services
from tests.factories import UserFactory

from .factories import evening_room, held_sessions, seasoned_workshop

pytestmark = pytest.mark.django_db


def test_a_leader_with_enough_good_sessions_is_eligible(city):
    workshop = seasoned_workshop(city, held=4, rating=5)
    record = selectors.leader_record(leader=workshop.leader, city=city)
    assert (record.held, record.average_feedback, record.attendance_percent) == (4, 5.0, 100.0)
    assert record.eligible and record.trust is None
    assert [r.leader for r in selectors.leader_records(city=city)] == [workshop.leader]


@pytest.mark.parametrize("change, meets", [
    ({"trust_min_held_sessions": 6}, "meets_held"),
    ({"trust_min_average_feedback": Decimal("4.6")}, "meets_feedback"),
    ({"trust_min_attendance_percent": 90}, "meets_attendance"),
])
def test_each_city_threshold_counts(city, change, meets):
    workshop = seasoned_workshop(city, held=4, rating=5)
    held_sessions(workshop, count=1, rating=2, came=False)  # 5 held, 4.4 average, 80 %
    assert selectors.leader_record(leader=workshop.leader, city=city).eligible
    for name, value in change.items():
        setattr(city, name, value)
    city.save()
    record = selectors.leader_record(leader=workshop.leader, city=city)
    assert not getattr(record, meets) and not record.eligible


def test_defaults_are_sensible(city):
    assert city.trust_min_held_sessions == 4
    assert city.trust_min_average_feedback == Decimal("4.0")
    assert city.trust_min_attendance_percent == 70


def test_no_feedback_or_registration_is_not_eligible(city):
    workshop = seasoned_workshop(city, held=6, rating=0)
    record = selectors.leader_record(leader=workshop.leader, city=city)
    assert record.average_feedback is None and not record.eligible


def test_another_city_does_not_count(city, other_city):
    workshop = seasoned_workshop(other_city)
    assert selectors.leader_records(city=city) == []
    assert not selectors.leader_record(leader=workshop.leader, city=city).eligible


def _trust(workshop):
    return LeaderTrust.objects.create(leader=workshop.leader, city=workshop.city,
                                      granted_at=timezone.now())


def test_slots_fit_the_rooms_and_the_leader_and_come_fast(city):
    room = evening_room(city)
    workshop = seasoned_workshop(city, days=("tue", "thu"), times=("evening",))
    _trust(workshop)
    import ortools.sat.python.cp_model  # noqa: F401  (once per server process, at start)

    began = clock.monotonic()
    slots = selectors.slots_for(workshop)
    seconds = clock.monotonic() - began
    assert seconds < 2, seconds
    assert 1 < len(slots) <= selectors.SLOT_CHOICES
    days = set()
    for slot in slots:
        local = timezone.localtime(slot.starts_at)
        assert slot.room == room
        assert local.weekday() in (1, 3) and local.hour >= 18  # Tuesday, Thursday evening
        # The room closes at 22:00 and keeps 15 minutes to clean up.
        assert timezone.localtime(slot.ends_at).strftime("%H:%M") <= "21:45"
        assert slot.starts_at > timezone.now()
        days.add(local.date())
    assert len(days) == len(slots)  # one choice per day


def test_slots_avoid_bookings_and_the_leaders_own_requests(city):
    room = evening_room(city)
    workshop = seasoned_workshop(city)
    _trust(workshop)
    first = selectors.slots_for(workshop)[0]
    other = seasoned_workshop(city, leader=UserFactory())
    venues_services.booking_request(room=room, workshop=other, starts_at=first.starts_at,
                                    ends_at=first.ends_at)
    again = selectors.slots_for(workshop)
    assert all(abs(s.starts_at - first.starts_at) >= timedelta(hours=2, minutes=30)
               for s in again)


def test_slot_check_refuses_what_the_planner_would_not_place(city):
    room = evening_room(city)
    workshop = seasoned_workshop(city, days=("tue",), times=("evening",))
    slot = selectors.slots_for(workshop)[0]
    assert selectors.slot_check(workshop, room_id=room.pk, starts_at=slot.starts_at)
    monday = slot.starts_at - timedelta(days=1)  # the leader is not free on Mondays
    assert selectors.slot_check(workshop, room_id=room.pk, starts_at=monday) is None
    late = slot.starts_at.replace(hour=21)  # would end after closing time
    assert selectors.slot_check(workshop, room_id=room.pk, starts_at=late) is None
    assert selectors.slot_check(workshop, room_id=room.pk + 999,
                                starts_at=slot.starts_at) is None


def test_only_trusted_leaders_have_workshops_to_schedule(city):
    workshop = seasoned_workshop(city)
    assert selectors.workshops_to_schedule(workshop.leader) == []
    trust = _trust(workshop)
    assert selectors.workshops_to_schedule(workshop.leader) == [workshop]
    trust.revoked_at = timezone.now()
    trust.save()
    assert selectors.workshops_to_schedule(workshop.leader) == []


def test_a_workshop_with_all_its_sessions_wants_no_more(city):
    workshop = seasoned_workshop(city, held=4, sessions=4)
    _trust(workshop)
    assert selectors.sessions_still_wanted(workshop) == 0
    assert selectors.workshops_to_schedule(workshop.leader) == []
