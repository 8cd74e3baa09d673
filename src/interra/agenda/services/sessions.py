"""Sessions: creating and scheduling them (a room booking first when there is a room),
and the changes everyone registered must hear about (cancel, move)."""

import contextvars
import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interra.core import recurrence
from interra.core.errors import DomainError
from interra.core.text import check_bookable_times
from interra.notifications.services import notify
from interra.proposals.models import Stage as ProposalStage
from interra.proposals.services import proposal_follow_sessions
from interra.venues import services as venues_services
from interra.venues.models import Booking

from .. import signals
from ..models import Registration, Session
from .common import _lock_session, _message_context

MAX_SERIES_SESSIONS = 60


# Set while a series is confirmed room by room (session_schedule), so that the leader gets
# one message for the series rather than one per date. Request-scoped, never shared.
_leaders_told_later = contextvars.ContextVar("leaders_told_later", default=False)


@transaction.atomic
def session_create(*, workshop, starts_at: datetime, ends_at: datetime, room=None,
                   booking=None, capacity: int | None = None, scheduled_by=None,
                   tell_leaders: bool = True, **fields) -> Session:
    """A session of ``workshop``; empty seat settings default from the workshop's city.

    The workshop's proposal follows: its first scheduled session moves it to "scheduled"
    (see ``proposal_follow_sessions``), recording ``scheduled_by`` as the actor. The
    leader and co-leaders are told the date and place of an upcoming session (on commit),
    unless ``tell_leaders`` is False (a series tells them once, see ``session_schedule``).
    """
    if ends_at <= starts_at:
        raise DomainError(_("A session must end after it starts."), code="times")
    if capacity is not None and capacity < 1:
        raise DomainError(_("A session needs at least one seat."), code="capacity")
    scheduled_by = scheduled_by if scheduled_by is not None and scheduled_by.pk else None
    session = Session(workshop=workshop, city_id=workshop.city_id, room=room, booking=booking,
                      starts_at=starts_at, ends_at=ends_at, capacity=capacity or 0,
                      scheduled_by=scheduled_by, **fields)
    session.save()
    proposal_follow_sessions(
        workshop=workshop, actor=scheduled_by,
        to_stage=(ProposalStage.RUNNING if session.status == Session.Status.HELD
                  else ProposalStage.SCHEDULED))
    if tell_leaders and not _leaders_told_later.get():
        _tell_leaders(session)
    if session.status == Session.Status.SCHEDULED:
        signals.announce(session.pk, signals.PUBLISHED)
    return session


def _tell_leaders(session: Session, count: int = 1) -> None:
    """Tell the workshop's leader and co-leaders the date, time and place of ``session``
    (the first of ``count`` new ones), with a link to their page for it."""
    from django.conf import settings
    from django.urls import reverse

    if session.status != Session.Status.SCHEDULED or session.starts_at <= timezone.now():
        return
    workshop = session.workshop
    venue = session.room.venue if session.room_id else None
    context = {
        "session_id": session.pk,
        "title": workshop.title,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "count": count,
        "venue": venue.name if venue else "",
        "room": session.room.name if session.room_id else "",
        "address": venue.address if venue else "",
        "leader_link": settings.SITE_URL + reverse("agenda:leader_session", args=[session.pk]),
        "session_link": session.absolute_url,
    }
    leaders = [workshop.leader, *workshop.co_leaders.filter(is_active=True)]
    for person in leaders:
        if person is not None and person.is_active:
            notify(person=person, template="session_scheduled", context=context)


@transaction.atomic
def session_from_booking(*, booking, scheduled_by=None) -> Session:
    """The public session of a confirmed room booking (called when the partner, or a
    coordinator, confirms it): the booked times without set-up and clean-up, in the
    booked room, with as many seats as both the room and the group allow.

    Idempotent: a booking has at most one session (a database constraint too); asking
    again returns the one that exists. Refuses a booking that is not confirmed.
    Who scheduled it is whoever asked for the room, unless ``scheduled_by`` says otherwise.
    """
    existing = Session.objects.filter(booking=booking).first()
    if existing is not None:
        return existing
    if booking.status != booking.Status.CONFIRMED:
        raise DomainError(_("Only a confirmed booking can become a session."), code="booking")
    room, workshop = booking.room, booking.workshop
    capacity = max(1, min(room.capacity or workshop.group_size, workshop.group_size))
    return session_create(
        workshop=workshop, starts_at=booking.starts_at, ends_at=booking.ends_at, room=room,
        booking=booking, capacity=capacity,
        scheduled_by=scheduled_by if scheduled_by is not None else booking.requested_by)


def session_schedule(*, workshop, starts_at: datetime, duration: timedelta, by, room=None,
                     rrule: str = "", capacity: int | None = None,
                     confirm_now: bool = False) -> tuple[list, list[Session]]:
    """A coordinator schedules ``workshop`` once, or as a series (``rrule``).

    In a room, each date first asks the partner for the room (``booking_request``), so a
    room is never given to two sessions at once; the sessions appear when the partner
    confirms, or at once when ``confirm_now`` (the partner already agreed, the
    coordinator confirms for them). Without a room the sessions are made directly.
    All or nothing: one date that cannot be booked refuses the whole series.
    Returns (bookings, sessions).
    """
    # Checked before the transaction: on SQLite its BEGIN IMMEDIATE is the write lock,
    # and a costly rule must not hold it (core.recurrence).
    check_bookable_times(starts_at, starts_at + duration)
    starts = _occurrences(rrule, starts_at) if rrule else [starts_at]
    return _session_schedule_dates(workshop=workshop, starts=starts, duration=duration, by=by,
                                   room=room, series=bool(rrule), capacity=capacity,
                                   confirm_now=confirm_now)


@transaction.atomic
def _session_schedule_dates(*, workshop, starts: list[datetime], duration: timedelta, by,
                            room, series: bool, capacity, confirm_now: bool):
    if room is None:
        key = uuid.uuid4().hex if series else ""
        sessions = [
            session_create(workshop=workshop, starts_at=start, ends_at=start + duration,
                           capacity=capacity, scheduled_by=by, series_key=key,
                           tell_leaders=False)
            for start in starts
        ]
        _tell_leaders(sessions[0], count=len(sessions))
        return [], sessions
    bookings, sessions = [], []
    quiet = _leaders_told_later.set(True)
    try:
        for start in starts:
            booking = venues_services.booking_request(
                room=room, workshop=workshop, starts_at=start, ends_at=start + duration,
                requested_by=by, ask_partner=not confirm_now)
            bookings.append(booking)
            if confirm_now:
                venues_services.booking_confirm(booking=booking, by=by)
                session = Session.objects.get(booking=booking)
                if capacity and capacity != session.capacity:
                    session.capacity = capacity
                    session.save(update_fields=["capacity", "updated_at"])
                sessions.append(session)
    finally:
        _leaders_told_later.reset(quiet)
    if sessions:
        _tell_leaders(sessions[0], count=len(sessions))
    return bookings, sessions


def _occurrences(rrule: str, dtstart: datetime) -> list[datetime]:
    # Bounded in count, in time (two years) and in CPU: see core.recurrence.
    return recurrence.occurrences(rrule, dtstart, limit=MAX_SERIES_SESSIONS)


def _tell_everyone(session: Session, template: str, extra: dict | None = None) -> int:
    registrations = (Registration.objects.filter(session=session, person__isnull=False)
                     .exclude(status=Registration.Status.CANCELLED).select_related("person"))
    count = 0
    for registration in registrations:
        registration.session = session
        notify(person=registration.person, template=template,
               context={**_message_context(registration), **(extra or {})},
               city_id=session.city_id)
        count += 1
    return count


@transaction.atomic
def session_cancel(*, session: Session, release_room: bool = True, by=None) -> Session:
    """Cancel a session and tell every registered and waitlisted person.

    Its room booking is cancelled too (the partner is told), unless ``release_room`` is
    False: that is how ``booking_cancel`` calls it, the booking being cancelled already.
    """
    session = _lock_session(session.pk)
    if session.status == Session.Status.CANCELLED:
        return session
    session.status = Session.Status.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    _tell_everyone(session, "session_cancelled")
    signals.announce(session.pk, signals.CANCELLED)
    if release_room and session.booking_id:
        booking = Booking.objects.filter(pk=session.booking_id,
                                         status__in=Booking.ACTIVE_STATUSES).first()
        if booking is not None:
            venues_services.booking_cancel(booking=booking, by=by)
    return session


@transaction.atomic
def session_move(*, session: Session, starts_at: datetime, ends_at: datetime,
                 room=None) -> Session:
    """Move a session in time (and maybe room); tell everyone; reminders follow the new time."""
    if ends_at <= starts_at:
        raise DomainError(_("A session must end after it starts."), code="times")
    check_bookable_times(starts_at, ends_at)
    session = _lock_session(session.pk)
    if session.status == Session.Status.CANCELLED:
        raise DomainError(_("This session is cancelled."), code="cancelled")
    if session.booking_id:
        # The booked room moves with the session, or the move is refused (room closed
        # or taken at the new time); the partner is told.
        if room is not None and room.pk != session.room_id:
            raise DomainError(_("To change room, cancel this session and book the new room."),
                              code="room")
        venues_services.booking_move(booking=session.booking, starts_at=starts_at,
                                     ends_at=ends_at)
    previous = session.starts_at
    delta = starts_at - session.starts_at
    session.starts_at, session.ends_at = starts_at, ends_at
    if session.hold_release_at:
        session.hold_release_at += delta
    if room is not None:
        session.room = room
    session.save()
    _tell_everyone(session, "session_moved", {"previous_starts_at": previous.isoformat()})
    signals.announce(session.pk, signals.MOVED)
    return session
