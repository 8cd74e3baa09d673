from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from interra.venues import availability, services
from interra.venues.selectors import room_finder
from tests.factories import (
    OpeningRuleFactory,
    PartnerFactory,
    RoomFactory,
    VenueFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db

MONDAY = datetime(2030, 1, 7).date()


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def find(city, **needs):
    defaults = {"capacity": 10, "equipment": [], "accessibility": [], "neighbourhoods": [],
                "window_start": at(MONDAY, 0), "window_end": at(MONDAY + timedelta(days=7), 0),
                "duration": timedelta(hours=2)}
    return room_finder(city=city, **{**defaults, **needs})


@pytest.fixture
def rooms(city):
    kitchen = RoomFactory(name="Kitchen", capacity=12, equipment=["kitchen", "oven"],
                          accessibility=["step_free"],
                          venue=VenueFactory(partner=PartnerFactory(city=city),
                                             neighbourhood="Outremeuse"))
    hall = RoomFactory(name="Hall", capacity=40, equipment=["sports_floor"], accessibility=[],
                       venue=VenueFactory(partner=PartnerFactory(city=city),
                                          neighbourhood="Laveu"))
    small = RoomFactory(name="Small", capacity=6, equipment=["kitchen"],
                        venue=VenueFactory(partner=PartnerFactory(city=city),
                                           neighbourhood="Centre"))
    for room in (kitchen, hall, small):
        OpeningRuleFactory(room=room, rrule="FREQ=WEEKLY;BYDAY=TU", opens_at=time(14),
                           closes_at=time(21))
    return {"kitchen": kitchen, "hall": hall, "small": small}


def test_rooms_meeting_every_need_come_first_with_reasons(city, rooms):
    results = find(city, capacity=10, equipment=["kitchen"], accessibility=["step_free"],
                   neighbourhoods=["Outremeuse"])
    assert [c.room.name for c in results][0] == "Kitchen"
    first = results[0]
    assert first.fits and all(reason.ok for reason in first.reasons)
    small = next(c for c in results if c.room.name == "Small")
    assert not small.fits
    assert any(not reason.ok for reason in small.reasons)
    assert results.index(small) > 0


def test_slots_respect_opening_hours_and_buffers(city, rooms):
    [candidate] = [c for c in find(city) if c.room == rooms["kitchen"]]
    tuesday = MONDAY + timedelta(days=1)
    # Opens 14:00, 15 minutes set-up, 30-minute steps: the first start is 14:30.
    assert candidate.slots == [at(tuesday, 14, 30)]


def test_booked_and_closed_rooms_are_not_proposed(city, rooms):
    tuesday = MONDAY + timedelta(days=1)
    services.booking_request(room=rooms["kitchen"], workshop=WorkshopFactory(city=city),
                             starts_at=at(tuesday, 14, 30), ends_at=at(tuesday, 20, 30))
    services.closure_add(venue=rooms["hall"].venue, starts_at=at(tuesday, 0),
                         ends_at=at(tuesday, 23))
    names = [c.room.name for c in find(city)]
    assert "Kitchen" not in names and "Hall" not in names
    assert "Small" in names


def test_other_cities_rooms_are_never_proposed(city, other_city, rooms):
    RoomFactory(venue=VenueFactory(partner=PartnerFactory(city=other_city)))
    assert {c.room.venue.city_id for c in find(city)} == {city.pk}


def test_the_finder_runs_in_a_fixed_number_of_queries(city, rooms, django_assert_max_num_queries):
    for _ in range(10):
        OpeningRuleFactory(room=RoomFactory(venue=VenueFactory(partner=PartnerFactory(city=city))))
    with django_assert_max_num_queries(4):
        assert len(find(city)) >= 10


def test_opening_intervals_keep_wall_clock_hours_across_dst(city):
    room = RoomFactory(venue=VenueFactory(partner=PartnerFactory(city=city)))
    rule = OpeningRuleFactory(room=room, rrule="FREQ=WEEKLY;BYDAY=SU", opens_at=time(10),
                              closes_at=time(12))
    # 2030-03-31 is the last Sunday of March: Brussels moves to summer time that night.
    day = datetime(2030, 3, 31).date()
    [(opens, closes)] = availability.opening_intervals([rule], at(day, 0), at(day, 23))
    assert timezone.localtime(opens).hour == 10 and timezone.localtime(closes).hour == 12


def test_subtract_and_merge():
    t = [at(MONDAY, h) for h in range(24)]
    assert availability.subtract([(t[8], t[18])], [(t[10], t[12]), (t[11], t[13])]) == [
        (t[8], t[10]), (t[13], t[18])]
