"""Writes of the agenda: sessions, registrations, the waitlist, attendance, feedback.

Every write that consumes seats locks the session row first and re-counts under the lock
(``select_for_update`` on PostgreSQL; on SQLite the transaction itself is IMMEDIATE, which
takes the database write lock at BEGIN, so two registrations never count at once). The
unique constraint on active registrations is the last line of defence against doubles.
Messages go out through ``notify()``, which sends after commit.
"""

import contextvars
import uuid
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from interra.accounts.models import Group
from interra.core import recurrence
from interra.core.errors import Conflict, DomainError, PermissionDenied
from interra.core.text import check_bookable_times, forbidden_characters
from interra.notifications.services import notify
from interra.proposals.models import Stage as ProposalStage
from interra.proposals.services import proposal_follow_sessions
from interra.venues import services as venues_services
from interra.venues.models import Booking

from .models import Feedback, Registration, ReminderSent, Session, SessionLogEntry
from .seats import GROUPS, SeatAvailability, SeatCounts, availability, normalize_group

MAX_SERIES_SESSIONS = 60
# Set while a series is confirmed room by room (session_schedule), so that the leader gets
# one message for the series rather than one per date. Request-scoped, never shared.
_leaders_told_later = contextvars.ContextVar("leaders_told_later", default=False)


# --- Sessions ---------------------------------------------------------------------------

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
    }


def _waitlist_context(registration: Registration, counts: SeatCounts, now) -> dict:
    """Why a person waits (seats held for the other group, until when) and their place."""
    from .selectors import waitlist_position

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


# --- Registrations ----------------------------------------------------------------------

@transaction.atomic
def registration_create(*, session: Session, person, seats: int = 1,
                        group: str | None = None, claimed: bool = True,
                        name_as_typed: str = "", contact_as_typed: str = "") -> Registration:
    """Register ``person`` for ``seats`` seats: confirmed if they fit, else waitlisted.

    ``claimed`` False for a registration somebody else made for a person on file (see
    ``registration_for_typed_contact``): it keeps ``name_as_typed`` and
    ``contact_as_typed`` and shows them to the leader and staff until the person claims it.

    Guarantees, under the session lock: confirmed seats never exceed the capacity, and
    before the release time the seats held for newcomers and for locals go only to them.
    Refuses a cancelled or past session, a number of seats outside 1..the session's limit,
    and a second active registration of the same person (DomainError, 409 for that one).
    """
    session = _lock_session(session.pk)
    now = timezone.now()
    if session.status != Session.Status.SCHEDULED or session.starts_at <= now:
        raise DomainError(_("Registration is closed for this session."), code="closed")
    try:
        seats = int(seats)
    except (TypeError, ValueError):
        seats = 0
    limit = min(session.max_seats_per_registration, session.capacity)
    if not 1 <= seats <= limit:
        raise DomainError(_("Choose between 1 and %(limit)d seats.") % {"limit": limit},
                          code="seats")
    if Registration.objects.filter(session=session, person=person).exclude(
            status=Registration.Status.CANCELLED).exists():
        raise Conflict(_("You are already registered for this session."), code="duplicate")
    group = normalize_group(group if group is not None else person.group)
    counts = seat_counts(session)
    status = (Registration.Status.CONFIRMED
              if counts.fits(group, seats, released=is_released(session, now))
              else Registration.Status.WAITLISTED)
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                session=session, person=person, seats=seats, group=group, status=status,
                claimed=claimed, name_as_typed="" if claimed else name_as_typed[:80],
                contact_as_typed="" if claimed else contact_as_typed[:254],
            )
    except IntegrityError as exc:
        raise Conflict(_("You are already registered for this session."),
                       code="duplicate") from exc
    registration.session = session
    context = _message_context(registration)
    if status == Registration.Status.CONFIRMED:
        template = "registration_confirmed"
    else:
        template = "registration_waitlisted"
        context.update(_waitlist_context(registration, counts, now))
    notify(person=person, template=template, context=context,
           city_id=session.city_id)
    return registration


# Answers to anonymous requests must not tell whether somebody (or their registration)
# exists: these refusals are about a person on file, not about what was typed.
_PERSON_REVEALING_CODES = {"duplicate", "contact_conflict"}


def registration_for_typed_contact(*, session: Session, name: str, email: str = "",
                                   phone: str = "", language: str = "", group: str | None = None,
                                   seats: int = 1, requester=None) -> Registration:
    """Register whoever the typed contact names, as somebody other than that person may
    have typed it (a form, the API, the staff desk): the one rule for who a registration
    names.

    - A contact nobody has yet: a new person is made with the name typed; the
      registration names them at once.
    - A contact already on file: the registration is the person's (the link goes to
      them, and only to them), but it is *unclaimed*: it keeps the name and the contact
      typed, and the leader and staff read those, never the account's name or other
      contact, until the person claims it from their link (``registration_claim``).
      Unless ``requester`` (the signed-in visitor, or the staff member) is that person.
    - The seats count under the newcomer/local mark typed (none: "prefer not to say"),
      never the one on file: the answer and the lists must not reveal it.
    """
    from interra.accounts.services import person_find_or_create

    if forbidden_characters(name or ""):
        raise DomainError(_("Remove the invisible control or text-direction characters "
                            "from this text."), code="control_characters")
    name = " ".join((name or "").split())
    person, created = person_find_or_create(display_name=name, email=email, phone=phone,
                                            language=language, group=group or "")
    own = getattr(requester, "pk", None) is not None and requester.pk == person.pk
    return registration_create(
        session=session, person=person, seats=seats, group=normalize_group(group),
        claimed=created or own, name_as_typed=name,
        contact_as_typed=_matching_contact(person, email=email, phone=phone))


def _matching_contact(person, *, email: str, phone: str) -> str:
    """The typed contact that identified ``person`` (never one they did not type)."""
    from interra.accounts.normalize import normalize_email, normalize_phone

    if email and person.email and person.email.lower() == normalize_email(email).lower():
        return person.email
    try:
        if phone and person.phone and person.phone == normalize_phone(phone):
            return person.phone
    except ValidationError:
        return ""
    return ""


@transaction.atomic
def registration_claim(*, registration: Registration) -> Registration:
    """The person behind the contact says, from their private link, that the
    registration is theirs: from now on it shows their own name, and what was typed for
    it goes. Claiming twice changes nothing."""
    if not registration.claimed:
        registration.claimed = True
        registration.name_as_typed = ""
        registration.contact_as_typed = ""
        registration.save(update_fields=["claimed", "name_as_typed", "contact_as_typed"])
    return registration


def registration_request(*, session: Session, name: str, email: str = "", phone: str = "",
                         language: str = "", group: str | None = None,
                         seats: int = 1, requester=None) -> str:
    """An anonymous registration (public form, partner API), answered without revealing
    anybody: returns the status a new registration gets ("confirmed" or "waitlisted").

    When the contact already has a registration for this session, nothing changes and
    the link to it goes again to the contact on file (never to the caller); when the
    e-mail and phone belong to two different people, nothing happens. Both answer like a
    new registration. Refuses (DomainError) only what is about the input or the session:
    no contact, a bad phone, too many seats, registration closed.
    """
    from interra.accounts.services import contacts_lookup

    try:
        with transaction.atomic():  # a refused registration leaves no new person behind
            return registration_for_typed_contact(
                session=session, name=name, email=email, phone=phone, language=language,
                group=group, seats=seats, requester=requester).status
    except DomainError as exc:
        if exc.code not in _PERSON_REVEALING_CODES:
            raise
    person = None
    try:
        person = contacts_lookup(email=email, phone=phone)[2]
    except DomainError:
        person = None
    if person is not None:
        existing = (Registration.objects.filter(session=session, person=person)
                    .exclude(status=Registration.Status.CANCELLED).first())
        if existing is not None:
            existing.session = session
            notify(person=person, template="registration_link",
                   context=_message_context(existing), city_id=session.city_id)
    return _status_for_a_newcomer(session, group, seats)


def _status_for_a_newcomer(session: Session, group: str | None, seats) -> str:
    """What a new registration of ``seats`` in ``group`` would get now (not locked: the
    answer to a request that changed nothing only has to look like the usual one)."""
    try:
        seats = int(seats)
    except (TypeError, ValueError):
        seats = 1
    fits = seat_counts(session).fits(normalize_group(group), seats,
                                     released=is_released(session))
    return Registration.Status.CONFIRMED if fits else Registration.Status.WAITLISTED


def registration_links_send(*, identifier: str) -> int:
    """"Send me my link again": the links to the person's coming registrations go to the
    contact on file with this phone or e-mail. Returns how many (for tests and logs
    only: the caller answers the same whether or not anything was sent)."""
    from interra.accounts.backends import find_person

    person = find_person(identifier)
    if person is None or not person.is_active or person.erased_at:
        return 0
    registrations = list(
        Registration.objects.filter(person=person, session__ends_at__gt=timezone.now())
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("session__workshop", "session__room__venue")
        .order_by("session__starts_at")[:20])
    if not registrations:
        return 0
    notify(person=person, template="registration_links", context={
        "registrations": [_message_context(r) for r in registrations]})
    return len(registrations)


@transaction.atomic
def registration_cancel(*, registration: Registration) -> list[Registration]:
    """Cancel ``registration`` and give its seats to the waitlist; returns who moved up.

    Cancelling twice changes nothing. A session that has already started cannot be left.
    """
    session = _lock_session(registration.session_id)
    registration = Registration.objects.select_related("person").get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return []
    if session.starts_at <= timezone.now() and session.status != Session.Status.CANCELLED:
        raise DomainError(_("This session has already started."), code="started")
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    return _waitlist_promote(session) if was_confirmed else []


def _waitlist_promote(session: Session) -> list[Registration]:
    """Confirm, in order, each waitlisted person who fits now. Call under the lock."""
    if session.status != Session.Status.SCHEDULED or session.starts_at <= timezone.now():
        return []
    counts = seat_counts(session)
    released = is_released(session)
    promoted = []
    waitlist = (Registration.objects.filter(session=session,
                                            status=Registration.Status.WAITLISTED)
                .select_related("person").order_by("created_at", "pk"))
    for candidate in waitlist:
        if counts.seats_left == 0:
            break
        if not counts.fits(candidate.group, candidate.seats, released=released):
            continue
        candidate.status = Registration.Status.CONFIRMED
        candidate.promoted_at = timezone.now()
        candidate.save(update_fields=["status", "promoted_at"])
        candidate.session = session
        counts = counts.add(candidate.group, candidate.seats)
        promoted.append(candidate)
        if candidate.person_id:
            notify(person=candidate.person, template="registration_promoted",
                   context=_message_context(candidate), city_id=session.city_id)
    return promoted


@transaction.atomic
def waitlist_promote(*, session: Session) -> list[Registration]:
    """Give free seats to the waitlist (e.g. once held seats are released)."""
    return _waitlist_promote(_lock_session(session.pk))


# --- Changes to a session that everyone must hear about --------------------------------

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
    return session


# --- On the day -------------------------------------------------------------------------

@transaction.atomic
def attendance_mark(*, registration: Registration, attended: bool, by=None,
                    seats_came: int | None = None) -> Registration:
    """Record whether a registered person came (the leader taps their name); the first
    person marked present moves the workshop's proposal to "running".

    For a registration of several seats, ``seats_came`` says how many of them came
    (0 means nobody: not present). Refuses a number outside 0..the registration's seats.
    """
    if registration.status != Registration.Status.CONFIRMED:
        raise DomainError(_("Only confirmed people can be marked."), code="status")
    if seats_came is not None:
        try:
            seats_came = int(seats_came)
        except (TypeError, ValueError):
            seats_came = -1
        if not 0 <= seats_came <= registration.seats:
            raise DomainError(_("Choose between 0 and %(seats)d people.")
                              % {"seats": registration.seats}, code="seats")
        attended = seats_came > 0
    registration.attended = bool(attended)
    registration.attended_seats = seats_came if registration.attended else None
    registration.save(update_fields=["attended", "attended_seats"])
    if registration.attended:
        _session_took_place(registration.session, actor=by)
    return registration


def _session_took_place(session: Session, *, actor=None) -> None:
    """Someone came: the workshop is running (its proposal follows)."""
    proposal_follow_sessions(workshop=session.workshop, to_stage=ProposalStage.RUNNING,
                             actor=actor)


@transaction.atomic
def walk_in_add(*, session: Session, name: str, group: str = "", by=None) -> Registration:
    """Someone came without registering: they count as present (seats are not checked).

    The name is kept exactly as typed (spaces trimmed). Refuses an empty name."""
    name = " ".join((name or "").split())[:80]
    if not name:
        raise DomainError(_("Write the first name of the person who came."), code="name")
    registration = Registration.objects.create(
        session=session, walk_in_name=name, is_walk_in=True, seats=1,
        group=normalize_group(group), status=Registration.Status.CONFIRMED, attended=True,
    )
    _session_took_place(session, actor=by)
    return registration


def session_note_update(*, session: Session, note: str) -> Session:
    session.leader_note = (note or "").strip()[:4000]
    session.save(update_fields=["leader_note", "updated_at"])
    return session


@transaction.atomic
def feedback_submit(*, registration: Registration, rating, comment: str = "") -> Feedback:
    """Store a participant's rating of a session that has ended: once, and only from
    somebody the leader marked present (a link forwarded to others, or a second try,
    must not change the session's ratings)."""
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise DomainError(_("Choose a face from 1 to 5."), code="rating")
    if registration.status != Registration.Status.CONFIRMED:
        raise DomainError(_("Only participants can give feedback."), code="status")
    if registration.session.starts_at > timezone.now():
        raise DomainError(_("You can rate the session once it has taken place."),
                          code="too_early")
    if registration.attended is not True:
        raise PermissionDenied(_("Only people who came to the session can rate it."),
                               code="not_present")
    comment = (comment or "").strip()[:2000]
    if forbidden_characters(comment, multiline=True):
        raise DomainError(_("Remove the invisible control or text-direction characters "
                            "from this text."), code="control_characters")
    try:
        with transaction.atomic():
            feedback, created = Feedback.objects.get_or_create(
                registration=registration, defaults={"rating": rating, "comment": comment})
    except IntegrityError:
        created = False
    if not created:
        raise Conflict(_("You already gave your feedback on this session. Thank you!"),
                       code="already_rated")
    return feedback


# --- Periodic work: reminders, feedback requests, released seats -----------------------

def send_due_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Send what is due now; safe to run as often as wanted (each message goes once).

    - a reminder before each confirmed registration at each of the city's reminder hours
      (only the nearest one if several are due at once, e.g. after the worker was down);
    - after a session, a feedback link to each participant (who came, when attendance
      was taken; otherwise everyone confirmed), and the session is marked held;
    - once held seats are released, free seats go to the waitlist.
    """
    now = now or timezone.now()
    sent = {"reminders": 0, "feedback": 0, "promoted": 0}
    upcoming = (Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now,
                                       starts_at__lte=now + timedelta(days=8))
                .select_related("workshop", "city", "room__venue"))
    for session in upcoming:
        hours = sorted(session.city.get_reminder_hours())
        due = [h for h in hours if session.starts_at - timedelta(hours=h) <= now]
        if not due:
            continue
        registrations = (Registration.objects
                         .filter(session=session, status=Registration.Status.CONFIRMED,
                                 person__isnull=False)
                         .select_related("person"))
        for registration in registrations:
            registration.session = session
            if _reminder_record(registration, due, session.starts_at):
                notify(person=registration.person, template="session_reminder",
                       context=_message_context(registration),
                       city_id=session.city_id)
                sent["reminders"] += 1
    ended = (Session.objects.filter(status__in=[Session.Status.SCHEDULED, Session.Status.HELD],
                                    ends_at__lte=now, ends_at__gt=now - timedelta(days=7))
             .select_related("workshop", "city", "room__venue"))
    for session in ended:
        if session.status == Session.Status.SCHEDULED:
            Session.objects.filter(pk=session.pk).update(status=Session.Status.HELD)
            _session_took_place(session)
        # Only people marked present may rate (feedback_submit): only they are asked.
        confirmed = Registration.objects.filter(session=session, person__isnull=False,
                                                status=Registration.Status.CONFIRMED,
                                                attended=True)
        for registration in confirmed.filter(feedback_requested_at__isnull=True).select_related(
                "person"):
            claimed = Registration.objects.filter(
                pk=registration.pk, feedback_requested_at__isnull=True
            ).update(feedback_requested_at=now)
            if claimed:
                registration.session = session
                notify(person=registration.person, template="feedback_request",
                       context=_message_context(registration),
                       city_id=session.city_id)
                sent["feedback"] += 1
    released = Session.objects.filter(
        status=Session.Status.SCHEDULED, hold_release_at__lte=now, starts_at__gt=now,
        registrations__status=Registration.Status.WAITLISTED,
    ).distinct()
    for session in released:
        sent["promoted"] += len(waitlist_promote(session=session))
    return sent


@transaction.atomic
def _reminder_record(registration: Registration, due_hours: list[int], starts_at) -> bool:
    """Record the due reminders; True if the nearest one had not been sent yet."""
    nearest = min(due_hours)
    try:
        with transaction.atomic():
            _row, created = ReminderSent.objects.get_or_create(
                registration=registration, hours_before=nearest, starts_at=starts_at)
    except IntegrityError:
        return False
    if created:
        # The earlier reminders are now pointless: mark them as done too.
        ReminderSent.objects.bulk_create(
            [ReminderSent(registration=registration, hours_before=h, starts_at=starts_at)
             for h in due_hours if h != nearest],
            ignore_conflicts=True,
        )
    return created


# --- Contact validation shared by the form and the API ----------------------------------

def contact_clean(*, email: str = "", phone: str = "") -> tuple[str, str]:
    email = (email or "").strip()
    phone = (phone or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise DomainError(_("Enter a valid email address."), code="email") from exc
    if not email and not phone:
        raise DomainError(_("Give a phone number or an email address."), code="contact")
    return email, phone


# --- Personal data (registered in AgendaConfig.ready) -----------------------------------

def personal_data_export(person) -> list[dict]:
    from interra.core.i18n import localized

    rows = (Registration.objects.filter(person=person)
            .select_related("session__workshop", "feedback").order_by("created_at"))
    result = []
    for registration in rows:
        feedback = getattr(registration, "feedback", None)
        result.append({
            "workshop": localized(registration.session.workshop.title),
            "starts_at": registration.session.starts_at.isoformat(),
            "seats": registration.seats,
            "newcomer_or_local": registration.group,
            "status": registration.status,
            "attended": registration.attended,
            "registered_at": registration.created_at.isoformat(),
            "feedback": ({"rating": feedback.rating, "comment": feedback.comment}
                         if feedback else None),
        })
    return result


def personal_data_erase(person) -> None:
    """Free future seats, drop comments; keep counts (seats, mark, attendance, ratings)."""
    upcoming = Registration.objects.filter(person=person, session__starts_at__gt=timezone.now()
                                           ).exclude(status=Registration.Status.CANCELLED)
    for registration in upcoming:
        registration_cancel(registration=registration)
    Feedback.objects.filter(registration__person=person).update(comment="")
    # A leader who leaves: their coming sessions are cancelled (participants are told,
    # without the erased title) and their notes go; past sessions stay for the counts.
    led = Session.objects.filter(workshop__leader=person)
    for session in led.filter(status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()):
        session_cancel(session=session)
    led.update(leader_note="")
    # What somebody typed when registering them (name, contact) goes too.
    Registration.objects.filter(person=person).update(name_as_typed="", contact_as_typed="")
    # What staff wrote about a phone call may name the person: keep the entry, not the why.
    SessionLogEntry.objects.filter(registration__person=person).update(reason="")
