"""The solver's hard constraints, checked on solved plans by plain recounting.

No database. Periods are chosen across the clocks changing (the last Sunday of March and
of October), where a wall-clock rule and absolute time disagree by an hour.
"""

import random
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from interra.planning.solver import (
    MaterialStock,
    Placement,
    Policies,
    Problem,
    RoomSupply,
    WorkshopNeed,
    greedy,
    solve,
    starting_plan,
)

TZ = ZoneInfo("Europe/Brussels")
MARCH_MONDAY = datetime(2027, 3, 22, tzinfo=TZ)  # clocks go forward on Sunday 28 March
OCTOBER_MONDAY = datetime(2026, 10, 19, tzinfo=TZ)  # clocks go back on Sunday 25 October


def daily(start, days, opens, closes, weekdays=range(7)):
    """Free intervals from wall-clock hours, built here independently of the solver."""
    spans = []
    for day in range(days):
        date = (start + timedelta(days=day)).date()
        if date.weekday() in weekdays:
            spans.append((datetime.combine(date, opens, tzinfo=TZ),
                          datetime.combine(date, closes, tzinfo=TZ)))
    return tuple(spans)


def random_problem(start, seed, *, workshops=14, rooms=5, days=14):
    rng = random.Random(seed)
    room_list = []
    for key in range(rooms):
        free = list(daily(start, days, time(rng.choice([9, 14])), time(21),
                          weekdays=rng.sample(range(7), 5)))
        if free:  # an existing booking cut out of one opening
            begin, finish = free.pop(rng.randrange(len(free)))
            free += [(begin, begin + timedelta(hours=2)), (begin + timedelta(hours=4), finish)]
        room_list.append(RoomSupply(
            key=key, venue=key // 2, neighbourhood=["Droixhe", "Centre"][key % 2],
            capacity=rng.choice([10, 20, 30]), free=tuple(free),
            kinds=frozenset({"quiet_room", "kitchen"} if key % 2 else {"quiet_room"}),
            equipment=frozenset({"kitchen"} if key % 2 else set()),
            setup_minutes=rng.choice([0, 15, 30]), cleanup_minutes=rng.choice([15, 30]),
            name=f"Room {key}"))
    needs = []
    for key in range(workshops):
        days_free = rng.sample(range(7), 3)
        needs.append(WorkshopNeed(
            key=key, leader=key % 5, theme=rng.choice(["cooking", "art", "music"]),
            sessions=rng.choice([1, 2, 3]), duration_minutes=rng.choice([60, 90, 120]),
            group_size=rng.choice([8, 12, 18]),
            room_kind="kitchen" if key % 3 == 0 else "",
            availability={d: [(time(14), time(17)), (time(18), time(22, 30))]
                          for d in days_free},
            materials={1: rng.choice([1, 2])} if key % 2 else {},
            waited_days=rng.randint(0, 60)))
    return Problem(start=start, days=days, workshops=needs, rooms=room_list,
                   materials=[MaterialStock(key=1, quantity=3, lent=(
                       (start + timedelta(days=2, hours=15), start + timedelta(days=2, hours=19),
                        2),))],
                   policies=Policies(max_sessions_per_venue_evening=2, travel_minutes=30),
                   tz=TZ)


def utc(moment):
    return moment.astimezone(UTC)


def assert_hard_constraints(problem, plan):
    """Every comparison in UTC: aware datetimes sharing a tzinfo compare in wall-clock
    time in Python, which would hide an error in the repeated hour of October."""
    rooms = {room.key: room for room in problem.rooms}
    needs = {need.key: need for need in problem.workshops}
    placements = [Placement(p.workshop, p.room, utc(p.starts_at), utc(p.ends_at))
                  for p in plan.placements]
    counted = {}
    for p in placements:
        counted[p.workshop] = counted.get(p.workshop, 0) + 1
        need, room = needs[p.workshop], rooms[p.room]
        assert p.ends_at - p.starts_at == timedelta(minutes=need.duration_minutes)
        assert room.capacity >= need.group_size
        if need.room_kind:
            assert need.room_kind in room.kinds
        assert need.equipment <= room.equipment
        # Inside one free interval, set-up and clean-up included.
        held = (p.starts_at - timedelta(minutes=room.setup_minutes),
                p.ends_at + timedelta(minutes=room.cleanup_minutes))
        assert any(utc(a) <= held[0] and held[1] <= utc(b) for a, b in room.free), p
        # The leader's wall-clock availability, on the local date of the session.
        local_start, local_end = p.starts_at.astimezone(TZ), p.ends_at.astimezone(TZ)
        ranges = need.availability.get(local_start.weekday(), [])
        assert any(begin <= local_start.time() and local_end.time() <= end
                   and local_end.date() == local_start.date() for begin, end in ranges), p
        assert local_start.minute in (0, 30)
    for key, count in counted.items():
        assert count <= needs[key].sessions
    for i, a in enumerate(placements):
        for b in placements[i + 1:]:
            ra, rb = rooms[a.room], rooms[b.room]
            if a.room == b.room:  # no room double-booked, buffers included
                assert (a.ends_at + timedelta(minutes=ra.cleanup_minutes)
                        <= b.starts_at - timedelta(minutes=rb.setup_minutes)
                        or b.ends_at + timedelta(minutes=rb.cleanup_minutes)
                        <= a.starts_at - timedelta(minutes=ra.setup_minutes)), (a, b)
            travel = timedelta(minutes=problem.policies.travel_minutes)
            if needs[a.workshop].leader == needs[b.workshop].leader:  # no leader in two places
                assert a.ends_at + travel <= b.starts_at or b.ends_at + travel <= a.starts_at
            if needs[a.workshop].theme == needs[b.workshop].theme:
                assert a.ends_at <= b.starts_at or b.ends_at <= a.starts_at
            if a.workshop == b.workshop:
                assert abs(a.starts_at - b.starts_at) >= timedelta(hours=23)
    # Materials never over-lent: at every start of a use, the units out fit the stock.
    for stock in problem.materials:
        uses = [(p.starts_at, p.ends_at, needs[p.workshop].materials[stock.key])
                for p in placements if stock.key in needs[p.workshop].materials]
        uses += [(utc(a), utc(b), units) for a, b, units in stock.lent]
        for moment, _, _ in uses:
            out = sum(units for begin, end, units in uses if begin <= moment < end)
            assert out <= stock.quantity, (moment, out)
    # At most N sessions per venue per evening (a session starting from 17:00).
    evenings = {}
    for p in placements:
        local = p.starts_at.astimezone(TZ)
        if local.time() >= problem.policies.evening_from:
            key = (rooms[p.room].venue, local.date())
            evenings[key] = evenings.get(key, 0) + 1
    assert all(n <= problem.policies.max_sessions_per_venue_evening
               for n in evenings.values()), evenings


@pytest.mark.parametrize("start", [MARCH_MONDAY, OCTOBER_MONDAY], ids=["march", "october"])
@pytest.mark.parametrize("seed", [1, 2])
def test_solved_plan_keeps_every_hard_constraint_across_the_clock_change(start, seed):
    problem = random_problem(start, seed)
    plan = solve(problem, time_limit=5, workers=1, hint=greedy(problem).placements)
    assert plan.status in ("optimal", "feasible")
    assert plan.placed > 0
    assert plan.placed <= plan.bound <= plan.wanted
    assert_hard_constraints(problem, plan)
    # Some sessions really fall after the change, so the wall-clock checks mean something.
    change = utc(start + timedelta(days=7))
    assert any(utc(p.starts_at) > change for p in plan.placements)


@pytest.mark.parametrize("start", [MARCH_MONDAY, OCTOBER_MONDAY], ids=["march", "october"])
def test_greedy_plan_keeps_every_hard_constraint(start):
    problem = random_problem(start, 3)
    assert_hard_constraints(problem, greedy(problem))


def one_room_problem(start, *, sessions=1, days=14, **need):
    room = RoomSupply(key=1, venue=1, neighbourhood="Droixhe", capacity=20,
                      free=daily(start, days, time(9), time(22)), kinds=frozenset({"quiet_room"}),
                      setup_minutes=15, cleanup_minutes=15, name="Salle")
    fields = {"key": 1, "leader": 1, "theme": "art", "sessions": sessions,
              "duration_minutes": 120, "group_size": 10, **need}
    return Problem(start=start, days=days, workshops=[WorkshopNeed(**fields)], rooms=[room],
                   tz=TZ)


def test_evening_stays_the_same_wall_clock_time_after_clocks_go_forward():
    # Free only on Mondays 18:00-20:00: the second Monday is after the change.
    problem = one_room_problem(MARCH_MONDAY, sessions=2,
                               availability={0: [(time(18), time(20))]})
    plan = solve(problem, time_limit=5, workers=1)
    assert plan.placed == 2
    local = [p.starts_at.astimezone(TZ) for p in plan.placements]
    assert [(t.date().isoformat(), t.strftime("%H:%M")) for t in local] == [
        ("2027-03-22", "18:00"), ("2027-03-29", "18:00")]
    # In UTC the two sessions are an hour apart in time of day.
    assert plan.placements[0].starts_at.astimezone(ZoneInfo("UTC")).hour == 17
    assert plan.placements[1].starts_at.astimezone(ZoneInfo("UTC")).hour == 16


def test_sunday_of_the_change_back_is_a_25_hour_day():
    start = datetime(2026, 10, 25, tzinfo=TZ)
    # The room closes at 22:00 wall-clock; 15 minutes of clean-up: only 19:30 fits.
    problem = one_room_problem(start, days=1, availability={6: [(time(19, 30), time(21, 30))]})
    plan = solve(problem, time_limit=5, workers=1)
    assert plan.placed == 1
    assert plan.placements[0].starts_at.astimezone(TZ).strftime("%H:%M") == "19:30"
    assert utc(plan.placements[0].starts_at).strftime("%H:%M") == "18:30"
    assert problem.offset(problem.end) == 25 * 60


def test_a_room_too_small_or_without_the_equipment_is_never_used():
    problem = one_room_problem(MARCH_MONDAY, group_size=25)
    assert solve(problem, time_limit=2, workers=1).placed == 0
    problem = one_room_problem(MARCH_MONDAY, equipment=frozenset({"kitchen"}))
    plan = solve(problem, time_limit=2, workers=1)
    assert plan.placed == 0
    assert plan.bound == 0


def test_longest_waiting_workshop_wins_the_only_slot():
    problem = one_room_problem(MARCH_MONDAY, days=1, availability={0: [(time(18), time(20))]})
    newer = WorkshopNeed(key=2, leader=2, theme="music", sessions=1, duration_minutes=120,
                         group_size=10, availability={0: [(time(18), time(20))]}, waited_days=3)
    older = WorkshopNeed(key=3, leader=3, theme="dance", sessions=1, duration_minutes=120,
                         group_size=10, availability={0: [(time(18), time(20))]},
                         waited_days=90)
    problem.workshops = [newer, older]
    plan = solve(problem, time_limit=5, workers=1)
    assert [p.workshop for p in plan.placements] == [3]
    assert plan.unplaced == {2: 1}


def test_planner_places_more_than_first_fit_when_order_matters():
    # First-fit gives the oldest workshop the only kitchen slot it could do without.
    start = MARCH_MONDAY
    kitchen = RoomSupply(key=1, venue=1, neighbourhood="Centre", capacity=20,
                         free=daily(start, 1, time(14), time(22)),
                         kinds=frozenset({"kitchen", "quiet_room"}),
                         equipment=frozenset({"kitchen"}))
    flexible = WorkshopNeed(key=1, leader=1, theme="art", sessions=1, duration_minutes=240,
                            group_size=10, waited_days=50)
    cook = WorkshopNeed(key=2, leader=2, theme="cooking", sessions=1, duration_minutes=240,
                        group_size=10, room_kind="kitchen", equipment=frozenset({"kitchen"}),
                        availability={0: [(time(14), time(18))]}, waited_days=10)
    problem = Problem(start=start, days=1, workshops=[flexible, cook], rooms=[kitchen], tz=TZ)
    assert greedy(problem).placed == 1
    plan = solve(problem, time_limit=5, workers=1)
    assert plan.placed == 2 and plan.bound == 2 and plan.status == "optimal"


def tuesday_evening_problem(workshops, rooms=3, venues=1, **policies):
    start = MARCH_MONDAY
    room_list = [RoomSupply(key=k, venue=k % venues, neighbourhood="Droixhe", capacity=20,
                            free=daily(start, 2, time(17), time(22, 30)),
                            kinds=frozenset({"quiet_room"}), name=f"Room {k}")
                 for k in range(rooms)]
    return Problem(start=start, days=2, workshops=workshops, rooms=room_list,
                   materials=[MaterialStock(key=7, quantity=1)],
                   policies=Policies(**policies), tz=TZ)


def evening_need(key, **fields):
    values = {"key": key, "leader": key, "theme": f"theme-{key}", "sessions": 1,
              "duration_minutes": 120, "group_size": 10,
              "availability": {1: [(time(18), time(20))]}, **fields}
    return WorkshopNeed(**values)


def test_at_most_n_sessions_per_venue_per_evening():
    problem = tuesday_evening_problem([evening_need(k) for k in range(3)],
                                      max_sessions_per_venue_evening=2)
    assert solve(problem, time_limit=5, workers=1).placed == 2
    problem.policies = Policies(max_sessions_per_venue_evening=3)
    assert solve(problem, time_limit=5, workers=1).placed == 3


def test_no_two_sessions_of_one_theme_at_once():
    problem = tuesday_evening_problem([evening_need(k, theme="cooking") for k in range(2)])
    assert solve(problem, time_limit=5, workers=1).placed == 1
    problem.policies = Policies(themes_exclusive=False)
    assert solve(problem, time_limit=5, workers=1).placed == 2


def test_materials_are_never_lent_twice_at_once():
    problem = tuesday_evening_problem([evening_need(k, materials={7: 1}) for k in range(2)])
    assert solve(problem, time_limit=5, workers=1).placed == 1


def test_a_leader_needs_travel_time_between_two_venues():
    # Free 18:00-22:30; two 2-hour workshops of one leader: 18:00-20:00 then 20:30-22:30
    # fits with 30 minutes of travel, not with 60.
    needs = [evening_need(k, leader=1, availability={1: [(time(18), time(22, 30))]})
             for k in range(2)]
    problem = tuesday_evening_problem(needs, rooms=2, venues=2, travel_minutes=30)
    plan = solve(problem, time_limit=5, workers=1)
    assert plan.placed == 2
    first, second = sorted(plan.placements, key=lambda p: utc(p.starts_at))
    assert utc(second.starts_at) - utc(first.ends_at) >= timedelta(minutes=30)
    problem.policies = Policies(travel_minutes=60)
    assert solve(problem, time_limit=5, workers=1).placed == 1


@pytest.mark.parametrize("start", [MARCH_MONDAY, OCTOBER_MONDAY], ids=["march", "october"])
def test_starting_plan_keeps_every_hard_constraint(start):
    """The planner's start (several first-fit orders, scarce rooms kept for last) is a
    plan on its own when CP-SAT finds nothing better: it must be as valid as any."""
    problem = random_problem(start, 4, workshops=20)
    plan = starting_plan(problem)
    assert plan.placed >= greedy(problem).placed
    assert_hard_constraints(problem, plan)


@pytest.mark.parametrize("evenings_only", [False, True])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bound_of_a_truncated_model_never_undercuts_the_optimum(seed, evenings_only):
    """With rooms left out of the model, the bound comes from relaxations (leaders,
    themes, scarce rooms, venues' evenings): it must still be at least what the full
    model proves optimal."""
    problem = random_problem(MARCH_MONDAY, seed, workshops=10, rooms=4, days=7)
    problem.policies = Policies(max_sessions_per_venue_evening=1, travel_minutes=30,
                                themes_exclusive=True)
    if evenings_only:  # leaders free one evening a week: the venues' cap binds
        problem.workshops = [replace(need, availability={
            need.key % 5: [(time(18), time(22, 30))]}) for need in problem.workshops]
    full = solve(problem, time_limit=20, workers=1)
    assert full.status == "optimal"
    truncated = solve(problem, time_limit=5, workers=1, max_rooms_per_workshop=1)
    assert truncated.bound >= full.placed
    assert truncated.placed <= full.placed
    assert_hard_constraints(problem, truncated)
