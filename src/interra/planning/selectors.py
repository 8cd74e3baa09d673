"""Reads for the scheduling assistant: the solver's input for a city and a period, and the
plans a coordinator comes back to."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from interra.agenda.models import Session
from interra.cities.selectors import coordinated_cities
from interra.proposals.models import Stage, Workshop, WorkshopFormat
from interra.venues import availability
from interra.venues.models import (
    Booking,
    Closure,
    Equipment,
    Material,
    MaterialLoan,
    OpeningRule,
    Room,
)
from interra.venues.selectors import ON_REQUEST_CLOSES, ON_REQUEST_OPENS

from . import explain, solver
from .models import Plan, PlanItem

DEFAULT_DURATION_MINUTES = 120
WEEKDAY_CODES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@dataclass
class _OnRequest:
    """A room without published hours is open on request: offered 8:00–22:00 daily, as the
    room finder does; the partner still confirms every booking."""

    valid_from: date
    rrule: str = "FREQ=DAILY"
    opens_at: time = ON_REQUEST_OPENS
    closes_at: time = ON_REQUEST_CLOSES
    valid_until: date | None = None


@dataclass
class PlanningInput:
    problem: solver.Problem
    workshops: dict = field(default_factory=dict)  # key -> Workshop
    rooms: dict = field(default_factory=dict)  # key -> Room


def room_kinds(equipment) -> frozenset:
    """The kinds of room (as proposals ask for them) a room with ``equipment`` serves."""
    has = set(equipment)
    kinds = {"quiet_room"}
    if "kitchen" in has:
        kinds.add("kitchen")
    if "sports_floor" in has:
        kinds |= {"sports_hall", "studio"}
    if "mirrors" in has or "piano" in has:
        kinds.add("studio")
    if "outdoor_space" in has:
        kinds.add("outdoors")
    return frozenset(kinds)


def equipment_in(text: str) -> frozenset:
    """Equipment keys named in a proposal's free text ("a kitchen and an oven")."""
    text = (text or "").casefold()
    found = set()
    for key, label in Equipment.choices:
        words = {key.replace("_", " "), str(label).casefold()}
        if any(word and word in text for word in words):
            found.add(key)
    return frozenset(found)


def leader_availability(days, times) -> dict:
    """Weekday -> wall-clock ranges from the proposal form's days and times of day.

    Days without times mean the whole day (within opening hours); times without days mean
    those times every day; nothing at all means any time."""
    weekdays = [WEEKDAY_CODES.index(d) for d in days or () if d in WEEKDAY_CODES]
    ranges = [solver.TIME_OF_DAY_RANGES[t] for t in times or ()
              if t in solver.TIME_OF_DAY_RANGES]
    if not weekdays and not ranges:
        return {}
    weekdays = weekdays or list(range(7))
    ranges = ranges or [(time(0), time(0))]
    return {day: list(ranges) for day in weekdays}


def sessions_wanted(workshop: Workshop, days: int) -> int:
    needs = workshop.needs or {}
    if needs.get("sessions"):
        return max(1, int(needs["sessions"]))
    if workshop.format == WorkshopFormat.SERIES:
        return max(1, days // 7)
    return 1


def workshops_ready(city) -> QuerySet[Workshop]:
    """Active workshops of ``city`` whose proposal is "ready to schedule", oldest first."""
    return (Workshop.objects.filter(city=city, is_active=True, proposal__stage=Stage.READY)
            .select_related("proposal", "leader").order_by("proposal__created_at", "pk"))


def planning_input(*, city, starts_on: date, days: int, policies=None, workshops=None,
                   sessions: int | None = None) -> PlanningInput:
    """The solver's problem for ``city`` over ``days`` days from ``starts_on`` (local).

    Rooms' free time is their opening rules expanded over the period (venues'
    availability helpers), minus closures, minus active bookings with their buffers.
    Sessions a workshop already has booked in the period count towards what it wants.
    A leader is busy during their other sessions and the rooms they asked for.
    ``workshops`` (default: those ready to schedule) and ``sessions`` (sessions to place
    per workshop, instead of what each still wants) serve a trusted leader's own choice.
    """
    tz = timezone.get_current_timezone()
    start = datetime.combine(starts_on, time(0), tzinfo=tz)
    end = datetime.combine(starts_on + timedelta(days=days), time(0), tzinfo=tz)
    now = timezone.now()

    rules = OpeningRule.objects.filter(valid_from__lte=end.date()).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=start.date()))
    rooms = list(Room.objects.filter(venue__city=city, is_active=True)
                 .select_related("venue")
                 .prefetch_related(Prefetch("opening_rules", queryset=rules,
                                            to_attr="period_rules")))
    busy: dict[int, list] = {}
    for room_id, begin, finish in Booking.objects.filter(
            room__venue__city=city, status__in=Booking.ACTIVE_STATUSES,
            blocked_from__lt=end, blocked_until__gt=start,
    ).values_list("room_id", "blocked_from", "blocked_until"):
        busy.setdefault(room_id, []).append((begin, finish))
    venue_closed: dict[int, list] = {}
    for venue_id, room_id, begin, finish in Closure.objects.filter(
            venue__city=city, starts_at__lt=end, ends_at__gt=start,
    ).values_list("venue_id", "room_id", "starts_at", "ends_at"):
        if room_id:
            busy.setdefault(room_id, []).append((begin, finish))
        else:
            venue_closed.setdefault(venue_id, []).append((begin, finish))
    expansions: dict = {}
    supplies = []
    for room in rooms:
        room_rules = room.period_rules or [_OnRequest(valid_from=start.date())]
        opened = availability.opening_intervals(room_rules, start, end, cache=expansions)
        free = availability.subtract(opened, busy.get(room.pk, [])
                                     + venue_closed.get(room.venue_id, []))
        supplies.append(solver.RoomSupply(
            key=room.pk, venue=room.venue_id, neighbourhood=room.venue.neighbourhood,
            capacity=room.capacity, free=tuple(free), kinds=room_kinds(room.equipment),
            equipment=frozenset(room.equipment), accessibility=frozenset(room.accessibility),
            setup_minutes=room.setup_minutes, cleanup_minutes=room.cleanup_minutes,
            name=str(room)))

    materials = list(Material.objects.filter(city=city))
    lent: dict[int, list] = {}
    for material_id, units, begin, finish in MaterialLoan.objects.filter(
            material__city=city, cancelled=False, starts_at__lt=end,
    ).filter(Q(returned_at__isnull=True) | Q(returned_at__gt=start)).values_list(
            "material_id", "quantity", "starts_at", "ends_at"):
        lent.setdefault(material_id, []).append((begin, max(finish, begin), units))
    stocks = [solver.MaterialStock(key=m.pk, quantity=m.quantity, lent=tuple(lent.get(m.pk, ())),
                                   name=m.name) for m in materials]

    workshops = list(workshops_ready(city) if workshops is None else workshops)
    booked: dict[int, int] = {}
    for workshop_id in Booking.objects.filter(
            workshop__in=workshops, status__in=Booking.ACTIVE_STATUSES,
            starts_at__gte=start, starts_at__lt=end).values_list("workshop_id", flat=True):
        booked[workshop_id] = booked.get(workshop_id, 0) + 1
    leader_busy: dict[int, list] = {}
    for leader_id, begin, finish in Session.objects.filter(
            workshop__leader__in={w.leader_id for w in workshops},
            starts_at__lt=end, ends_at__gt=start,
    ).exclude(status=Session.Status.CANCELLED).values_list(
            "workshop__leader_id", "starts_at", "ends_at"):
        leader_busy.setdefault(leader_id, []).append((begin, finish))
    # A room asked for and not yet confirmed has no session: the leader is busy there too.
    for leader_id, begin, finish in Booking.objects.filter(
            workshop__leader__in={w.leader_id for w in workshops},
            status=Booking.Status.REQUESTED, starts_at__lt=end, ends_at__gt=start,
    ).values_list("workshop__leader_id", "starts_at", "ends_at"):
        leader_busy.setdefault(leader_id, []).append((begin, finish))

    needs = []
    for workshop in workshops:
        stated = workshop.needs or {}
        wanted = (sessions if sessions is not None
                  else sessions_wanted(workshop, days) - booked.get(workshop.pk, 0))
        if wanted <= 0:
            continue
        materials_text = (stated.get("materials") or "").casefold()
        needs.append(solver.WorkshopNeed(
            key=workshop.pk, leader=workshop.leader_id, theme=workshop.theme,
            sessions=wanted,
            duration_minutes=int(stated.get("duration_minutes") or DEFAULT_DURATION_MINUTES),
            group_size=workshop.group_size, room_kind=stated.get("room_kind") or "",
            equipment=equipment_in(stated.get("equipment", "")),
            accessibility=frozenset(stated.get("accessibility") or ()),
            # "Neighbourhoods that suit you": the leader can go there, not elsewhere.
            neighbourhoods=frozenset(stated.get("neighbourhoods") or ()),
            neighbourhoods_required=True,
            availability=leader_availability(stated.get("available_days"),
                                             stated.get("available_times")),
            materials={m.pk: 1 for m in materials
                       if m.name and m.name.casefold() in materials_text},
            waited_days=max(0, (now - workshop.proposal.created_at).days),
            title=str(workshop)))
    problem = solver.Problem(start=start, days=days, workshops=needs, rooms=supplies,
                             materials=stocks, policies=policies or solver.Policies(),
                             leader_busy=leader_busy, tz=tz)
    return PlanningInput(problem=problem, workshops={w.pk: w for w in workshops},
                         rooms={r.pk: r for r in rooms})


# --- Plans ---------------------------------------------------------------------------------


def plans_for(user) -> QuerySet[Plan]:
    """Plans of the cities ``user`` coordinates, newest first, with ``placed`` counted."""
    return (Plan.objects.filter(city__in=coordinated_cities(user))
            .select_related("city", "created_by").annotate(placed=Count("items")))


def plan_for(user, pk) -> Plan | None:
    return plans_for(user).filter(pk=pk).first()


def plan_elapsed(plan: Plan) -> int:
    """Seconds the plan has been running (0 while it waits for a worker)."""
    if plan.state != Plan.State.RUNNING or plan.started_at is None:
        return 0
    return max(0, int((timezone.now() - plan.started_at).total_seconds()))


def plan_items(plan: Plan) -> list[PlanItem]:
    return list(plan.items.select_related("workshop", "room__venue", "booking",
                                          "accepted_by"))


def items_to_replan(plan: Plan) -> list[PlanItem]:
    """Items whose booking the partner refused (or cancelled): to place again."""
    return [item for item in plan_items(plan) if item.booking is not None
            and item.booking.status in (Booking.Status.REFUSED, Booking.Status.CANCELLED)]


def week_calendar(plan: Plan, items) -> list[dict]:
    """[{"monday": date, "days": [{"date", "items": [...]}] * 7}] for the plan's weeks."""
    first = plan.starts_on - timedelta(days=plan.starts_on.weekday())
    last = plan.starts_on + timedelta(days=plan.days - 1)
    by_day: dict[date, list] = {}
    for item in items:
        by_day.setdefault(timezone.localtime(item.starts_at).date(), []).append(item)
    weeks = []
    monday = first
    while monday <= last:
        weeks.append({"monday": monday, "days": [
            {"date": monday + timedelta(days=i),
             "items": by_day.get(monday + timedelta(days=i), [])} for i in range(7)]})
        monday += timedelta(days=7)
    return weeks


def unplaced_explained(plan: Plan) -> list[dict]:
    """[{"workshop", "reason", "change"}] in the active language, for the plan page."""
    if not plan.unplaced:
        return []
    titles = Workshop.objects.in_bulk([entry["workshop"] for entry in plan.unplaced])
    rows = []
    for entry in plan.unplaced:
        reason, change = explain.describe(entry)
        rows.append({"workshop": titles.get(entry["workshop"]), "reason": reason,
                     "change": change, "missing": entry.get("missing", 0)})
    return rows
