"""The scheduling assistant's engine: place workshop sessions in rooms over a period.

Pure functions on plain dataclasses, no ORM and no translation here: ``services.py`` builds
a ``Problem`` from the database and ``explain.py`` turns the codes below into sentences.

Time model. Every time is a whole number of minutes from ``Problem.start`` (an aware
datetime at local midnight), i.e. absolute time: an hour is always 60 units, even on the
night the clocks change. Wall-clock rules (a leader free on Tuesdays 18:00-22:00, "an
evening starts at 17:00") are converted day by day through ``Problem.tz``, so 18:00 stays
18:00 on both sides of the last Sunday of March or October. Brussels' offsets are whole
hours, so a start on the 30-minute grid is also on the local 30-minute grid.

Model (OR-Tools CP-SAT). Each wanted session has one optional interval per compatible room
and "segment" (a weekday and day/evening), whose start domain is where the room is free
for the session plus its set-up and clean-up and the leader is available. At most one of
them is chosen. Rooms: NoOverlap of the buffered intervals. Leaders: NoOverlap of the
session followed by the travel time. Themes: NoOverlap (two sessions of one theme never
run at once). Materials: Cumulative against the stock minus loans already made. Venues:
at most N sessions per evening, a Cumulative of "evening tokens" of capacity N. The
objective is lexicographic through big weights: sessions placed first, ties broken by how
long each proposal has waited, then preferred neighbourhoods, then spread over weekdays.
"""

from __future__ import annotations

import time as clock
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

GRID_MINUTES = 30
DAY_MINUTES = 24 * 60

# Times of day as the proposal form collects them ("morning", "afternoon", "evening").
TIME_OF_DAY_RANGES = {
    "morning": (time(8, 0), time(12, 30)),
    "afternoon": (time(12, 30), time(18, 0)),
    "evening": (time(18, 0), time(22, 30)),
}


@dataclass(frozen=True)
class WorkshopNeed:
    """What one workshop needs for this period."""

    key: int
    leader: int
    theme: str
    sessions: int
    duration_minutes: int
    group_size: int
    room_kind: str = ""
    equipment: frozenset = frozenset()
    accessibility: frozenset = frozenset()
    # Neighbourhoods the leader prefers; only a bonus unless ``neighbourhoods_required``.
    neighbourhoods: frozenset = frozenset()
    neighbourhoods_required: bool = False
    # weekday (0 = Monday) -> [(from, until)] wall-clock ranges; empty means "any time".
    availability: dict = field(default_factory=dict)
    materials: dict = field(default_factory=dict)  # material key -> units per session
    waited_days: int = 0
    title: str = ""


@dataclass(frozen=True)
class RoomSupply:
    key: int
    venue: int
    neighbourhood: str
    capacity: int
    # Free time: openings (rules expanded, closures removed) minus existing bookings with
    # their buffers, as aware datetimes [from, until).
    free: tuple = ()
    kinds: frozenset = frozenset()  # room kinds it serves ("kitchen", "studio"...)
    equipment: frozenset = frozenset()
    accessibility: frozenset = frozenset()
    setup_minutes: int = 0
    cleanup_minutes: int = 0
    name: str = ""


@dataclass(frozen=True)
class MaterialStock:
    key: int
    quantity: int
    # Units already out: [(from, until, units)] as aware datetimes.
    lent: tuple = ()
    name: str = ""


@dataclass(frozen=True)
class Policies:
    max_sessions_per_venue_evening: int = 2
    evening_from: time = time(17, 0)
    travel_minutes: int = 30
    min_hours_between_sessions: int = 23  # sessions of one workshop on different days
    themes_exclusive: bool = True


@dataclass
class Problem:
    start: datetime  # aware, local midnight of the first day
    days: int
    workshops: list
    rooms: list
    materials: list = field(default_factory=list)
    policies: Policies = field(default_factory=Policies)
    # Leader key -> [(from, until)] aware: sessions they already lead elsewhere.
    leader_busy: dict = field(default_factory=dict)
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Brussels"))

    @property
    def end(self) -> datetime:
        return self.local_midnight(self.days)

    def local_midnight(self, day: int) -> datetime:
        first = self.start.astimezone(self.tz).date()
        return datetime.combine(first + timedelta(days=day), time(0), tzinfo=self.tz)

    # Through UTC on purpose: Python subtracts and adds aware datetimes that share a
    # tzinfo in wall-clock time, which would make the night of a clock change 24 hours.
    def offset(self, moment: datetime) -> int:
        return int((moment.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds()
                   // 60)

    def moment(self, offset: int) -> datetime:
        return (self.start.astimezone(UTC) + timedelta(minutes=offset)).astimezone(self.tz)

    def local(self, day: int, at: time) -> int:
        """The offset of wall-clock ``at`` on the period's ``day`` (0 = first day)."""
        cache = self.__dict__.setdefault("_local_cache", {})
        key = (day, at)
        if key not in cache:
            first = self.start.astimezone(self.tz).date()
            when = datetime.combine(first + timedelta(days=day), at, tzinfo=self.tz)
            cache[key] = self.offset(when)
        return cache[key]

    def weekday(self, day: int) -> int:
        return (self.start.astimezone(self.tz).weekday() + day) % 7


@dataclass(frozen=True)
class Placement:
    workshop: int
    room: int
    starts_at: datetime
    ends_at: datetime


@dataclass
class Plan:
    status: str  # "optimal", "feasible", "infeasible", "unknown"
    placements: list
    wanted: int
    bound: int  # proven upper bound on the sessions that can be placed
    seconds: float
    unplaced: dict  # workshop key -> sessions missing

    @property
    def placed(self) -> int:
        return len(self.placements)


# --- Candidate starts ---------------------------------------------------------------------


def room_fits(need: WorkshopNeed, room: RoomSupply, *, check_capacity=True,
              check_neighbourhood=True) -> bool:
    if check_capacity and room.capacity < need.group_size:
        return False
    if need.room_kind and need.room_kind not in room.kinds:
        return False
    if not need.equipment <= room.equipment or not need.accessibility <= room.accessibility:
        return False
    if check_neighbourhood and need.neighbourhoods_required and need.neighbourhoods \
            and room.neighbourhood not in need.neighbourhoods:
        return False
    return True


def _leader_windows(problem: Problem, need: WorkshopNeed, availability=None):
    """[(day, from, until)] offsets in which the whole session must lie."""
    availability = need.availability if availability is None else availability
    windows = []
    for day in range(problem.days):
        weekday = problem.weekday(day)
        if not availability:
            windows.append((day, problem.local(day, time(0)), problem.local(day + 1, time(0))))
            continue
        for begin, finish in availability.get(weekday, ()):
            end = problem.local(day + 1, time(0)) if finish == time(0) else problem.local(
                day, finish)
            windows.append((day, problem.local(day, begin), end))
    return windows


def _free_offsets(problem: Problem, room: RoomSupply):
    horizon = problem.offset(problem.end)
    result = []
    for begin, finish in room.free:
        lo, hi = max(0, problem.offset(begin)), min(horizon, problem.offset(finish))
        if hi > lo:
            result.append((lo, hi))
    merged = []
    for lo, hi in sorted(result):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _ceil_grid(value: int) -> int:
    return -(-value // GRID_MINUTES) * GRID_MINUTES


def candidate_ranges(problem: Problem, need: WorkshopNeed, room: RoomSupply, windows,
                     free=None):
    """{(weekday, is_evening): [(first_start, last_start)]} on the grid, for ``need`` in
    ``room``: room free over the session plus buffers, leader available over the session."""
    free = _free_offsets(problem, room) if free is None else free
    duration = need.duration_minutes
    ranges = defaultdict(list)
    free_ends = [f_hi for _, f_hi in free]
    evening_from = problem.policies.evening_from
    for day, w_lo, w_hi in windows:
        evening = problem.local(day, evening_from)
        weekday = problem.weekday(day)
        # Free intervals are sorted and disjoint: start at the first ending after w_lo.
        for index in range(bisect_right(free_ends, w_lo), len(free)):
            f_lo, f_hi = free[index]
            if f_lo >= w_hi:
                break
            lo = _ceil_grid(max(f_lo + room.setup_minutes, w_lo))
            hi = min(f_hi - room.cleanup_minutes, w_hi) - duration
            if hi < lo:
                continue
            hi = lo + (hi - lo) // GRID_MINUTES * GRID_MINUTES
            if lo < evening:
                ranges[(weekday, False)].append((lo, min(hi, _ceil_grid(evening) - GRID_MINUTES)))
            if hi >= evening:
                ranges[(weekday, True)].append((max(lo, _ceil_grid(evening)), hi))
    return {key: [(a, b) for a, b in value if b >= a] for key, value in ranges.items()
            if any(b >= a for a, b in value)}


def start_fits(problem: Problem, need: WorkshopNeed, room: RoomSupply, offset: int) -> bool:
    """Whether one session of ``need`` may start ``offset`` minutes into the period in
    ``room``, by the rules the planner places with: the room fits the workshop and is
    open and free over the session and its buffers, the leader is available then and
    not busy elsewhere (travel included), and the materials it needs are in stock.
    For a choice made from proposed starts, checked again just before booking."""
    if offset % GRID_MINUTES or not room_fits(need, room):
        return False
    ranges = candidate_ranges(problem, need, room, _leader_windows(problem, need))
    if not any(a <= offset <= b and (offset - a) % GRID_MINUTES == 0
               for spans in ranges.values() for a, b in spans):
        return False
    end = offset + need.duration_minutes
    travel = problem.policies.travel_minutes
    for begin, finish in problem.leader_busy.get(need.leader, ()):
        # As the planner counts it (its leader intervals and ``greedy``).
        if problem.offset(begin) - travel < end + travel and offset < problem.offset(finish):
            return False
    stock = {m.key: m for m in problem.materials}
    for key, units in need.materials.items():
        item = stock.get(key)
        if item is None:
            return False
        # Conservative: every loan overlapping the session counts for the whole of it.
        out = sum(u for begin, finish, u in item.lent
                  if problem.offset(begin) < end and offset < problem.offset(finish))
        if out + units > item.quantity:
            return False
    return True


def _evening_starts(problem: Problem):
    return [problem.local(day, problem.policies.evening_from) for day in range(problem.days)]


# --- CP-SAT --------------------------------------------------------------------------------


def solve(problem: Problem, *, time_limit: float = 10.0, workers: int = 2,
          hint: list | None = None, max_rooms_per_workshop: int = 0,
          presolve: bool = False, log: bool = False) -> Plan:
    """The best plan found within ``time_limit`` seconds, with CP-SAT's proven bound.

    ``hint`` (placements, e.g. the greedy plan) is given to CP-SAT as a starting point.
    ``max_rooms_per_workshop`` (0 = all) keeps only the best-matching rooms per workshop,
    to keep very large instances within their time limit; the bound is then the bound of
    the workshops' own limits only (each alone: sessions wanted, days with a fitting
    start), since a bound of the reduced model does not bound the full one.
    """
    from ortools.sat.python import cp_model
    from ortools.util.python import sorted_interval_list as sil

    began = clock.monotonic()
    model = cp_model.CpModel()
    horizon = problem.offset(problem.end)
    policies = problem.policies
    wanted = sum(need.sessions for need in problem.workshops)
    free_by_room = {room.key: _free_offsets(problem, room) for room in problem.rooms}
    evening_starts = _evening_starts(problem)
    # A token covers one evening and the night after it (never two evenings, even on the
    # 23-hour day of a clock change): a session starting in it belongs to that evening.
    evening_length = 12 * 60
    wait_cap = 52
    preference_weight = 20
    secondary_max = wanted * (wait_cap + preference_weight) + wanted + 1
    big = secondary_max + 1

    room_intervals = defaultdict(list)
    venue_tokens = defaultdict(list)
    leader_intervals = defaultdict(list)
    theme_intervals = defaultdict(list)
    material_use = defaultdict(list)
    weekday_load = defaultdict(list)
    objective = []
    chosen = []  # (workshop key, room key, presence, grid step var, session index, spans)
    session_presence = {}
    hinted = _hint_by_session(problem, hint or [])
    midnights = [problem.local(day, time(0)) for day in range(problem.days + 1)]
    long_days = sum(1 for day in range(problem.days) if midnights[day + 1] - midnights[day]
                    > DAY_MINUTES)
    alone_bound = 0
    alone = {}
    segments = {}  # workshop -> {(weekday, is_evening)} it could start in
    evenings_open = defaultdict(set)  # (venue, weekday) -> days it has an evening start
    starts_any = defaultdict(list)
    room_starts = {}
    truncated = False  # then CP-SAT's bound is of a smaller model: not a bound for this one
    weekday_hint = defaultdict(int)

    for need in problem.workshops:
        windows = _leader_windows(problem, need)
        options = []
        for room in problem.rooms:
            if not room_fits(need, room):
                continue
            ranges = candidate_ranges(problem, need, room, windows, free_by_room[room.key])
            if ranges:
                preferred = bool(need.neighbourhoods) and room.neighbourhood in need.neighbourhoods
                options.append((preferred, room, ranges))
        if not options:
            continue
        # Alone, a workshop places at most one session per day that has a fitting start
        # (sessions are 23 hours apart; the 25-hour day of October may hold two).
        days_with_room = {bisect_right(midnights, a) - 1 for _, _, ranges in options
                          for spans in ranges.values() for a, _ in spans}
        alone[need.key] = min(need.sessions, len(days_with_room) + long_days)
        segments[need.key] = {key for _, _, ranges in options for key in ranges}
        for _, room, ranges in options:
            for (weekday, is_evening), spans in ranges.items():
                if is_evening:
                    evenings_open[(room.venue, weekday)].update(
                        bisect_right(midnights, a) - 1 for a, _ in spans)
        alone_bound += alone[need.key]
        for _, room, ranges in options:
            spans = [span for value in ranges.values() for span in value]
            room_starts[(need.key, room.key)] = spans
            starts_any[need.key].extend(spans)
        if max_rooms_per_workshop and len(options) > max_rooms_per_workshop:
            # Keep the rooms of the starting plan, then preferred and snug ones.
            hinted_rooms = {room for (key, _), (room, _) in hinted.items() if key == need.key}
            options.sort(key=lambda o: (o[1].key not in hinted_rooms, not o[0], o[1].capacity))
            options = options[:max(max_rooms_per_workshop, len(hinted_rooms))]
            truncated = True
        wait_bonus = min(need.waited_days // 7, wait_cap)
        previous_start = previous_presence = None
        for index in range(need.sessions):
            literals = []
            master_start = model.new_int_var(0, horizon, f"s{need.key}_{index}")
            hint_room, hint_offset = hinted.get((need.key, index), (None, None))
            model.add_hint(master_start, hint_offset if hint_offset is not None else 0)
            for preferred, room, ranges in options:
                for (weekday, is_evening), spans in ranges.items():
                    # Starts are on the grid: start = GRID * k.
                    steps = sil.Domain.from_flat_intervals(
                        [v for a, b in spans for v in (a // GRID_MINUTES, b // GRID_MINUTES)])
                    step = model.new_int_var_from_domain(steps, "")
                    start = GRID_MINUTES * step
                    present = model.new_bool_var("")
                    take = room.key == hint_room and any(
                        a <= hint_offset <= b for a, b in spans)
                    model.add_hint(present, int(take))
                    model.add_hint(step, (hint_offset if take else spans[0][0]) // GRID_MINUTES)
                    if take:
                        hint_room = None  # one segment only
                        weekday_hint[weekday] += 1
                    room_intervals[room.key].append(model.new_optional_fixed_size_interval_var(
                        start - room.setup_minutes,
                        room.setup_minutes + need.duration_minutes + room.cleanup_minutes,
                        present, ""))
                    model.add(master_start == start).only_enforce_if(present)
                    if is_evening:
                        token = model.new_int_var_from_domain(
                            sil.Domain.from_values(evening_starts), "")
                        model.add_hint(token, max(
                            [e for e in evening_starts if e <= (hint_offset if take else -1)],
                            default=evening_starts[0]))
                        model.add(token <= start).only_enforce_if(present)
                        model.add(start < token + evening_length).only_enforce_if(present)
                        venue_tokens[room.venue].append(
                            model.new_optional_fixed_size_interval_var(
                                token, evening_length, present, ""))
                    weekday_load[weekday].append(present)
                    literals.append(present)
                    objective.append(present * (big + wait_bonus
                                                + (preference_weight if preferred else 0)))
                    chosen.append((need.key, room.key, present, step, index, spans))
            placed = model.new_bool_var(f"p{need.key}_{index}")
            model.add_hint(placed, int(hint_room is None and hint_offset is not None))
            model.add(sum(literals) == placed)
            session_presence[(need.key, index)] = placed
            session = model.new_optional_fixed_size_interval_var(
                master_start, need.duration_minutes, placed, "")
            leader_intervals[need.leader].append(model.new_optional_fixed_size_interval_var(
                master_start, need.duration_minutes + policies.travel_minutes, placed, ""))
            theme_intervals[need.theme].append(session)
            for material, units in need.materials.items():
                material_use[material].append((session, units))
            # Sessions of one workshop are interchangeable: place them in order, a day apart.
            if previous_start is not None:
                model.add_implication(placed, previous_presence)
                model.add(master_start >= previous_start
                          + 60 * policies.min_hours_between_sessions).only_enforce_if(placed)
            previous_start, previous_presence = master_start, placed

    for intervals in room_intervals.values():
        model.add_no_overlap(intervals)
    for leader, taken in problem.leader_busy.items():
        if leader in leader_intervals:
            for begin, finish in taken:
                lo = max(0, problem.offset(begin) - policies.travel_minutes)
                hi = min(horizon, problem.offset(finish))
                if hi > lo:
                    leader_intervals[leader].append(
                        model.new_fixed_size_interval_var(lo, hi - lo, ""))
    for intervals in leader_intervals.values():
        if len(intervals) > 1:
            model.add_no_overlap(intervals)
    if policies.themes_exclusive:
        for intervals in theme_intervals.values():
            if len(intervals) > 1:
                model.add_no_overlap(intervals)
    for tokens in venue_tokens.values():
        if len(tokens) > policies.max_sessions_per_venue_evening:
            model.add_cumulative(tokens, [1] * len(tokens),
                                 policies.max_sessions_per_venue_evening)
    stock = {m.key: m for m in problem.materials}
    for material, uses in material_use.items():
        item = stock.get(material)
        capacity = item.quantity if item else 0
        intervals = [interval for interval, _ in uses]
        demands = [units for _, units in uses]
        for begin, finish, units in (item.lent if item else ()):
            lo, hi = max(0, problem.offset(begin)), min(horizon, problem.offset(finish))
            if hi > lo:
                intervals.append(model.new_fixed_size_interval_var(lo, hi - lo, ""))
                demands.append(units)
        model.add_cumulative(intervals, demands, capacity)
    # Spread: the busiest weekday as light as possible (a non-negative term).
    if weekday_load:
        busiest = model.new_int_var(0, wanted, "busiest")
        model.add_hint(busiest, max(weekday_hint.values(), default=0))
        for literals in weekday_load.values():
            model.add(sum(literals) <= busiest)
        objective.append(wanted - busiest)
    model.maximize(sum(objective))

    solver = cp_model.CpSolver()
    # Keep some of the budget for reading the solution back and the bounds after it.
    reserve = min(3.0, 0.1 * time_limit)
    # A truncated model's own bound bounds nothing: keep a share for a relaxation's.
    bound_seconds = 0.1 * time_limit if truncated else 0
    solver.parameters.max_time_in_seconds = max(
        0.1, time_limit - reserve - bound_seconds - (clock.monotonic() - began))
    solver.parameters.num_workers = workers
    solver.parameters.log_search_progress = log
    # Presolve spends the whole budget on large instances (tens of thousands of
    # implied equalities) before the hint is even read; search without it.
    solver.parameters.cp_model_presolve = presolve
    status = solver.solve(model)
    names = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
             cp_model.INFEASIBLE: "infeasible", cp_model.MODEL_INVALID: "invalid"}
    placements = []
    needs_by_key = {need.key: need for need in problem.workshops}
    bound = alone_bound
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for key, room, present, step, _index, _spans in chosen:
            if solver.boolean_value(present):
                offset = GRID_MINUTES * solver.value(step)
                need = needs_by_key[key]
                placements.append(Placement(key, room, problem.moment(offset),
                                            problem.moment(offset + need.duration_minutes)))
        if not truncated:
            bound = min(bound, int(solver.best_objective_bound // big))
    if status != cp_model.INFEASIBLE:
        # Relaxations: valid whatever CP-SAT managed within the time (even nothing).
        bound = min(bound, group_bounds(problem, alone, starts_any, room_starts),
                    evening_bound(problem, alone, segments, evenings_open))
        if truncated:
            left = time_limit - (clock.monotonic() - began) - 0.5
            bound = min(bound, relaxation_bound(
                problem, alone, starts_any, time_limit=max(0.0, min(bound_seconds, left)),
                hint=hint))
    else:
        bound = 0
    status_name = names.get(status, "unknown")
    if hint and len(hint) > len(placements):
        # CP-SAT found nothing better than its starting point within the time limit.
        placements, status_name = list(hint), "feasible"
    placements.sort(key=lambda p: (p.starts_at.astimezone(UTC), p.room))
    return Plan(status=status_name, placements=placements, wanted=wanted,
                bound=max(bound, len(placements)), seconds=clock.monotonic() - began,
                unplaced=_unplaced(problem, placements))


def _max_disjoint(spans, length: int) -> int:
    """How many sessions of ``length`` minutes, pairwise disjoint, can start in ``spans``
    ([(first start, last start)] on the grid): earliest finish first, which is optimal."""
    count, free_from = 0, -10 ** 9
    for lo, hi in sorted(spans):
        start = max(lo, _ceil_grid(free_from))
        while start <= hi:
            count += 1
            free_from = start + length
            start = _ceil_grid(free_from)
    return count


def group_bounds(problem: Problem, alone: dict, starts: dict, room_starts: dict) -> int:
    """An upper bound on the sessions placeable, sharper than each workshop alone when a
    resource is scarce: the smaller of two sums over partitions of the workshops.

    - by leader: a leader's sessions never overlap (plus travel), so at most as many as
      fit one after another in the union of their workshops' possible starts;
    - by theme (when themes are exclusive): the same, city-wide, for one theme; and in
      any case, a group of workshops that all need one kind of room (a kitchen) holds at
      most as many sessions as those rooms can hold one after another.

    ``alone``: workshop key -> its own bound; ``starts``: workshop key -> [(lo, hi)] of
    its possible starts (any room); ``room_starts``: (workshop, room) -> the same per room.
    """
    policies = problem.policies
    by_key = {need.key: need for need in problem.workshops}

    def chain(keys, gap):
        spans = [span for key in keys for span in starts.get(key, ())]
        shortest = min(by_key[key].duration_minutes for key in keys) + gap
        return _max_disjoint(spans, shortest)

    by_leader, by_theme = defaultdict(list), defaultdict(list)
    for key in alone:
        by_leader[by_key[key].leader].append(key)
        by_theme[by_key[key].theme].append(key)
    leader_total = sum(min(sum(alone[k] for k in keys), chain(keys, policies.travel_minutes))
                       for keys in by_leader.values())
    rooms = {room.key: room for room in problem.rooms}
    theme_total = 0
    for keys in by_theme.values():
        limit = sum(alone[k] for k in keys)
        if policies.themes_exclusive:
            limit = min(limit, chain(keys, 0))
        # The rooms this theme can use at all, each holding sessions one after another.
        used = {room for (key, room) in room_starts if key in set(keys)}
        if used and len(used) < len(rooms):
            shortest = min(by_key[k].duration_minutes for k in keys)
            capacity = 0
            for room in used:
                spans = [span for k in keys for span in room_starts.get((k, room), ())]
                capacity += _max_disjoint(spans, shortest + rooms[room].setup_minutes
                                          + rooms[room].cleanup_minutes)
            limit = min(limit, capacity)
        theme_total += limit
    return min(leader_total, theme_total)


def evening_bound(problem: Problem, alone: dict, segments: dict, evenings_open: dict) -> int:
    """A bound from the cap of sessions per venue per evening: workshops that can only
    start in the evenings of one weekday share, over the period, at most the cap times
    the evenings of that weekday each venue has a fitting room open; the others count
    alone. Sharper than counting each workshop alone when most leaders are free only in
    the evening and venues are few."""
    cap = problem.policies.max_sessions_per_venue_evening
    groups = defaultdict(list)
    rest = 0
    for key, count in alone.items():
        weekdays = {weekday for weekday, evening in segments.get(key, ()) if evening}
        if len(weekdays) == 1 and all(evening for _, evening in segments[key]):
            groups[weekdays.pop()].append(count)
        else:
            rest += count
    total = rest
    for weekday, counts in groups.items():
        capacity = sum(cap * len(days) for (venue, day_of_week), days in evenings_open.items()
                       if day_of_week == weekday)
        total += min(sum(counts), capacity)
    return total


def _one_at_a_time_bound(problem: Problem, needs, alone: dict, starts: dict, *, gap: int,
                         time_limit: float, hinted: dict, material=None,
                         quantity: int = 0) -> int:
    """The most sessions of ``needs`` placeable if they must never overlap (``gap``
    minutes between two), each in its own possible starts, a workshop's a day apart:
    a small CP-SAT model (rooms and everything else left out: a relaxation), its proven
    bound when the time runs out. With ``material``: not one at a time but never more
    units of it out than ``quantity``."""
    from ortools.sat.python import cp_model
    from ortools.util.python import sorted_interval_list as sil

    model = cp_model.CpModel()
    intervals, placed_all = [], []
    day_apart = 60 * problem.policies.min_hours_between_sessions
    for need in needs:
        spans = starts[need.key]
        domain = sil.Domain.from_flat_intervals(
            [v for a, b in spans for v in (a // GRID_MINUTES, b // GRID_MINUTES)])
        previous = None
        for index in range(alone[need.key]):
            step = model.new_int_var_from_domain(domain, "")
            placed = model.new_bool_var("")
            hint_at = hinted.get((need.key, index))
            model.add_hint(placed, int(hint_at is not None))
            if hint_at is not None:
                model.add_hint(step, hint_at[1] // GRID_MINUTES)
            intervals.append(model.new_optional_fixed_size_interval_var(
                GRID_MINUTES * step, need.duration_minutes + gap, placed, ""))
            if previous is not None:
                model.add_implication(placed, previous[1])
                model.add(GRID_MINUTES * step >= GRID_MINUTES * previous[0] + day_apart
                          ).only_enforce_if(placed)
            previous = (step, placed)
            placed_all.append(placed)
    if material is None:
        model.add_no_overlap(intervals)
    else:
        demands = [need.materials[material] for need in needs
                   for _ in range(alone[need.key])]
        model.add_cumulative(intervals, demands, quantity)
    model.maximize(sum(placed_all))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return int(solver.best_objective_bound + 1e-6)
    return len(placed_all)


def relaxation_bound(problem: Problem, alone: dict, starts: dict, *, time_limit: float,
                     hint=None) -> int:
    """Two sharper bounds, the smaller wins, each a sum over a partition of the
    workshops of a one-at-a-time model (``_one_at_a_time_bound``):

    - by leader: a leader's sessions never overlap, travel time between them; a leader
      free one evening a week with three workshops holds far fewer than each alone;
    - by theme, when themes are exclusive: each theme is one "machine" for the city;
    - by material: never more units out than the stock (one sound box for the city).

    Each model gets a share of ``time_limit``; leaders with one workshop count alone
    (its sessions are a day apart anyway)."""
    hinted = _hint_by_session(problem, hint or [])
    deadline = clock.monotonic() + time_limit
    needs = [need for need in problem.workshops if alone.get(need.key)]

    def within(group, **options):
        """The group's model while there is time; after, each workshop alone."""
        if clock.monotonic() > deadline:
            return sum(alone[need.key] for need in group)
        return _one_at_a_time_bound(problem, group, alone, starts, hinted=hinted, **options)

    by_leader, by_theme = defaultdict(list), defaultdict(list)
    for need in needs:
        by_leader[need.leader].append(need)
        by_theme[need.theme].append(need)
    shared = [group for group in by_leader.values() if len(group) > 1]
    # Materials: each workshop with the first material it uses (a partition too).
    stock = {item.key: item.quantity for item in problem.materials}
    by_material = defaultdict(list)
    for need in needs:
        if need.materials:
            by_material[min(need.materials)].append(need)
    # Half the time for the many small leader models, half for the few big ones.
    big_models = len(by_material) + (len(by_theme) if problem.policies.themes_exclusive else 0)
    share = time_limit / 2 / max(1, len(shared))
    big_share = time_limit / 2 / max(1, big_models)
    leader_total = sum(alone[need.key] for group in by_leader.values() if len(group) == 1
                       for need in group)
    for group in shared:
        leader_total += within(group, gap=problem.policies.travel_minutes,
                               time_limit=share)
    material_total = sum(alone[need.key] for need in needs if not need.materials)
    for material, group in by_material.items():
        material_total += within(group, gap=0, time_limit=big_share, material=material,
                                 quantity=stock.get(material, 0))
    leader_total = min(leader_total, material_total)
    if not problem.policies.themes_exclusive:
        return leader_total
    theme_total = sum(within(group, gap=0, time_limit=big_share)
                      for group in by_theme.values())
    return min(leader_total, theme_total)


def _hint_by_session(problem: Problem, placements) -> dict:
    """{(workshop, session index): (room, start offset)} from a previous plan."""
    by_workshop = defaultdict(list)
    for placement in placements:
        by_workshop[placement.workshop].append(placement)
    hints = {}
    for key, items in by_workshop.items():
        for index, placement in enumerate(sorted(items, key=lambda p: p.starts_at.astimezone(UTC))):
            hints[(key, index)] = (placement.room, problem.offset(placement.starts_at))
    return hints


def _unplaced(problem: Problem, placements) -> dict:
    count = defaultdict(int)
    for placement in placements:
        count[placement.workshop] += 1
    return {need.key: need.sessions - count[need.key] for need in problem.workshops
            if count[need.key] < need.sessions}


# --- Greedy first-fit (what a coordinator does by hand; the planner's starting hint) ------


def greedy(problem: Problem, *, order=None, room_order=None) -> Plan:
    """Longest-waiting first (or in ``order``, a sort key on needs), each session in the
    first room (preferred neighbourhoods first, or in ``room_order``, a sort key on
    (need, room)) and the first time that still fits."""
    began = clock.monotonic()
    policies = problem.policies
    free_by_room = {room.key: _free_offsets(problem, room) for room in problem.rooms}
    evening_starts = _evening_starts(problem)
    room_busy = defaultdict(list)
    leader_busy = defaultdict(list)
    for leader, taken in problem.leader_busy.items():
        for begin, finish in taken:
            leader_busy[leader].append((problem.offset(begin) - policies.travel_minutes,
                                        problem.offset(finish)))
    theme_busy = defaultdict(list)
    venue_evenings = defaultdict(int)
    material_busy = defaultdict(list)
    stock = {m.key: m for m in problem.materials}
    for item in problem.materials:
        for begin, finish, units in item.lent:
            material_busy[item.key].append((problem.offset(begin), problem.offset(finish), units))

    def clash(busy, lo, hi):
        return any(a < hi and lo < b for a, b in busy)

    def material_ok(key, lo, hi, units):
        item = stock.get(key)
        if item is None:
            return False
        # Peak use over [lo, hi): check at every start inside it.
        uses = [(a, b, u) for a, b, u in material_busy[key] if a < hi and lo < b]
        points = {lo} | {a for a, _, _ in uses if lo <= a < hi}
        return all(sum(u for a, b, u in uses if a <= t < b) + units <= item.quantity
                   for t in points)

    placements = []
    for need in sorted(problem.workshops, key=order or (lambda n: (-n.waited_days, n.key))):
        windows = _leader_windows(problem, need)
        starts_taken = []
        spans_of = {}
        options = [room for room in problem.rooms if room_fits(need, room)]
        if room_order:
            options.sort(key=lambda r, need=need: room_order(need, r))
        else:
            options.sort(key=lambda r, need=need: (r.neighbourhood not in need.neighbourhoods,
                                                   r.key))
        for _ in range(need.sessions):
            found = None
            for room in options:
                if room.key not in spans_of:
                    ranges = candidate_ranges(problem, need, room, windows,
                                              free_by_room[room.key])
                    spans_of[room.key] = sorted((a, b, is_evening)
                                                for (_, is_evening), v in ranges.items()
                                                for a, b in v)
                for a, b, is_evening in spans_of[room.key]:
                    for start in range(a, b + 1, GRID_MINUTES):
                        end = start + need.duration_minutes
                        if any(abs(start - other) < 60 * policies.min_hours_between_sessions
                               for other in starts_taken):
                            continue
                        if clash(room_busy[room.key], start - room.setup_minutes,
                                 end + room.cleanup_minutes):
                            continue
                        if clash(leader_busy[need.leader], start,
                                 end + policies.travel_minutes):
                            continue
                        if policies.themes_exclusive and clash(theme_busy[need.theme], start,
                                                               end):
                            continue
                        evening = None
                        if is_evening:
                            evening = max(e for e in evening_starts if e <= start)
                            if venue_evenings[(room.venue, evening)] >= \
                                    policies.max_sessions_per_venue_evening:
                                continue
                        if not all(material_ok(k, start, end, u)
                                   for k, u in need.materials.items()):
                            continue
                        found = (room, start, end, evening)
                        break
                    if found:
                        break
                if found:
                    break
            if not found:
                break
            room, start, end, evening = found
            room_busy[room.key].append((start - room.setup_minutes, end + room.cleanup_minutes))
            leader_busy[need.leader].append((start, end + policies.travel_minutes))
            theme_busy[need.theme].append((start, end))
            if evening is not None:
                venue_evenings[(room.venue, evening)] += 1
            for key, units in need.materials.items():
                material_busy[key].append((start, end, units))
            starts_taken.append(start)
            placements.append(Placement(need.key, room.key, problem.moment(start),
                                        problem.moment(end)))
    placements.sort(key=lambda p: (p.starts_at.astimezone(UTC), p.room))
    wanted = sum(need.sessions for need in problem.workshops)
    return Plan(status="feasible", placements=placements, wanted=wanted, bound=wanted,
                seconds=clock.monotonic() - began, unplaced=_unplaced(problem, placements))


def starting_plan(problem: Problem, *, budget: float | None = None) -> Plan:
    """The best of a few first-fit orders: longest-waiting first, then the hardest to place
    first (fewest fitting rooms, narrowest availability), and the least wanted rooms
    first (a kitchen is kept for the cooking workshops that cannot go elsewhere).
    CP-SAT starts from it and improves. Stops trying orders once ``budget`` seconds are
    spent (the first, by waiting time, always runs)."""
    fitting = {need.key: sum(1 for room in problem.rooms if room_fits(need, room))
               for need in problem.workshops}
    wanted_by = defaultdict(int)  # room -> sessions of workshops it fits
    for need in problem.workshops:
        for room in problem.rooms:
            if room_fits(need, room):
                wanted_by[room.key] += need.sessions

    def scarce_last(need, room):
        return (wanted_by[room.key], room.capacity, room.key)

    def hardest(n):
        return (fitting[n.key], len(n.availability) or 7, -n.waited_days, n.key)

    best = greedy(problem)
    spent = best.seconds
    for order, room_order in (
            (hardest, scarce_last),
            (lambda n: (-n.waited_days, n.key), scarce_last),
            (lambda n: (fitting[n.key], -n.duration_minutes, -n.waited_days, n.key), None)):
        if budget is not None and spent > budget:
            break
        candidate = greedy(problem, order=order, room_order=room_order)
        spent += candidate.seconds
        if candidate.placed > best.placed:
            best = candidate
    best.seconds = spent
    return best
