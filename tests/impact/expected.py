"""The dashboard's figures recomputed in plain Python over every row (no SQL aggregates)."""

import statistics
from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone

from interra.agenda.models import Feedback, Registration, Session
from interra.impact.selectors import Period
from interra.proposals.models import Proposal, Task

ACTIVE = ("confirmed", "waitlisted")


def hidden(n):
    """A count of people as published: "< 5" under five, else its block of five (floor)."""
    return "< 5" if n < 5 else 5 * (n // 5)


def share(part, whole, whole_is_people=True):
    """A share from the published blocks (hidden when the part is)."""
    if not whole:
        return None
    if whole_is_people:
        whole = hidden(whole)
    if hidden(part) == "< 5" or whole == "< 5":
        return "< 5"
    return round(100 * hidden(part) / whole, 1)


def months_of(period: Period):
    """(first day, first day of the next month) of every month of the period."""
    months = []
    year, month = period.start.year, period.start.month
    while date(year, month, 1) < period.end:
        following = (year + (month == 12), month % 12 + 1)
        months.append((date(year, month, 1), date(*following, 1)))
        year, month = following
    return months


def expected_figures(city, period: Period) -> dict:
    start, end = period.start_at, period.end_at
    sessions = list(Session.objects.filter(city=city).select_related("workshop__leader",
                                                                     "room__venue"))
    held = [s for s in sessions if s.status == "held" and start <= s.starts_at < end]
    held_ids = {s.pk for s in held}
    registrations = list(Registration.objects.filter(session__city=city))
    visits = [r for r in registrations
              if r.session_id in held_ids and r.attended is True and r.status in ACTIVE]
    persons = {r.person_id for r in visits if r.person_id}
    people = len(persons) + sum(r.seats - (1 if r.person_id else 0) for r in visits)
    per_group = {}
    for group in ("newcomer", "local", "undisclosed"):
        rows = [r for r in visits if r.group == group]
        per_group[group] = (len({r.person_id for r in rows if r.person_id})
                            + sum(r.seats - (1 if r.person_id else 0) for r in rows))
    sessions_per_person = defaultdict(set)
    for r in visits:
        if r.person_id:
            sessions_per_person[r.person_id].add(r.session_id)
    returning = sum(1 for s in sessions_per_person.values() if len(s) >= 2)

    workshops = {s.workshop_id: s.workshop for s in held}
    newcomer_led = sum(1 for w in workshops.values() if w.leader.group == "newcomer")

    # Ties over all held sessions before the end of the period.
    starts = {s.pk: s.starts_at for s in sessions if s.status == "held" and s.starts_at < end}
    together = defaultdict(set)
    by_session = defaultdict(lambda: {"newcomer": set(), "local": set()})
    for r in registrations:
        if (r.session_id in starts and r.attended is True and r.person_id
                and r.status in ACTIVE and r.group in ("newcomer", "local")):
            by_session[r.session_id][r.group].add(r.person_id)
    for session_id, groups in by_session.items():
        for newcomer in groups["newcomer"]:
            for local in groups["local"]:
                together[(newcomer, local)].add(session_id)
    new_ties = sum(1 for ids in together.values() if min(starts[i] for i in ids) >= start)
    lasting = sum(1 for ids in together.values()
                  if len(ids) >= 2 and max(starts[i] for i in ids) >= start)

    # Visits: each month published on its own (0 when no session), the total their sum.
    month_rows = []
    for first, following in months_of(period):
        in_month = [s for s in held if first <= timezone.localtime(s.starts_at).date() < following]
        seats = sum(r.seats for r in visits if r.session_id in {s.pk for s in in_month})
        month_rows.append((len(in_month), hidden(seats) if in_month else 0))
    published_visits = sum(v for _n, v in month_rows if v != "< 5")

    feedback = [f.rating for f in Feedback.objects.filter(registration__session_id__in=held_ids)]
    taken = [r for r in registrations if r.session_id in held_ids and r.status == "confirmed"
             and not r.is_walk_in and r.attended is not None]
    absent = sum(1 for r in taken if r.attended is False)
    planned = {s.pk: s for s in sessions if s.status != "cancelled" and start <= s.starts_at < end}
    capacity = sum(s.capacity for s in planned.values())
    waitlisted = sum(r.seats for r in registrations
                     if r.session_id in planned and r.status == "waitlisted")

    proposals = [p for p in Proposal.objects.filter(city=city) if start <= p.created_at < end]
    accepted = [p for p in proposals if p.stage in (
        "accepted", "preparation", "ready", "scheduled", "running") or p.workshop_id]
    waits = []
    for p in Proposal.objects.filter(city=city, workshop__isnull=False):
        firsts = [s.starts_at for s in sessions
                  if s.workshop_id == p.workshop_id and s.status != "cancelled"]
        if firsts and start <= min(firsts) < end and min(firsts) >= p.created_at:
            waits.append((min(firsts) - p.created_at).total_seconds() / 86400)
    today = timezone.localdate()
    open_tasks = [t for t in Task.objects.filter(proposal__city=city) if t.done_at is None]

    themes = defaultdict(int)
    for s in held:
        themes[s.workshop.theme] += 1
    places = defaultdict(int)
    for s in held:
        places[(s.room.venue.neighbourhood if s.room_id else "") or None] += 1
    return {
        "sessions_held": len(held),
        "workshops_held": len(workshops),
        "hours": round(sum((s.ends_at - s.starts_at for s in held), timedelta()).total_seconds()
                       / 3600, 1),
        "visits": published_visits or "< 5",
        "months": month_rows,
        "people_reached": hidden(people),
        "mix": {g: hidden(n) for g, n in per_group.items()},
        "returning_participants": hidden(returning),
        "newcomer_led_workshops": hidden(newcomer_led),
        "newcomer_led_share": share(newcomer_led, len(workshops), whole_is_people=False),
        "new_ties": hidden(new_ties),
        "lasting_ties": hidden(lasting),
        "feedback_average": (round(sum(feedback) / len(feedback), 1) if len(feedback) >= 5
                             else ("< 5" if feedback else None)),
        "no_show_rate": share(absent, len(taken)),
        "capacity": capacity,
        "waitlisted_seats": hidden(waitlisted),
        "waitlist_pressure": share(waitlisted, capacity, whole_is_people=False),
        "proposals_received": len(proposals),
        "proposals_accepted": len(accepted),
        "median_days_to_first_session": round(statistics.median(waits), 1) if waits else None,
        "open_tasks": len(open_tasks),
        "overdue_tasks": sum(1 for t in open_tasks if t.due_on < today),
        "themes": dict(themes),
        "neighbourhoods": dict(places),
        "raw_people": people, "raw_new_ties": new_ties, "raw_lasting": lasting,
    }


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year + 1, 1, 1))
