"""Writes of the scheduling assistant: make a plan, accept some or all of it.

The planner sits above agenda and venues: it reads them (selectors) and books rooms only
through ``venues.services.booking_request``, which locks the room and refuses a clash.
"""

import logging
from datetime import date, timedelta

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from interra.core.errors import DomainError
from interra.core.i18n import localized
from interra.notifications.services import notify
from interra.venues import services as venues_services

from . import explain, selectors, solver
from .models import Plan, PlanItem

MAX_DAYS = 42
MAX_TIME_LIMIT = 120
# How far ahead a coordinator plans (the planner's input and the calendar both stop there).
MAX_DAYS_AHEAD = 366
ROOMS_PER_WORKSHOP = 12
# A plan still queued or running this long after its time limit has lost its worker.
STALE_AFTER = timedelta(minutes=15)

logger = logging.getLogger(__name__)


def _check_period(days: int, time_limit: int) -> None:
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(_("A plan covers one day to six weeks."), code="days")
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        raise DomainError(_("The time limit is between 1 and 120 seconds."), code="time_limit")


def _solve_and_store(plan: Plan, *, policies: solver.Policies | None = None) -> Plan:
    """Solve ``plan``'s period and write the result into it (state "done"), in one
    transaction. The solve itself runs outside any transaction: it may take the whole
    time limit."""
    data = selectors.planning_input(city=plan.city, starts_on=plan.starts_on, days=plan.days,
                                    policies=policies)
    problem = data.problem
    start = solver.starting_plan(problem, budget=0.3 * plan.time_limit)
    # A big city keeps the model within the time limit: the 12 best rooms per workshop
    # (those of the starting plan always among them).
    result = solver.solve(problem, time_limit=max(1, plan.time_limit - start.seconds),
                          hint=start.placements, max_rooms_per_workshop=ROOMS_PER_WORKSHOP)
    by_key = {need.key: need for need in problem.workshops}
    unplaced = [explain.diagnose(problem, by_key[key], missing, result.placements)
                for key, missing in result.unplaced.items()]
    with transaction.atomic():
        plan.status = result.status
        plan.wanted = result.wanted
        plan.bound = result.bound
        plan.seconds = round(result.seconds, 2)
        plan.unplaced = unplaced
        plan.state = Plan.State.DONE
        plan.failure = ""
        plan.finished_at = timezone.now()
        if plan.pk is None:
            plan.save()
        else:
            plan.save(update_fields=["status", "wanted", "bound", "seconds", "unplaced",
                                     "state", "failure", "finished_at", "updated_at"])
        PlanItem.objects.bulk_create(
            PlanItem(plan=plan, workshop=data.workshops[p.workshop], room=data.rooms[p.room],
                     starts_at=p.starts_at, ends_at=p.ends_at)
            for p in result.placements)
    return plan


def plan_create(*, city, starts_on: date, days: int = 28, time_limit: int = 10, by=None,
                policies: solver.Policies | None = None) -> Plan:
    """Run the planner for ``city`` over ``days`` days from ``starts_on`` now, in this
    process, and store the proposed plan with, for each workshop it could not place, why
    and what would help. The coordinator's page uses ``plan_request`` (a background task).

    Nothing is booked: the coordinator accepts the plan (``plan_accept``). Refuses a period
    of more than six weeks or a time limit outside 1–120 seconds.
    """
    _check_period(days, time_limit)
    now = timezone.now()
    plan = Plan(city=city, created_by=by if by is not None and by.pk else None,
                starts_on=starts_on, days=days, time_limit=time_limit, started_at=now)
    return _solve_and_store(plan, policies=policies)


class PlanInProgress(DomainError):
    """A plan for this city is already being made: ``plan`` is the one to wait for."""

    status_code = 409

    def __init__(self, message, *, plan: Plan):
        super().__init__(message, code="in_progress")
        self.plan = plan


def _lost(plan: Plan, now) -> bool:
    """A plan queued or running for far longer than its time limit: its worker is gone."""
    return plan.created_at < now - STALE_AFTER - timedelta(seconds=plan.time_limit)


def plan_request(*, city, starts_on: date, days: int = 28, time_limit: int = 10,
                 by=None) -> Plan:
    """Queue a plan for ``city``: the solve runs in a background task (``tasks.run_plan``,
    enqueued when this transaction commits), so no web request waits for it.

    One plan at a time per city: while one is queued or running, another request raises
    ``PlanInProgress`` with that plan (two solves would propose the same rooms twice). A
    plan left queued or running long past its time limit (a worker that died) is marked
    failed and no longer blocks. Refuses a period of more than six weeks, a start before
    today or more than a year ahead, or a time limit outside 1–120 seconds.
    """
    from .tasks import run_plan

    _check_period(days, time_limit)
    today = timezone.localdate()
    last = today + timedelta(days=MAX_DAYS_AHEAD)
    if not today <= starts_on <= last:
        # A past period plans sessions nobody can book; year 9999 overflowed the solver.
        raise DomainError(_("Choose a start between today and %(last)s.")
                          % {"last": formats.date_format(last, "DATE_FORMAT")},
                          code="starts_on")
    now = timezone.now()
    with transaction.atomic():
        # The city's row serialises two coordinators pressing "make a plan" at once.
        type(city).objects.select_for_update().filter(pk=city.pk).first()
        for running in Plan.objects.filter(city=city, state__in=[
                Plan.State.QUEUED, Plan.State.RUNNING]).order_by("-created_at"):
            if not _lost(running, now):
                raise PlanInProgress(
                    _("A plan for this city is already being made; it is shown below."),
                    plan=running)
            running.state = Plan.State.FAILED
            running.failure = "lost: no answer from the planner's worker"
            running.finished_at = now
            running.save(update_fields=["state", "failure", "finished_at", "updated_at"])
        plan = Plan.objects.create(
            city=city, created_by=by if by is not None and by.pk else None,
            starts_on=starts_on, days=days, time_limit=time_limit, state=Plan.State.QUEUED)
        transaction.on_commit(lambda: run_plan.enqueue(plan.pk))
    return plan


def plan_run(*, plan_id: int) -> Plan | None:
    """What the background task does: take the queued plan (once, even if the task is
    delivered twice), solve it, store the result. On an error the plan is marked failed
    with the reason, which the coordinator sees, and the error is raised again for the
    worker's log. Returns None when there was nothing to take."""
    taken = Plan.objects.filter(pk=plan_id, state=Plan.State.QUEUED).update(
        state=Plan.State.RUNNING, started_at=timezone.now(), updated_at=timezone.now())
    if not taken:
        return None
    plan = Plan.objects.select_related("city").get(pk=plan_id)
    try:
        return _solve_and_store(plan)
    except Exception as error:
        logger.exception("Plan %s failed", plan_id)
        Plan.objects.filter(pk=plan_id).update(
            state=Plan.State.FAILED, failure=f"{type(error).__name__}: {error}"[:300],
            finished_at=timezone.now(), updated_at=timezone.now())
        raise


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
            item = (PlanItem.objects.select_for_update(of=("self",))
                    .select_related("workshop__leader", "room__venue").get(pk=item.pk))
            if item.state == PlanItem.State.REQUESTED:
                # Requested meanwhile (a second click on "accept"): its booking holds the
                # room; asking again would mark it a clash with itself.
                continue
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
