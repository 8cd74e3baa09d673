"""The staff desk: what the office does for someone who phones.

Each function is one write that goes through the agenda's own services (the session
lock, the seat rules, the waitlist, the messages) and leaves a ``SessionLogEntry``
saying who did it, when and why. Callers check that the actor coordinates the session's
city (``selectors.staff_session``); these functions check it again, because the API, a
command or a future page might call them too.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interra.core.errors import Conflict, DomainError, PermissionDenied
from interra.notifications.services import notify

from .models import Registration, Session, SessionLogEntry
from .services import (
    _lock_session,
    _message_context,
    _waitlist_promote,
    registration_cancel,
    registration_for_typed_contact,
    seat_counts,
)

REASON_MAX = 300


def _check_staff(actor, session: Session) -> None:
    from interra.cities.selectors import coordinated_cities

    if actor is None or not coordinated_cities(actor).filter(pk=session.city_id).exists():
        raise PermissionDenied(_("Only a coordinator of this city can do this."),
                               code="forbidden")


def _reason(reason: str, *, required: bool) -> str:
    reason = " ".join((reason or "").split())[:REASON_MAX]
    if required and not reason:
        raise DomainError(_("Say why, in a few words (kept in the session's log)."),
                          code="reason")
    return reason


def _log(session, action, *, actor, reason="", registration=None, **detail):
    return SessionLogEntry.objects.create(session=session, registration=registration,
                                          actor=actor, action=action, reason=reason,
                                          detail=detail)


def _log_promoted(session, promoted, actor) -> None:
    for registration in promoted:
        _log(session, SessionLogEntry.Action.AUTO_PROMOTED, actor=actor,
             registration=registration, seats=registration.seats)


@transaction.atomic
def desk_register(*, session: Session, actor, display_name: str, email: str = "",
                  phone: str = "", group: str = "", seats: int = 1, language: str = "",
                  reason: str = "") -> Registration:
    """Register someone who phoned, exactly as the public form would: the same person
    lookup (by phone or e-mail, never changing their name or mark), the same seat rules
    under the session lock (confirmed or waitlisted), the same message with their link.
    For a person already on file the desk too sees only the name and contact it typed,
    until the person claims the registration (``registration_for_typed_contact``).

    Refuses what ``registration_create`` refuses (closed session, too many seats, already
    registered); nothing is saved then, not even a new person.
    """
    _check_staff(actor, session)
    if not (display_name or "").strip():
        raise DomainError(_("Write the person's name."), code="name")
    registration = registration_for_typed_contact(
        session=session, name=display_name, email=email, phone=phone, language=language,
        group=group or None, seats=seats, requester=actor)
    _log(registration.session, SessionLogEntry.Action.REGISTERED, actor=actor,
         registration=registration, reason=_reason(reason, required=False),
         seats=registration.seats, status=registration.status)
    return registration


@transaction.atomic
def desk_cancel(*, registration: Registration, actor, reason: str) -> list[Registration]:
    """Cancel one registration for someone who phoned; the freed seats go to the
    waitlist (each person moved up is told). The person is told their registration is
    cancelled. Refuses without a reason, and what ``registration_cancel`` refuses."""
    session = registration.session
    _check_staff(actor, session)
    reason = _reason(reason, required=True)
    registration = Registration.objects.select_related("person").get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise Conflict(_("This registration is already cancelled."), code="cancelled")
    promoted = registration_cancel(registration=registration)
    registration.refresh_from_db()
    registration.session = Session.objects.select_related("workshop", "room__venue").get(
        pk=session.pk)
    _log(session, SessionLogEntry.Action.CANCELLED, actor=actor, registration=registration,
         reason=reason, seats=registration.seats)
    _log_promoted(session, promoted, actor)
    if registration.person_id:
        notify(person=registration.person, template="registration_cancelled",
               context=_message_context(registration), city_id=registration.session.city_id)
    return promoted


@transaction.atomic
def desk_seats_change(*, session: Session, actor, capacity: int,
                      newcomer_seats_percent: int, local_seats_percent: int,
                      reason: str) -> list[Registration]:
    """Change a session's seats and the share held for newcomers and for locals.

    Under the session lock: refuses a capacity below the seats already confirmed, shares
    outside 0..100 or adding up to more than 100, and a cancelled or past session. Seats
    that free up go to the waitlist at once (each person moved up is told). Returns who
    moved up."""
    _check_staff(actor, session)
    reason = _reason(reason, required=True)
    session = _lock_session(session.pk)
    if session.status != Session.Status.SCHEDULED or session.starts_at <= timezone.now():
        raise DomainError(_("Only an upcoming session can change its seats."), code="closed")
    try:
        capacity = int(capacity)
        newcomer_seats_percent = int(newcomer_seats_percent)
        local_seats_percent = int(local_seats_percent)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Write whole numbers."), code="number") from exc
    taken = seat_counts(session).taken
    if capacity < max(1, taken):
        raise DomainError(
            _("%(taken)d seats are already confirmed: the session needs at least that many. "
              "Cancel a registration first.") % {"taken": taken}, code="capacity")
    if capacity > 500:
        raise DomainError(_("A session has at most 500 seats."), code="capacity")
    if not (0 <= newcomer_seats_percent <= 100 and 0 <= local_seats_percent <= 100
            and newcomer_seats_percent + local_seats_percent <= 100):
        raise DomainError(_("The held shares are between 0 and 100 % and add up to 100 % "
                            "at most."), code="held")
    before = {"capacity": session.capacity,
              "newcomer_seats_percent": session.newcomer_seats_percent,
              "local_seats_percent": session.local_seats_percent}
    session.capacity = capacity
    session.newcomer_seats_percent = newcomer_seats_percent
    session.local_seats_percent = local_seats_percent
    session.save(update_fields=["capacity", "newcomer_seats_percent", "local_seats_percent",
                                "updated_at"])
    _log(session, SessionLogEntry.Action.SEATS_CHANGED, actor=actor, reason=reason,
         before=before, after={"capacity": capacity,
                               "newcomer_seats_percent": newcomer_seats_percent,
                               "local_seats_percent": local_seats_percent})
    promoted = _waitlist_promote(session)
    _log_promoted(session, promoted, actor)
    return promoted


@transaction.atomic
def desk_promote(*, registration: Registration, actor, reason: str) -> Registration:
    """Confirm one person from the waitlist (the office decided: a mix to keep, someone
    who phoned). Staff may give them a seat held for the other group, never a seat that
    does not exist: refuses when the free seats are fewer than theirs (raise the capacity
    first). The person is told, with their link."""
    _check_staff(actor, registration.session)
    reason = _reason(reason, required=True)
    session = _lock_session(registration.session_id)
    registration = Registration.objects.select_related("person").get(pk=registration.pk)
    if registration.status != Registration.Status.WAITLISTED:
        raise Conflict(_("This person is not on the waitlist."), code="status")
    if session.status != Session.Status.SCHEDULED or session.starts_at <= timezone.now():
        raise DomainError(_("Registration is closed for this session."), code="closed")
    if seat_counts(session).seats_left < registration.seats:
        raise DomainError(_("Not enough free seats: change the seats of the session first."),
                          code="full")
    registration.status = Registration.Status.CONFIRMED
    registration.promoted_at = timezone.now()
    registration.save(update_fields=["status", "promoted_at"])
    registration.session = session
    _log(session, SessionLogEntry.Action.PROMOTED, actor=actor, registration=registration,
         reason=reason, seats=registration.seats)
    if registration.person_id:
        notify(person=registration.person, template="registration_promoted",
               context=_message_context(registration), city_id=registration.session.city_id)
    return registration


@transaction.atomic
def desk_link_resend(*, registration: Registration, actor):
    """Send a person their private link again, to the contact on file only (never to a
    number given on the phone), in their language: the message of their status."""
    session = registration.session
    _check_staff(actor, session)
    registration = (Registration.objects.select_related("person", "session__workshop",
                                                        "session__room__venue")
                    .get(pk=registration.pk))
    if registration.person_id is None or registration.status == Registration.Status.CANCELLED:
        raise DomainError(_("There is no link to send for this registration."), code="status")
    template = ("registration_confirmed" if registration.status == Registration.Status.CONFIRMED
                else "registration_waitlisted")
    message = notify(person=registration.person, template=template,
                     context=_message_context(registration),
                     city_id=registration.session.city_id)
    _log(session, SessionLogEntry.Action.LINK_SENT, actor=actor, registration=registration)
    return message
