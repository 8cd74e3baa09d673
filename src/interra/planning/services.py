"""Writes of the scheduling assistant: make a plan, accept some or all of it.

The planner sits above agenda and venues: it reads them (selectors) and books rooms only
through ``venues.services.booking_request``, which locks the room and refuses a clash.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interra.core.errors import DomainError
from interra.core.i18n import localized
from interra.notifications.services import notify
from interra.venues import services as venues_services

from . import explain, selectors, solver
from .models import Plan, PlanItem

MAX_DAYS = 42
MAX_TIME_LIMIT = 120
ROOMS_PER_WORKSHOP = 12


def plan_create(*, city, starts_on: date, days: int = 28, time_limit: int = 10, by=None,
                policies: solver.Policies | None = None) -> Plan:
    """Run the planner for ``city`` over ``days`` days from ``starts_on`` and store the
    proposed plan with, for each workshop it could not place, why and what would help.

    Nothing is booked: the coordinator accepts the plan (``plan_accept``). The solve runs
    outside any transaction (it may take the whole time limit); only the result is
    written, in one transaction. Refuses a period of more than six weeks or a time limit
    outside 1–120 seconds.
    """
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(_("A plan covers one day to six weeks."), code="days")
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        raise DomainError(_("The time limit is between 1 and 120 seconds."), code="time_limit")
    data = selectors.planning_input(city=city, starts_on=starts_on, days=days,
                                    policies=policies)
    problem = data.problem
    start = solver.starting_plan(problem)
    # A big city keeps the model within the time limit: the 12 best rooms per workshop
    # (those of the starting plan always among them).
    result = solver.solve(problem, time_limit=max(1, time_limit - start.seconds),
                          hint=start.placements, max_rooms_per_workshop=ROOMS_PER_WORKSHOP)
    by_key = {need.key: need for need in problem.workshops}
    unplaced = [explain.diagnose(problem, by_key[key], missing, result.placements)
                for key, missing in result.unplaced.items()]
    with transaction.atomic():
        plan = Plan.objects.create(
            city=city, created_by=by if by is not None and by.pk else None,
            starts_on=starts_on, days=days, time_limit=time_limit, status=result.status,
            wanted=result.wanted, bound=result.bound, seconds=round(result.seconds, 2),
            unplaced=unplaced)
        PlanItem.objects.bulk_create(
            PlanItem(plan=plan, workshop=data.workshops[p.workshop], room=data.rooms[p.room],
                     starts_at=p.starts_at, ends_at=p.ends_at)
            for p in result.placements)
    return plan


def _leader_context(item: PlanItem) -> dict:
    """What the leader is told: their workshop, the date and the place; nobody's data."""
    local_start = timezone.localtime(item.starts_at)
    venue = item.room.venue
    return {
        "workshop": localized(item.workshop.title) or str(item.workshop.pk),
        "date": local_start.date().isoformat(),
        "starts": local_start.strftime("%H:%M"),
        "ends": timezone.localtime(item.ends_at).strftime("%H:%M"),
        "room": item.room.name,
        "venue": venue.name,
        "address": venue.address,
        "public_transport": venue.public_transport,
    }


def plan_accept(*, plan: Plan, items, by) -> tuple[list[PlanItem], list[PlanItem]]:
    """Accept ``items`` of ``plan`` in one go: ask each partner for the room
    (``booking_request``), and tell each leader the date and place once it commits.

    An item whose room is no longer free (or closed since) is marked "no longer free" with
    the reason, and the others go ahead: one clash does not undo the rest. Items already
    requested, or of another plan, are refused. Records who accepted and when.
    Returns (requested, clashed).
    """
    items = list(items)
    if any(item.plan_id != plan.pk for item in items):
        raise DomainError(_("These sessions are not part of this plan."), code="plan")
    if any(item.state == PlanItem.State.REQUESTED for item in items):
        raise DomainError(_("Some of these sessions are already requested."), code="requested")
    requested, clashed = [], []
    now = timezone.now()
    with transaction.atomic():
        for item in sorted(items, key=lambda i: (i.starts_at, i.pk)):
            item = PlanItem.objects.select_related("workshop__leader", "room__venue").get(
                pk=item.pk)
            try:
                # A savepoint per item: a refused request leaves the others untouched.
                with transaction.atomic():
                    booking = venues_services.booking_request(
                        room=item.room, workshop=item.workshop, starts_at=item.starts_at,
                        ends_at=item.ends_at, requested_by=by,
                        note=_("Proposed by the scheduling assistant."))
            except DomainError as error:
                item.state = PlanItem.State.CLASH
                item.problem = str(error.message)[:300]
                item.save(update_fields=["state", "problem"])
                clashed.append(item)
                continue
            item.state = PlanItem.State.REQUESTED
            item.problem = ""
            item.booking = booking
            item.accepted_by = by
            item.accepted_at = now
            item.save(update_fields=["state", "problem", "booking", "accepted_by",
                                     "accepted_at"])
            leader = item.workshop.leader
            if leader.is_active:
                notify(person=leader, template="session_planned",
                       context=_leader_context(item))
            requested.append(item)
    return requested, clashed
