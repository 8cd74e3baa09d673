"""Benchmark: the room finder on a generated city of 100 venues (about 250 rooms).

Run:  .venv/bin/python bench/room_finder.py  [--runs 60] [--venues 100]

Sets Django up on a throw-away SQLite database (test settings), generates a city with
opening rules, closures and a few hundred bookings, then times ``room_finder`` for several
typical needs over a two-week window. Prints median and p95 in milliseconds, and the ratio
to a trivial baseline measured in the same run (loading the city's rooms with their venue),
so the figure means something on any machine.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DB_DIR = tempfile.mkdtemp(prefix="interra-bench-")
os.environ["DJANGO_SETTINGS_MODULE"] = "interra.config.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{DB_DIR}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from interra.accounts.models import User  # noqa: E402
from interra.cities.models import City  # noqa: E402
from interra.proposals.models import Workshop  # noqa: E402
from interra.venues.models import (  # noqa: E402
    Accessibility,
    Booking,
    Closure,
    Equipment,
    OpeningRule,
    Partner,
    Room,
    Venue,
)
from interra.venues.selectors import room_finder  # noqa: E402

NEIGHBOURHOODS = ["Centre", "Outremeuse", "Saint-Léonard", "Sainte-Marguerite", "Laveu",
                  "Guillemins", "Bressoux", "Droixhe", "Longdoz", "Angleur", "Cointe", "Jupille"]
RULES = ["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "FREQ=WEEKLY;BYDAY=TU,TH", "FREQ=WEEKLY;BYDAY=SA,SU",
         "FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=DAILY"]


def generate(venue_count: int, rng: random.Random):
    city = City.objects.create(name="Benchville", slug="benchville",
                               neighbourhoods=NEIGHBOURHOODS)
    leader = User.objects.create_user(email="leader@bench.example", display_name="Leader")
    workshop = Workshop.objects.create(city=city, leader=leader, theme="cooking",
                                       title={"fr": "Bench"}, description={"fr": "Bench"})
    today = timezone.localdate()
    rooms = []
    for index in range(venue_count):
        partner = Partner.objects.create(city=city, name=f"Partner {index}")
        venue = Venue.objects.create(
            partner=partner, city=city, name=f"Venue {index}", address=f"Rue {index}",
            neighbourhood=rng.choice(NEIGHBOURHOODS),
            latitude=50.60 + rng.random() / 10, longitude=5.52 + rng.random() / 10)
        for number in range(rng.choice([1, 2, 3, 4])):
            rooms.append(Room(
                venue=venue, name=f"Room {index}.{number}", capacity=rng.choice([8, 12, 20, 40]),
                equipment=rng.sample(Equipment.values, rng.randrange(0, 5)),
                accessibility=rng.sample(Accessibility.values, rng.randrange(0, 3))))
        if rng.random() < 0.2:
            start = timezone.make_aware(datetime.combine(today + timedelta(rng.randrange(14)),
                                                         clock(0)))
            Closure.objects.create(venue=venue, starts_at=start, ends_at=start + timedelta(1))
    rooms = Room.objects.bulk_create(rooms)
    rules, bookings = [], []
    for room in rooms:
        for rule in rng.sample(RULES, rng.choice([1, 2])):
            opens = rng.choice([9, 10, 13, 14])
            rules.append(OpeningRule(room=room, rrule=rule, opens_at=clock(opens),
                                     closes_at=clock(opens + rng.choice([4, 6, 8])),
                                     valid_from=today - timedelta(days=60)))
        for _ in range(rng.randrange(0, 5)):
            start = timezone.make_aware(datetime.combine(
                today + timedelta(days=rng.randrange(1, 15)), clock(rng.randrange(9, 19))))
            if any(b.room_id == room.pk and b.starts_at == start for b in bookings):
                continue
            bookings.append(Booking(room=room, workshop=workshop, starts_at=start,
                                    ends_at=start + timedelta(hours=2), status="confirmed",
                                    blocked_from=start - timedelta(minutes=15),
                                    blocked_until=start + timedelta(hours=2, minutes=15)))
    OpeningRule.objects.bulk_create(rules)
    Booking.objects.bulk_create(bookings)  # bulk_create skips save(): buffers set above
    return city, len(rooms), len(rules), len(bookings)


def timed(function, runs: int) -> list[float]:
    function()  # warm-up
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def p95(values):
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venues", type=int, default=100)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    city, room_count, rule_count, booking_count = generate(args.venues, rng)
    start = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1),
                                                 clock(0)))
    window = {"window_start": start, "window_end": start + timedelta(days=14)}
    scenarios = {
        "no needs, 2 h": dict(capacity=0, duration=timedelta(hours=2)),
        "12 people, kitchen+oven, step-free, 2 h": dict(
            capacity=12, equipment=["kitchen", "oven"], accessibility=["step_free"],
            duration=timedelta(hours=2)),
        "20 people, sports floor, 3 neighbourhoods, 3 h": dict(
            capacity=20, equipment=["sports_floor"],
            neighbourhoods=["Outremeuse", "Droixhe", "Bressoux"], duration=timedelta(hours=3)),
    }
    baseline = timed(lambda: list(Room.objects.filter(venue__city=city)
                                  .select_related("venue")), args.runs)
    base_median = statistics.median(baseline)
    print(f"City: {args.venues} venues, {room_count} rooms, {rule_count} opening rules, "
          f"{booking_count} bookings; window 14 days; {args.runs} runs each (SQLite).")
    print(f"baseline (load the city's rooms with venues): median {base_median:.2f} ms, "
          f"p95 {p95(baseline):.2f} ms")
    for name, needs in scenarios.items():
        results = room_finder(city=city, **window, **needs)
        timings = timed(lambda needs=needs: room_finder(city=city, **window, **needs), args.runs)
        median = statistics.median(timings)
        print(f"room_finder [{name}]: {len(results)} candidates, median {median:.1f} ms, "
              f"p95 {p95(timings):.1f} ms, {median / base_median:.1f}× baseline")


if __name__ == "__main__":
    main()
