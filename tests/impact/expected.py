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
    return "< 5" if n < 5 else n


def share(part, whole, people=None):
    if not whole:
        return None
    if (people if people is not None else part) < 5:
        return "< 5"
    return round(100 * part / whole, 1)


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
        if firsts and start <= min(firsts) < end:
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
        "visits": hidden(sum(r.seats for r in visits)),
        "people_reached": hidden(people),
        "mix": {g: hidden(n) for g, n in per_group.items()},
        "returning_participants": hidden(returning),
        "newcomer_led_workshops": hidden(newcomer_led),
        "newcomer_led_share": share(newcomer_led, len(workshops)),
        "new_ties": hidden(new_ties),
        "lasting_ties": hidden(lasting),
        "feedback_average": (round(sum(feedback) / len(feedback), 2) if len(feedback) >= 5
                             else ("< 5" if feedback else None)),
        "no_show_rate": share(absent, len(taken), people=len(taken)),
        "capacity": capacity,
        "waitlisted_seats": hidden(waitlisted),
        "waitlist_pressure": share(waitlisted, capacity),
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
