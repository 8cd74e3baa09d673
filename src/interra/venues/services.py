"""Writes about partners, rooms, bookings and materials.

Locking rule (see STYLE.md): a service that consumes a room's time or a material's units
runs in one transaction, locks the room (or material) row, and only then re-counts what is
free. On PostgreSQL the lock is ``SELECT ... FOR UPDATE``; on SQLite the transaction is
``IMMEDIATE`` (settings), which takes the database write lock at BEGIN, so two writers
never interleave their check and their insert. PostgreSQL adds an exclusion constraint on
bookings (migration 0003) as the last line of defence.
"""

from contextlib import contextmanager
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from interra.core.errors import Conflict, DomainError, PermissionDenied
from interra.core.text import check_bookable_times
from interra.notifications.services import notify

from . import availability, signals
from .models import (
    RRULE_DAYS,
    Accessibility,
    Booking,
    Closure,
    Equipment,
    Material,
    MaterialLoan,
    OpeningRule,
    Room,
    Venue,
)

MAX_BOOKING = timedelta(hours=14)
MAX_BUFFER_MINUTES = 240


@contextmanager
def room_lock(room: Room):
    """One transaction in which nobody else can book ``room`` until it commits."""
    with transaction.atomic():
        # Evaluated at once: the row lock is what serialises bookings on PostgreSQL.
        list(Room.objects.select_for_update().filter(pk=room.pk).values_list("pk"))
        yield


def _aware(value: datetime) -> datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _check_range(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise DomainError(_("The end must come after the start."), code="range")
    if ends_at - starts_at > MAX_BOOKING:
        raise DomainError(_("A booking lasts at most 14 hours."), code="range")


def _check_buffer(minutes: int) -> int:
    if minutes < 0 or minutes > MAX_BUFFER_MINUTES:
        raise DomainError(_("Set-up and clean-up times are between 0 and 240 minutes."),
                          code="buffer")
    return minutes


def room_open_between(room: Room, start: datetime, end: datetime) -> bool:
    """Open over the whole of [start, end): inside one opening, outside every closure.

    A room without opening rules is open on request: only closures restrict it.
    """
    closed = Closure.objects.filter(
        Q(room=room) | Q(room__isnull=True, venue_id=room.venue_id),
        starts_at__lt=end, ends_at__gt=start,
    ).exists()
    if closed:
        return False
    rules = list(room.opening_rules.all())
    if not rules:
        return True
    return availability.covers(availability.opening_intervals(rules, start, end), start, end)


def room_is_free(room: Room, start: datetime, end: datetime, *, exclude_pk=None) -> bool:
    clashes = Booking.objects.filter(
        room=room, status__in=Booking.ACTIVE_STATUSES,
        blocked_from__lt=end, blocked_until__gt=start,
    )
    if exclude_pk:
        clashes = clashes.exclude(pk=exclude_pk)
    return not clashes.exists()


def booking_request(*, room: Room, workshop, starts_at: datetime, ends_at: datetime,
                    requested_by=None, setup_minutes: int | None = None,
                    cleanup_minutes: int | None = None, note: str = "",
                    ask_partner: bool = True) -> Booking:
    """Ask the partner for ``room`` over [starts_at, ends_at) plus set-up and clean-up.

    Guarantees that no two requested-or-confirmed bookings of one room overlap (buffers
    included), even when two coordinators book at the same instant. Refuses with
    DomainError a room of another city, a closed or inactive room, a bad range; with
    Conflict a range already held. The partner's contacts are told on commit.
    """
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    check_bookable_times(starts_at, ends_at)
    _check_range(starts_at, ends_at)
    if not room.is_active:
        raise DomainError(_("This room cannot be booked at the moment."), code="inactive")
    if workshop.city_id != room.venue.city_id:
        raise DomainError(_("This room is in another city than the workshop."), code="city")
    setup = _check_buffer(room.setup_minutes if setup_minutes is None else setup_minutes)
    cleanup = _check_buffer(room.cleanup_minutes if cleanup_minutes is None else cleanup_minutes)
    blocked_from = starts_at - timedelta(minutes=setup)
    blocked_until = ends_at + timedelta(minutes=cleanup)

    with room_lock(room):
        if not room_open_between(room, blocked_from, blocked_until):
            raise DomainError(
                _("The room is not open at that time (set-up and clean-up included)."),
                code="closed",
            )
        if not room_is_free(room, blocked_from, blocked_until):
            raise Conflict(
                _("This room is already booked at that time (set-up and clean-up included)."),
                code="overlap",
            )
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    room=room, workshop=workshop, starts_at=starts_at, ends_at=ends_at,
                    setup_minutes=setup, cleanup_minutes=cleanup, note=note[:2000],
                    requested_by=requested_by if requested_by and requested_by.pk else None,
                )
        except IntegrityError as exc:
            if "booking_no_overlap" not in str(exc):
                raise
            # PostgreSQL's exclusion constraint caught what the lock should have.
            raise Conflict(
                _("This room is already booked at that time (set-up and clean-up included)."),
                code="overlap",
            ) from exc
        if ask_partner:
            for contact in room.venue.partner.contacts.filter(is_active=True):
                notify(person=contact, template="booking_requested",
                       context=_booking_context(booking),
                       city_id=booking.workshop.city_id)
    return booking


def _booking_context(booking: Booking) -> dict:
    """What a message about a booking may say: no participant's data, ever."""
    from interra.core.i18n import localized

    local_start = timezone.localtime(booking.starts_at)
    local_end = timezone.localtime(booking.ends_at)
    return {
        "booking_id": booking.pk,
        "room": booking.room.name,
        "venue": booking.room.venue.name,
        "workshop": localized(booking.workshop.title) or str(booking.workshop.pk),
        # Formatted in the recipient's language by the message (local_dates filters).
        "starts_at": local_start.isoformat(),
        "ends_at": local_end.isoformat(),
        "message": booking.partner_message,
        "portal_path": "/venues/portal/",
        "bookings_path": "/venues/bookings/",
    }


def _ensure_partner_contact(booking: Booking, person) -> None:
    """The partner's contacts answer; so may a coordinator of the room's city (the
    partner agreed on the phone, or the room is Interra's own)."""
    from interra.cities.selectors import coordinated_cities

    if booking.room.venue.partner.contacts.filter(pk=person.pk).exists():
        return
    if not coordinated_cities(person).filter(pk=booking.room.venue.city_id).exists():
        raise PermissionDenied(_("Only the partner's contacts can answer this request."))


def _decide(*, booking: Booking, by, status: str, message: str, template: str) -> Booking:
    with transaction.atomic():
        booking = (Booking.objects.select_for_update(of=("self",))
                   .select_related("room__venue__partner", "workshop").get(pk=booking.pk))
        _ensure_partner_contact(booking, by)
        if booking.status != Booking.Status.REQUESTED:
            raise Conflict(_("This request has already been answered."), code="decided")
        booking.status = status
        booking.partner_message = message.strip()[:2000]
        booking.decided_at = timezone.now()
        booking.decided_by = by
        booking.save(update_fields=["status", "partner_message", "decided_at", "decided_by",
                                    "updated_at"])
        if booking.requested_by and booking.requested_by.is_active:
            notify(person=booking.requested_by, template=template,
                   context=_booking_context(booking),
                   city_id=booking.workshop.city_id)
    return booking


@transaction.atomic
def booking_confirm(*, booking: Booking, by, message: str = "") -> Booking:
    """The partner (or a coordinator) accepts a requested booking; the requester is told.
    Only once. In the same transaction ``signals.booking_confirmed`` is sent: the agenda
    makes the booking a public session then, and both happen, or neither."""
    booking = _decide(booking=booking, by=by, status=Booking.Status.CONFIRMED,
                      message=message, template="booking_confirmed")
    contacts = booking.room.venue.partner.contacts.filter(is_active=True)
    if not contacts.filter(pk=by.pk).exists():
        # A coordinator confirmed for the partner (they agreed on the phone): the partner
        # hears that the room is booked, never "please confirm" for what is confirmed.
        for contact in contacts:
            notify(person=contact, template="booking_booked",
                   context=_booking_context(booking), city_id=booking.workshop.city_id)
    signals.booking_confirmed.send(sender=Booking, booking=booking)
    return booking


def booking_refuse(*, booking: Booking, by, message: str = "") -> Booking:
    """The partner refuses a requested booking (the slot is free again); the requester
    is told, with the partner's message."""
    return _decide(booking=booking, by=by, status=Booking.Status.REFUSED, message=message,
                   template="booking_refused")


def booking_cancel(*, booking: Booking, by=None) -> Booking:
    """Interra withdraws a request or a confirmed booking; the partner's contacts are told.
    ``signals.booking_cancelled`` is sent in the same transaction: the agenda cancels
    the session made from the booking then, and everyone registered for it is told."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        if booking.status not in Booking.ACTIVE_STATUSES:
            raise Conflict(_("This booking is no longer active."), code="inactive")
        booking.status = Booking.Status.CANCELLED
        booking.save(update_fields=["status", "updated_at"])
        signals.booking_cancelled.send(sender=Booking, booking=booking)
        for contact in booking.room.venue.partner.contacts.filter(is_active=True):
            notify(person=contact, template="booking_cancelled",
                   context=_booking_context(booking),
                   city_id=booking.workshop.city_id)
    return booking


def booking_move(*, booking: Booking, starts_at: datetime, ends_at: datetime) -> Booking:
    """Move an active booking to another time in the same room (its session moved).

    The same guarantees as a new request: the room must be open and free at the new time,
    buffers included (the booking itself aside), under the room lock. The booking keeps
    its status; the partner's contacts are told.
    """
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    check_bookable_times(starts_at, ends_at)
    _check_range(starts_at, ends_at)
    room = booking.room
    with room_lock(room):
        booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        if booking.status not in Booking.ACTIVE_STATUSES:
            raise Conflict(_("This booking is no longer active."), code="inactive")
        blocked_from = starts_at - timedelta(minutes=booking.setup_minutes)
        blocked_until = ends_at + timedelta(minutes=booking.cleanup_minutes)
        if not room_open_between(room, blocked_from, blocked_until):
            raise DomainError(
                _("The room is not open at that time (set-up and clean-up included)."),
                code="closed",
            )
        if not room_is_free(room, blocked_from, blocked_until, exclude_pk=booking.pk):
            raise Conflict(
                _("This room is already booked at that time (set-up and clean-up included)."),
                code="overlap",
            )
        booking.starts_at, booking.ends_at = starts_at, ends_at
        try:
            with transaction.atomic():
                booking.save(update_fields=["starts_at", "ends_at", "updated_at"])
        except IntegrityError as exc:
            if "booking_no_overlap" not in str(exc):
                raise
            raise Conflict(
                _("This room is already booked at that time (set-up and clean-up included)."),
                code="overlap",
            ) from exc
        for contact in room.venue.partner.contacts.filter(is_active=True):
            notify(person=contact, template="booking_moved", context=_booking_context(booking),
                   city_id=booking.workshop.city_id)
    return booking


# --- Partner portal: closures, equipment, opening hours ---------------------------------

def closure_add(*, venue: Venue, starts_at: datetime, ends_at: datetime, reason: str = "",
                room: Room | None = None) -> Closure:
    """Close a venue (or one of its rooms). Bookings already made are kept: the partner
    refuses them one by one, so that each requester gets a message."""
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    if ends_at <= starts_at:
        raise DomainError(_("The end must come after the start."), code="range")
    if room is not None and room.venue_id != venue.pk:
        raise DomainError(_("This room is not in this venue."), code="room")
    return Closure.objects.create(venue=venue, room=room, starts_at=starts_at, ends_at=ends_at,
                                  reason=reason.strip()[:200])


def room_features_update(*, room: Room, equipment: list[str],
                         accessibility: list[str]) -> Room:
    """Replace the room's equipment and accessibility, from the fixed vocabularies only."""
    unknown = (set(equipment) - set(Equipment.values)) | (
        set(accessibility) - set(Accessibility.values))
    if unknown:
        raise DomainError(_("Unknown equipment or accessibility: %(keys)s")
                          % {"keys": ", ".join(sorted(unknown))}, code="vocabulary")
    room.equipment = [key for key in Equipment.values if key in set(equipment)]
    room.accessibility = [key for key in Accessibility.values if key in set(accessibility)]
    room.save(update_fields=["equipment", "accessibility", "updated_at"])
    return room


def weekly_rrule(weekdays: list[int]) -> str:
    """"FREQ=WEEKLY;BYDAY=TU,TH" from [1, 3] (0 = Monday)."""
    if not weekdays or any(d not in range(7) for d in weekdays):
        raise DomainError(_("Choose at least one day of the week."), code="weekdays")
    return "FREQ=WEEKLY;BYDAY=" + ",".join(RRULE_DAYS[d] for d in sorted(set(weekdays)))


def opening_rule_add(*, room: Room, opens_at: time, closes_at: time, rrule: str = "",
                     weekdays: list[int] | None = None, valid_from=None,
                     valid_until=None) -> OpeningRule:
    """Add an opening: an RRULE (or weekdays, turned into one) with opening hours."""
    if not rrule:
        rrule = weekly_rrule(weekdays or [])
    rrule = rrule.strip().upper()
    if rrule.startswith("RRULE:"):
        rrule = rrule[6:]
    availability.validate_rrule(rrule, datetime.combine(valid_from or timezone.localdate(),
                                                        opens_at))
    if closes_at <= opens_at:
        raise DomainError(_("Closing time must come after opening time."), code="hours")
    valid_from = valid_from or timezone.localdate()
    if valid_until and valid_until < valid_from:
        raise DomainError(_("The end date must come after the start date."), code="dates")
    return OpeningRule.objects.create(room=room, rrule=rrule, opens_at=opens_at,
                                      closes_at=closes_at, valid_from=valid_from,
                                      valid_until=valid_until)


def opening_rule_delete(*, rule: OpeningRule) -> None:
    rule.delete()


# --- Materials ------------------------------------------------------------------------------

def material_units_lent(material: Material, start: datetime, end: datetime,
                        *, exclude_pk=None) -> int:
    """Units out over [start, end). A loan holds its units until returned: an overdue
    one still counts, a loan returned early frees them from its return."""
    now = timezone.now()
    loans = MaterialLoan.objects.filter(material=material, cancelled=False, starts_at__lt=end)
    loans = loans.filter(
        Q(returned_at__isnull=True, ends_at__gt=start)
        | Q(returned_at__isnull=True, ends_at__lte=now)
        | Q(returned_at__isnull=False, returned_at__gt=start)
    )
    if exclude_pk:
        loans = loans.exclude(pk=exclude_pk)
    return loans.aggregate(total=Sum("quantity"))["total"] or 0


def material_loan_create(*, material: Material, quantity: int, starts_at: datetime,
                         ends_at: datetime, booking: Booking | None = None, workshop=None,
                         created_by=None) -> MaterialLoan:
    """Lend ``quantity`` units over [starts_at, ends_at). Refuses (Conflict) when fewer
    units are free; the material row is locked while counting, like a room."""
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    if ends_at <= starts_at:
        raise DomainError(_("The end must come after the start."), code="range")
    if quantity < 1:
        raise DomainError(_("Lend at least one."), code="quantity")
    if booking is not None:
        workshop = workshop or booking.workshop
    if workshop is not None and workshop.city_id != material.city_id:
        raise DomainError(_("This material is in another city than the workshop."),
                          code="city")
    with transaction.atomic():
        material = Material.objects.select_for_update().get(pk=material.pk)
        lent = material_units_lent(material, starts_at, ends_at)
        if lent + quantity > material.quantity:
            raise Conflict(
                _("Only %(free)s of %(total)s are free at that time.")
                % {"free": max(material.quantity - lent, 0), "total": material.quantity},
                code="material_unavailable",
            )
        return MaterialLoan.objects.create(
            material=material, quantity=quantity, starts_at=starts_at, ends_at=ends_at,
            booking=booking, workshop=workshop,
            created_by=created_by if created_by and created_by.pk else None,
        )


def material_loan_return(*, loan: MaterialLoan, at: datetime | None = None) -> MaterialLoan:
    if loan.returned_at is not None:
        raise Conflict(_("This loan has already been returned."), code="returned")
    loan.returned_at = at or timezone.now()
    loan.save(update_fields=["returned_at", "updated_at"])
    return loan


# --- Personal data (core.personal_data) ------------------------------------------------------

def personal_data_export(person) -> dict:
    """What venues hold about a person: the partners they are a contact of, and the
    bookings they asked for or answered."""
    bookings = Booking.objects.filter(Q(requested_by=person) | Q(decided_by=person))
    return {
        "partner_contact_of": list(person.partner_of.values_list("name", flat=True)),
        "bookings": [
            {"room": str(b.room), "starts_at": b.starts_at.isoformat(), "status": b.status,
             "requested_by_me": b.requested_by_id == person.pk,
             "answered_by_me": b.decided_by_id == person.pk}
            for b in bookings.select_related("room__venue")
        ],
    }


def personal_data_erase(person) -> None:
    """The person stops being a partner contact; bookings stay, without their name."""
    person.partner_of.clear()
    Booking.objects.filter(requested_by=person).update(requested_by=None)
    Booking.objects.filter(decided_by=person).update(decided_by=None)
    MaterialLoan.objects.filter(created_by=person).update(created_by=None)
