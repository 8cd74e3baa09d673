"""Demo agenda: 40 past sessions (registrations, attendance, feedback) and a dozen
upcoming ones relative to today, some nearly full, one with a waitlist.

Uses the workshops of proposals/demo.py and the rooms and bookings of venues/demo.py when
they exist; otherwise makes a few minimal workshops and leaves rooms empty.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from interra.accounts.models import Group
from interra.proposals.models import Proposal, Stage, Theme, Workshop

from .models import Feedback, Registration, Session
from .seats import normalize_group

ORDER = 50
PAST_SESSIONS = 40
UPCOMING_SESSIONS = 12
COMMENTS = ["Merci, c'était super !", "J'ai appris plein de choses.", "Très chaleureux.",
            "Un peu court, on veut la suite !", "Дуже сподобалось!", "شكرا جزيلا", ""]


def _aware(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _minimal_workshops(ctx):
    leaders = ctx.get("leaders", [])
    if not leaders:
        return []
    themes = [Theme.COOKING, Theme.ART, Theme.MUSIC, Theme.SPORT, Theme.LANGUAGES]
    return [
        Workshop.objects.create(
            city=ctx["city"], leader=leaders[i % len(leaders)], theme=theme,
            title={"fr": f"Atelier {theme.label}"}, description={"fr": "Un atelier ouvert à tous."},
            languages=["fr"], group_size=12,
        )
        for i, theme in enumerate(themes)
    ]


def seed(ctx):
    rng, today = ctx.rng, ctx.today
    workshops = [w for w in ctx.get("workshops", []) if w.city_id == ctx["city"].pk]
    workshops = workshops or _minimal_workshops(ctx)
    participants = list(ctx.get("participants", []))
    if not workshops or not participants:
        return
    rooms = list(ctx.get("rooms", []))
    # Every confirmed booking is a public session, as booking_confirm makes it.
    bookings = [b for b in ctx.get("bookings", []) if b.status == "confirmed"]
    now = timezone.now()
    past_bookings = [b for b in bookings if b.starts_at <= now]
    future_bookings = [b for b in bookings if b.starts_at > now]
    # Sessions without a booking go to workshops whose proposal says they run (or are
    # scheduled, for upcoming ones), so that the pipeline and the agenda agree.
    stages = dict(Proposal.objects.filter(workshop__in=workshops)
                  .values_list("workshop_id", "stage"))
    running = [w for w in workshops if stages.get(w.pk) == Stage.RUNNING] or workshops
    on_agenda = [w for w in workshops
                 if stages.get(w.pk) in (Stage.SCHEDULED, Stage.RUNNING)] or workshops
    coordinators = ctx.get("coordinators") or [None]

    def plan(count, first_day, step, bookings_first, candidates, with_room):
        slots = []
        for booking in bookings_first:
            slots.append((booking.workshop, booking.room, booking, booking.starts_at,
                          booking.ends_at))
        day = first_day
        while len(slots) < count:
            workshop = candidates[len(slots) % len(candidates)]
            # An upcoming session in a room needs a booking; these have none.
            room = rng.choice(rooms) if rooms and with_room else None
            starts = _aware(day, rng.choice([10, 14, 18]))
            slots.append((workshop, room, None, starts, starts + timedelta(hours=2)))
            day += timedelta(days=step)
        return slots

    past = plan(PAST_SESSIONS, today - timedelta(days=150), 3, past_bookings, running, True)
    upcoming = plan(UPCOMING_SESSIONS, today + timedelta(days=2), 2, future_bookings,
                    on_agenda, False)
    sessions = []
    for index, (workshop, room, booking, starts, ends) in enumerate(past + upcoming):
        is_past = index < len(past)
        capacity = min(room.capacity, workshop.group_size) if room else workshop.group_size
        sessions.append(Session(
            workshop=workshop, city_id=workshop.city_id, room=room, booking=booking,
            starts_at=starts, ends_at=ends, capacity=max(capacity, 6),
            status=Session.Status.HELD if is_past else Session.Status.SCHEDULED,
            scheduled_by=booking.requested_by if booking else coordinators[0],
        ))
    for session in sessions:
        session.apply_defaults()
    sessions = Session.objects.bulk_create(sessions)

    registrations, attended = [], []
    for index, session in enumerate(sessions):
        is_past = index < len(past)
        if is_past:
            fill = rng.uniform(0.5, 1.0)
        elif index - len(past) in (0, 3, 5):
            fill = 1.0  # nearly full: one seat left
        elif index - len(past) == 1:
            fill = 1.3  # full, with a waitlist
        else:
            fill = rng.uniform(0.2, 0.7)
        wanted = int(session.capacity * fill)
        if not is_past and fill == 1.0:
            wanted = session.capacity - 1
        people = rng.sample(participants, min(len(participants), wanted))
        taken = 0
        for person in people:
            seats = 2 if rng.random() < 0.1 else 1
            confirmed = taken + seats <= session.capacity
            if not confirmed and seats == 2:
                seats = 1
                confirmed = taken + 1 <= session.capacity
            taken += seats if confirmed else 0
            registration = Registration(
                session=session, person=person, seats=seats,
                group=normalize_group(person.group) if person.group else Group.UNDISCLOSED,
                status=(Registration.Status.CONFIRMED if confirmed
                        else Registration.Status.WAITLISTED),
            )
            if is_past and confirmed:
                registration.attended = rng.random() < 0.85
                registration.feedback_requested_at = session.ends_at + timedelta(hours=2)
                if registration.attended:
                    attended.append(registration)
            registrations.append(registration)
        if is_past and rng.random() < 0.4:
            registrations.append(Registration(
                session=session, walk_in_name=rng.choice(["Aya", "Tom", "Mira", "Léo"]),
                is_walk_in=True, status=Registration.Status.CONFIRMED, attended=True))
    Registration.objects.bulk_create(registrations)
    Feedback.objects.bulk_create([
        # About one comment in three comes with its author's yes to being quoted.
        Feedback(registration=r, rating=rng.choice([3, 4, 4, 5, 5, 5]),
                 comment=rng.choice(COMMENTS), quote_consent=rng.random() < 0.35)
        for r in attended if rng.random() < 0.5
    ])
    ctx["sessions"] = sessions
