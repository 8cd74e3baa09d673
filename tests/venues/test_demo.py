from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from interra.cities.models import City
from interra.venues.models import Booking, Material, MaterialLoan, OpeningRule, Partner, Room
from interra.venues.selectors import room_finder


@pytest.mark.django_db
def test_demo_partners_rooms_bookings_and_the_finder_answers():
    call_command("seed_demo")
    liege = City.objects.get(slug="liege")
    assert Partner.objects.filter(city=liege).count() >= 10
    assert Room.objects.filter(venue__city=liege).count() >= 12
    assert OpeningRule.objects.exists() and Material.objects.exists()
    assert all(p.contacts.exists() for p in Partner.objects.all())
    assert MaterialLoan.objects.filter(returned_at__isnull=True,
                                       ends_at__lt=timezone.now()).exists()
    # Demo bookings never clash, like real ones.
    for room in Room.objects.all():
        held = sorted(Booking.objects.filter(room=room, status__in=Booking.ACTIVE_STATUSES)
                      .values_list("blocked_from", "blocked_until"))
        assert all(a[1] <= b[0] for a, b in zip(held, held[1:], strict=False)), room
    start = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1),
                                                 time(0)))
    results = room_finder(city=liege, capacity=12, equipment=["kitchen"],
                          accessibility=["step_free"], neighbourhoods=["Outremeuse"],
                          window_start=start, window_end=start + timedelta(days=14),
                          duration=timedelta(hours=2))
    assert results and results[0].fits and results[0].reasons and results[0].slots
    assert results[0].room.venue.neighbourhood == "Outremeuse"
