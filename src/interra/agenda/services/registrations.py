"""Registrations: seats held per group, the waitlist, cancelling, sign-in links.

Registering locks the session row and re-counts under the lock; the unique constraint on
active registrations is the last line of defence against doubles.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interra.core.errors import Conflict, DomainError
from interra.core.text import forbidden_characters
from interra.notifications.services import notify

from ..models import Registration, Session
from ..seats import normalize_group
from .common import _lock_session, _message_context, _waitlist_context, is_released, seat_counts


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
