"""What several agenda services share: the session lock, seat counts, message contexts.

Every write that consumes seats locks the session row first (``_lock_session``) and
re-counts under the lock (``seat_counts``).
"""

from datetime import datetime

from django.db.models import Sum
from django.utils import timezone

from interra.accounts.models import Group

from ..models import Registration, Session
from ..seats import GROUPS, SeatAvailability, SeatCounts, availability


def _lock_session(session_id: int) -> Session:
    # On SQLite this is a plain SELECT inside an IMMEDIATE transaction (already exclusive).
    return (Session.objects.select_for_update(of=("self",))
            .select_related("workshop", "city", "room__venue").get(pk=session_id))


def seat_counts(session: Session) -> SeatCounts:
    """Confirmed seats by group, counted now (call under the session lock to rely on it).

    A session from ``selectors.with_group_seats`` already carries its counts (a list page
    counts in one query); they are used as they are.
    """
    if all(hasattr(session, name) for name in ("confirmed_seats", "newcomer_seats",
                                                  "local_seats")):
        return SeatCounts(
            capacity=session.capacity, held_newcomers=session.held_for_newcomers,
            held_locals=session.held_for_locals, newcomers=session.newcomer_seats,
            locals=session.local_seats,
            undisclosed=session.confirmed_seats - session.newcomer_seats - session.local_seats)
    rows = (Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED)
            .values("group").annotate(total=Sum("seats")))
    by_group = {row["group"]: row["total"] or 0 for row in rows}
    return SeatCounts(
        capacity=session.capacity, held_newcomers=session.held_for_newcomers,
        held_locals=session.held_for_locals,
        newcomers=by_group.get(Group.NEWCOMER, 0), locals=by_group.get(Group.LOCAL, 0),
        undisclosed=sum(v for k, v in by_group.items() if k not in (Group.NEWCOMER, Group.LOCAL)),
    )


def is_released(session: Session, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return session.hold_release_at is None or now >= session.hold_release_at


def seat_availability(session: Session, now: datetime | None = None) -> SeatAvailability:
    """The seats each group can take now: what pages, the API, JSON-LD and messages show.

    The same rule (``SeatCounts.available_for``) decides registrations, so what a person
    reads is what they get. A session that started or is cancelled offers no seat.
    """
    now = now or timezone.now()
    if session.status != Session.Status.SCHEDULED or session.starts_at <= now:
        return SeatAvailability(seats_left=0, for_group=dict.fromkeys(GROUPS, 0))
    return availability(seat_counts(session), released=is_released(session, now),
                        release_at=session.hold_release_at)


def _message_context(registration: Registration) -> dict:
    session = registration.session
    place = ""
    if session.room_id:
        place = f"{session.room.venue.name}, {session.room.venue.address}"
    return {
        "registration_id": registration.pk,
        "title": session.workshop.title,
        "starts_at": session.starts_at.isoformat(),
        "place": place,
        "seats": registration.seats,
        "link": registration_link(registration),
        "session_link": session.absolute_url,
        # The antenna's WhatsApp number (E.164, optional): messages offer to write to it.
        "whatsapp_number": session.city.whatsapp_number,
    }


def _waitlist_context(registration: Registration, counts: SeatCounts, now) -> dict:
    """Why a person waits (seats held for the other group, until when) and their place."""
    from ..selectors import waitlist_position

    session = registration.session
    seats = availability(counts, released=is_released(session, now),
                         release_at=session.hold_release_at)
    return {
        "held_for_others": seats.held_for_others(registration.group),
        "held_until": session.hold_release_at.isoformat() if session.hold_release_at else "",
        "waitlist_position": waitlist_position(registration),
    }


def registration_link(registration: Registration) -> str:
    from django.conf import settings

    return settings.SITE_URL + registration.get_absolute_url()
