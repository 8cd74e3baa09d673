"""Reads of the autonomy path: who may be trusted, who is, and the slots the planner
proposes to a trusted leader for their next session."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from interra.agenda.models import Feedback, Registration, Session
from interra.cities.models import City
from interra.planning import solver
from interra.planning.selectors import planning_input
from interra.proposals.models import Stage, Workshop, WorkshopFormat
from interra.venues.models import Booking

from .models import LeaderTrust

# The planner looks this far ahead for a leader, and offers this many starts (on
# different days: the solver keeps the sessions of one workshop 23 hours apart).
SLOT_DAYS = 28
SLOT_CHOICES = 5
# CP-SAT's budget for one workshop; the greedy first fit is its floor if time runs out.
SOLVE_SECONDS = 1.0
SCHEDULING_STAGES = (Stage.ACCEPTED, Stage.IN_PREPARATION, Stage.READY, Stage.SCHEDULED,
                     Stage.RUNNING)


@dataclass
class LeaderRecord:
    """What a leader has done in a city, measured against the city's thresholds."""

    leader: object
    city: City
    held: int = 0
    feedback_count: int = 0
    average_feedback: float | None = None
    registered: int = 0
    came: int = 0
    trust: LeaderTrust | None = None

    @property
    def attendance_percent(self) -> float | None:
        return round(100 * self.came / self.registered, 1) if self.registered else None

    @property
    def meets_held(self) -> bool:
        return self.held >= self.city.trust_min_held_sessions

    @property
    def meets_feedback(self) -> bool:
        return (self.average_feedback is not None and Decimal(str(self.average_feedback))
                >= self.city.trust_min_average_feedback)

    @property
    def meets_attendance(self) -> bool:
        return (self.attendance_percent is not None
                and self.attendance_percent >= self.city.trust_min_attendance_percent)

    @property
    def eligible(self) -> bool:
        return self.meets_held and self.meets_feedback and self.meets_attendance

    def evidence(self) -> dict:
        """Numbers only, kept with a promotion."""
        return {"held": self.held, "average_feedback": self.average_feedback,
                "feedback_count": self.feedback_count,
                "attendance_percent": self.attendance_percent,
                "thresholds": [self.city.trust_min_held_sessions,
                               str(self.city.trust_min_average_feedback),
                               self.city.trust_min_attendance_percent],
                "eligible": self.eligible}


def leader_records(*, city: City, leaders=None) -> list[LeaderRecord]:
    """Every leader with a held session in ``city`` (or only ``leaders``), with their
    held sessions, average feedback and attendance there, and their current trust.

    Attendance: of the seats confirmed by registration (walk-ins aside), how many were
    marked present. Four queries whatever the number of leaders. Eligible first."""
    held = Session.objects.filter(city=city, status=Session.Status.HELD)
    if leaders is not None:
        held = held.filter(workshop__leader__in=leaders)
    counts = dict(held.values_list("workshop__leader").annotate(n=Count("pk"))
                  .values_list("workshop__leader", "n"))
    if not counts:
        return []
    feedback = {
        row["registration__session__workshop__leader"]: row
        for row in Feedback.objects.filter(registration__session__in=held)
        .values("registration__session__workshop__leader")
        .annotate(n=Count("pk"), average=Avg("rating"))
    }
    attendance = {
        row["session__workshop__leader"]: row
        for row in Registration.objects.filter(
            session__in=held, status=Registration.Status.CONFIRMED, is_walk_in=False)
        .values("session__workshop__leader")
        .annotate(registered=Count("pk"), came=Count("pk", filter=Q(attended=True)))
    }
    trusts = {t.leader_id: t for t in LeaderTrust.objects.filter(
        city=city, revoked_at__isnull=True, leader__in=list(counts))}
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.in_bulk(list(counts))
    records = []
    for leader_id, held_count in counts.items():
        person = people.get(leader_id)
        if person is None or not person.is_active:
            continue
        given = feedback.get(leader_id, {})
        seats = attendance.get(leader_id, {})
        average = given.get("average")
        records.append(LeaderRecord(
            leader=person, city=city, held=held_count, feedback_count=given.get("n", 0),
            average_feedback=round(float(average), 2) if average is not None else None,
            registered=seats.get("registered", 0), came=seats.get("came", 0),
            trust=trusts.get(leader_id)))
    records.sort(key=lambda r: (not r.eligible, r.trust is not None, -r.held,
                                r.leader.display_name, r.leader.pk))
    return records


def leader_record(*, leader, city: City) -> LeaderRecord:
    found = leader_records(city=city, leaders=[leader])
    return found[0] if found else LeaderRecord(
        leader=leader, city=city, trust=active_trust(leader=leader, city=city))


def active_trust(*, leader, city) -> LeaderTrust | None:
    if not getattr(leader, "is_authenticated", False) or city is None:
        return None
    return LeaderTrust.objects.filter(leader=leader, city=city, revoked_at__isnull=True).first()


def trust_history(*, city: City, limit: int = 30) -> list[LeaderTrust]:
    return list(LeaderTrust.objects.filter(city=city)
                .select_related("leader", "granted_by", "revoked_by")[:limit])


# --- The trusted leader's own scheduling --------------------------------------------------

def sessions_still_wanted(workshop: Workshop) -> int | None:
    """How many more sessions the workshop wants: the sessions its proposal asked for
    minus those on the agenda or asked for (cancelled ones aside). A series without a
    stated number wants more as long as it runs (None); a one-off wants one."""
    taken = (Session.objects.filter(workshop=workshop)
             .exclude(status=Session.Status.CANCELLED).count()
             + Booking.objects.filter(workshop=workshop, status=Booking.Status.REQUESTED)
             .count())
    stated = (workshop.needs or {}).get("sessions")
    if stated:
        return max(0, int(stated) - taken)
    if workshop.format == WorkshopFormat.SERIES:
        return None
    return max(0, 1 - taken)


def workshops_to_schedule(user) -> list[Workshop]:
    """The active workshops ``user`` leads, in cities where they are trusted now, whose
    proposal was accepted and which still want sessions. Empty for anyone else: a revoked
    trust empties it at once."""
    if not getattr(user, "is_authenticated", False):
        return []
    cities = LeaderTrust.objects.filter(leader=user, revoked_at__isnull=True).values("city")
    workshops = (Workshop.objects.filter(leader=user, is_active=True, city__in=cities,
                                         proposal__stage__in=SCHEDULING_STAGES)
                 .select_related("city").order_by("created_at", "pk"))
    return [w for w in workshops if sessions_still_wanted(w) != 0]


def workshop_to_schedule(user, pk) -> Workshop | None:
    return next((w for w in workshops_to_schedule(user) if w.pk == pk), None)


def requests_pending(workshop: Workshop) -> list[Booking]:
    """Rooms asked for this workshop that the partner has not answered yet."""
    return list(Booking.objects.filter(workshop=workshop, status=Booking.Status.REQUESTED,
                                       starts_at__gt=timezone.now())
                .select_related("room__venue").order_by("starts_at"))


@dataclass(frozen=True)
class Slot:
    room: object  # venues.Room
    starts_at: datetime
    ends_at: datetime

    @property
    def value(self) -> str:
        """What the form posts back: the room and the start, checked again on booking."""
        return f"{self.room.pk}|{self.starts_at.isoformat()}"


def _one_workshop_input(workshop: Workshop, *, sessions: int, now=None):
    first_day = timezone.localdate(now or timezone.now()) + timedelta(days=1)
    return planning_input(city=workshop.city, starts_on=first_day, days=SLOT_DAYS,
                          workshops=[workshop], sessions=sessions)


def slots_for(workshop: Workshop, *, now=None) -> list[Slot]:
    """A handful of starts the planner proposes for ``workshop`` over the coming weeks.

    The planner's own model for this one workshop (``planning.solver``): rooms that fit
    its needs, open and free (bookings and buffers included), when the leader said they
    can, never over another of their sessions or requests, materials in stock. Asked to
    place ``SLOT_CHOICES`` sessions, it spreads them over different days and weekdays,
    preferred neighbourhoods first; each one is a choice for the next session."""
    data = _one_workshop_input(workshop, sessions=SLOT_CHOICES, now=now)
    problem = data.problem
    if not problem.workshops:
        return []
    start = solver.greedy(problem)
    result = solver.solve(problem, time_limit=SOLVE_SECONDS, hint=start.placements,
                          max_rooms_per_workshop=12, workers=1)
    slots = [Slot(room=data.rooms[p.room], starts_at=p.starts_at, ends_at=p.ends_at)
             for p in result.placements]
    return sorted(slots, key=lambda s: (s.starts_at, s.room.pk))


def slot_check(workshop: Workshop, *, room_id: int, starts_at: datetime, now=None):
    """(room, ends_at) when one session may start then in that room by the planner's
    rules (see ``solver.start_fits``), else None."""
    data = _one_workshop_input(workshop, sessions=1, now=now)
    problem = data.problem
    room = data.rooms.get(room_id)
    if not problem.workshops or room is None:
        return None
    need = replace(problem.workshops[0], sessions=1)
    supply = next((r for r in problem.rooms if r.key == room_id), None)
    offset = problem.offset(starts_at)
    if supply is None or not 0 <= offset < problem.offset(problem.end):
        return None
    if not solver.start_fits(problem, need, supply, offset):
        return None
    return room, starts_at + timedelta(minutes=need.duration_minutes)


def leader_requests(*, cities, limit: int = 30) -> QuerySet[Booking]:
    """Rooms that leaders asked for themselves in ``cities``, upcoming, newest first: the
    coordinator sees them and may step in (cancel the booking)."""
    return (Booking.objects.filter(room__venue__city__in=cities,
                                   requested_by=F("workshop__leader"),
                                   status__in=Booking.ACTIVE_STATUSES,
                                   starts_at__gt=timezone.now())
            .select_related("room__venue", "workshop__leader").order_by("-created_at")[:limit])

