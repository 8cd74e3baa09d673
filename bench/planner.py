"""Benchmark: the scheduling assistant on generated cities, against a greedy first-fit.

Run:  .venv/bin/python bench/planner.py  [--sizes small,medium,large] [--limit 30] [--seed 1]

No database: the instances are built directly as the solver's plain dataclasses. Four
weeks from the Monday before the last Sunday of March (the clocks change inside the
period), on a 30-minute grid. Made to be hard the way a real month is: rooms open four
or five weekdays (morning, afternoon or evening to 21 or 22 h, some Saturdays) with
bookings already made; one room in twelve is a kitchen, which also serves as an
ordinary room; three rooms a venue and two sessions per venue per evening; leaders are
free one to three half-days a week, mostly evenings, and some run two workshops; short
materials (one sound box per 150 workshops); 30 minutes of travel; one theme at a time
(small and medium cities). Prints, per size, the sessions placed by the greedy
first-fit (the coordinator by hand: longest waiting first, the first room and time that
fit), by the planner (CP-SAT, the 10 best rooms per workshop, started from the best of
a few first-fit orders), the upper bound (CP-SAT's on the full model, else the smallest
of valid relaxations: each workshop alone, per leader, per theme, per material, per
venue-evening), and the planner's time, as the last lines:

    SIZE placed P of W; bound B; ratio P/B; greedy G; seconds S
"""

import argparse
import random
import sys
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from interra.planning.solver import (  # noqa: E402
    TIME_OF_DAY_RANGES,
    MaterialStock,
    Policies,
    Problem,
    RoomSupply,
    WorkshopNeed,
    greedy,
    solve,
    starting_plan,
)

TZ = ZoneInfo("Europe/Brussels")
# workshops, rooms, and whether the city keeps one theme at a time: a rule for a city of
# tens of workshops; with 600 on the twelve themes it alone would leave a third of the
# sessions unplaced (about 125 sessions of each theme one after another), so the large
# city runs without it (--themes-exclusive puts it back).
SIZES = {"small": (20, 10, True), "medium": (150, 30, True), "large": (600, 80, False)}
THEMES = ["cooking", "art", "sport", "music", "dance", "discussion", "crafts", "languages",
          "nature", "digital", "wellbeing", "other"]
KIND_OF_THEME = {"cooking": "kitchen", "sport": "sports_hall", "dance": "studio",
                 "discussion": "quiet_room", "languages": "quiet_room"}
NEIGHBOURHOODS = ["Centre", "Outremeuse", "Droixhe", "Sainte-Marguerite", "Saint-Léonard",
                  "Angleur", "Laveu", "Cointe"]


def instance(workshops: int, rooms: int, seed: int, themes_exclusive=True) -> Problem:
    """A city where a coordinator's first fit goes wrong: kitchens are few (and also serve
    as ordinary rooms), most leaders are free one or two evenings a week, venues take two
    sessions an evening, some materials are short, one theme at a time, 30 minutes of
    travel between a leader's sessions."""
    rng = random.Random(seed)
    start = datetime(2027, 3, 22, tzinfo=TZ)  # Monday; clocks go forward on the 28th
    days = 28
    problem = Problem(start=start, days=days, workshops=[], rooms=[], materials=[],
                      policies=Policies(max_sessions_per_venue_evening=2, travel_minutes=30,
                                        themes_exclusive=themes_exclusive), tz=TZ)
    venues = max(1, rooms // 3)  # three rooms a venue, two sessions an evening
    for key in range(rooms):
        venue = key % venues
        kind = rng.choices(["kitchen", "sports_hall", "studio", "quiet_room"],
                           weights=[1, 2, 3, 6])[0]
        kinds = {kind, "quiet_room"}  # every room can host a talk
        equipment = {e for e in ["tables", "sink", "projector", "wifi"] if rng.random() < 0.5}
        if kind == "kitchen":
            equipment |= {"kitchen", "sink"}
        free = []
        weekdays = rng.sample(range(5), rng.randint(4, 5))
        if rng.random() < 0.3:
            weekdays.append(5)
        for day in range(days):
            date = (start + timedelta(days=day)).date()
            if date.weekday() not in weekdays:
                continue
            opens = time(rng.choice([9, 13, 17]))
            closes = time(rng.choice([21, 22]))
            begin = datetime.combine(date, opens, tzinfo=TZ)
            finish = datetime.combine(date, closes, tzinfo=TZ)
            if rng.random() < 0.2:  # an existing booking, with its buffers
                taken = datetime.combine(date, time(rng.choice([17, 18, 19])), tzinfo=TZ)
                free += [(begin, taken), (taken + timedelta(hours=2), finish)]
            else:
                free.append((begin, finish))
        problem.rooms.append(RoomSupply(
            key=key, venue=venue, neighbourhood=NEIGHBOURHOODS[venue % len(NEIGHBOURHOODS)],
            capacity=rng.choice([12, 15, 20, 25, 30, 40]), free=tuple(free),
            kinds=frozenset(kinds), equipment=frozenset(equipment),
            accessibility=frozenset({"step_free"} if rng.random() < 0.7 else set()),
            setup_minutes=15, cleanup_minutes=rng.choice([15, 30]), name=f"Room {key}"))
    # Short for a city of 150 workshops; a bigger city has proportionally more.
    scale = max(1, workshops // 150)
    problem.materials = [MaterialStock(key=k, quantity=q * scale, name=n) for k, (n, q) in
                         enumerate([("sewing machines", 4), ("sound box", 1), ("easels", 8)])]
    leaders = max(1, int(workshops * 0.7))  # some leaders run two workshops, none more
    leader_availability = {}
    for leader in range(leaders):
        availability = {}
        # Most leaders work: one or two evenings; some are free afternoons or Saturdays.
        for weekday in rng.sample(range(6), rng.choice([1, 2, 2, 3, 3])):
            part = rng.choices(["morning", "afternoon", "evening"], weights=[1, 2, 5])[0]
            availability[weekday] = [TIME_OF_DAY_RANGES[part]]
        leader_availability[leader] = availability
    for key in range(workshops):
        theme = rng.choices(THEMES, weights=[3, 2, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2])[0]
        leader = key % leaders
        materials = {}
        if theme == "crafts":
            materials[0] = rng.choice([2, 3])
        if theme in ("music", "dance"):
            materials[1] = 1
        if theme == "art":
            materials[2] = rng.choice([4, 6])
        problem.workshops.append(WorkshopNeed(
            key=key, leader=leader, theme=theme, sessions=rng.choice([1, 2, 3, 4]),
            duration_minutes=rng.choice([90, 120, 120, 150]),
            group_size=rng.choice([8, 10, 12, 15, 20]),
            room_kind=KIND_OF_THEME.get(theme, ""),
            equipment=frozenset({"kitchen"} if theme == "cooking" else set()),
            accessibility=frozenset({"step_free"} if rng.random() < 0.2 else set()),
            neighbourhoods=frozenset(rng.sample(NEIGHBOURHOODS, 2)),
            availability=leader_availability[leader], materials=materials,
            waited_days=rng.randint(0, 120), title=f"Workshop {key}"))
    return problem


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rooms-per-workshop", type=int, default=10,
                        help="keep the best N rooms per workshop in the model (0 = all)")
    parser.add_argument("--themes-shared", action="store_true",
                        help="allow two sessions of one theme at the same time, every size")
    parser.add_argument("--themes-exclusive", action="store_true",
                        help="one theme at a time, every size (the large city too)")
    args = parser.parse_args()
    # Loaded once per process, as in a running server: not part of any timing.
    from ortools.sat.python import cp_model  # noqa: F401

    lines = []
    for size in args.sizes.split(","):
        workshops, rooms, exclusive = SIZES[size]
        exclusive = (exclusive or args.themes_exclusive) and not args.themes_shared
        problem = instance(workshops, rooms, args.seed, exclusive)
        first_fit = greedy(problem)
        # The planner's time includes its own starting point (the best of a few orders).
        start = starting_plan(problem, budget=0.3 * args.limit)
        plan = solve(problem, time_limit=max(1.0, args.limit - start.seconds),
                     workers=args.workers, hint=start.placements,
                     max_rooms_per_workshop=args.rooms_per_workshop)
        plan.seconds += start.seconds
        print(f"{size}: {workshops} workshops, {rooms} rooms, {plan.wanted} sessions wanted, "
              f"themes {'one at a time' if exclusive else 'shared'}; "
              f"greedy {first_fit.placed} in {first_fit.seconds:.1f} s; planner "
              f"{plan.placed} ({plan.status}) in {plan.seconds:.1f} s; bound {plan.bound}",
              flush=True)
        ratio = plan.placed / plan.bound if plan.bound else 1.0
        lines.append(f"{size} placed {plan.placed} of {plan.wanted}; bound {plan.bound}; "
                     f"ratio {ratio:.3f}; greedy {first_fit.placed}; "
                     f"seconds {plan.seconds:.1f}")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
