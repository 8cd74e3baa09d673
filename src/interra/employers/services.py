"""Writes: organisations sign up or are invited, coordinators verify them, leaders choose
to be found, organisations ask, leaders answer.

No contact detail of a leader crosses before they accept: a request holds only what the
organisation wrote; accepting records which contact the leader shares, and the
organisation's page reads it from the leader's account from then on.
"""

from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from interra.accounts.services import person_find_or_create
from interra.cities.models import Membership, Role
from interra.cities.selectors import coordinated_cities
from interra.core.errors import Conflict, DomainError, PermissionDenied
from interra.core.text import forbidden_characters
from interra.notifications.services import notify

from . import selectors
from .models import (
    ContactRequest,
    Employer,
    EmployerBlock,
    EmployerContact,
    EmployerStatusChange,
    LeaderListing,
    RequestEvent,
)

REASON_MAX = 300
MESSAGE_MAX = 1000
# Said to an organisation whatever the reason a person cannot be asked (they turned
# finding off, blocked it, or left): the organisation never learns it was blocked.
NEUTRAL_REFUSAL = gettext_noop("This person cannot receive requests at the moment.")


def _clean_text(value: str, *, limit: int, field: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise DomainError(_("This text is too long."), code=field)
    if forbidden_characters(value):
        raise DomainError(_("Remove the invisible control or text-direction characters "
                            "from this text."), code="control_characters")
    return value


# --- Organisations ---------------------------------------------------------------------

def _add_contact(*, employer, person, confirmed: bool) -> EmployerContact:
    contact, _created = EmployerContact.objects.get_or_create(employer=employer, person=person)
    if confirmed and contact.confirmed_at is None:
        _confirm(contact)
    return contact


def _confirm(contact: EmployerContact) -> None:
    contact.confirmed_at = timezone.now()
    contact.save(update_fields=["confirmed_at"])
    Membership.objects.get_or_create(person=contact.person, city=contact.employer.city,
                                     role=Role.EMPLOYER)


def _log_status(employer, *, by, from_status, reason=""):
    EmployerStatusChange.objects.create(employer=employer, at=timezone.now(), by=by,
                                        from_status=from_status, to_status=employer.status,
                                        reason=reason[:REASON_MAX])


@transaction.atomic
def employer_sign_up(*, city, name: str, kind: str, contact_name: str, email: str = "",
                     phone: str = "", language: str = "", website: str = "",
                     description: str = "", signed_in=None) -> Employer:
    """An organisation asks to join: it starts pending (it can search nothing) until a
    coordinator of ``city`` verifies it. The contact person is found or created from the
    contacts given (an existing person is never changed); unless they are the one signed
    in, they become the organisation's contact only when they confirm it from the link
    sent to them. The city's coordinators see it on their employers page."""
    name = _clean_text(name, limit=120, field="name")
    if not name:
        raise DomainError(_("Give the organisation's name."), code="name")
    if kind not in Employer.Kind.values:
        raise DomainError(_("Choose the kind of organisation."), code="kind")
    description = _clean_text(description, limit=500, field="description")
    if signed_in is not None and signed_in.is_authenticated:
        person = signed_in
    else:
        person, _created = person_find_or_create(display_name=contact_name, email=email,
                                                 phone=phone, language=language)
    employer = Employer.objects.create(city=city, name=name, kind=kind, website=website,
                                       description=description)
    _log_status(employer, by=None, from_status="")
    confirmed = signed_in is not None and signed_in.is_authenticated
    _add_contact(employer=employer, person=person, confirmed=confirmed)
    notify(person=person, template="employer_signed_up", city_id=city.pk,
           context={"organisation": employer.name, "city": city.name,
                    "sign_in_next": reverse("employers:home")})
    return employer


@transaction.atomic
def employer_invite(*, city, by, name: str, kind: str, contact_name: str, email: str = "",
                    phone: str = "") -> Employer:
    """A coordinator of ``city`` invites an organisation they know: it is verified at
    once (by them, logged); its contact confirms from the link they are sent."""
    _check_coordinates(by, city)
    employer = employer_sign_up(city=city, name=name, kind=kind, contact_name=contact_name,
                                email=email, phone=phone)
    employer_set_status(employer=employer, by=by, status=Employer.Status.VERIFIED,
                        reason=_("Invited by a coordinator."))
    return employer


@transaction.atomic
def employer_contact_confirm(*, employer, person) -> EmployerContact:
    """The person, signed in through a link sent to their own contact, confirms they act
    for ``employer``. Refuses anyone the organisation did not name."""
    contact = (EmployerContact.objects.select_for_update()
               .filter(employer=employer, person=person).first())
    if contact is None:
        raise PermissionDenied(_("You are not a contact of this organisation."),
                               code="not_a_contact")
    if contact.confirmed_at is None:
        _confirm(contact)
    return contact


def _check_coordinates(by, city) -> None:
    if by is None or not coordinated_cities(by).filter(pk=city.pk).exists():
        raise PermissionDenied(_("Only a coordinator of this city can decide this."),
                               code="forbidden")


@transaction.atomic
def employer_set_status(*, employer, by, status: str, reason: str = "") -> Employer:
    """A coordinator of the organisation's city verifies it (it may search from then on)
    or suspends it (it may no longer search nor send; what it was told stays). Logged
    with who, when and why; its contacts are told. Refuses a suspension without a reason
    and anyone but a coordinator of that city."""
    _check_coordinates(by, employer.city)
    if status not in (Employer.Status.VERIFIED, Employer.Status.SUSPENDED):
        raise DomainError(_("Choose verify or suspend."), code="status")
    reason = (reason or "").strip()[:REASON_MAX]
    if status == Employer.Status.SUSPENDED and not reason:
        raise DomainError(_("Say why, in a few words."), code="reason")
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    if employer.status == status:
        return employer
    before = employer.status
    employer.status = status
    employer.save(update_fields=["status"])
    _log_status(employer, by=by, from_status=before, reason=reason)
    for contact in employer.contacts.select_related("person"):
        if contact.person.is_active:
            notify(person=contact.person, template="employer_status_changed",
                   city_id=employer.city_id,
                   context={"organisation": employer.name, "status": status,
                            "sign_in_next": reverse("employers:home")})
    return employer


# --- Leaders ---------------------------------------------------------------------------

@transaction.atomic
def listing_update(*, person, findable: bool) -> LeaderListing:
    """The leader says whether verified employers of their cities may find them."""
    listing, _created = LeaderListing.objects.get_or_create(person=person)
    listing.findable = bool(findable)
    listing.save(update_fields=["findable", "updated_at"])
    return listing


# --- Requests --------------------------------------------------------------------------

def _log(request, *, actor, action) -> None:
    RequestEvent.objects.create(request=request, at=timezone.now(), actor=actor, action=action)


@transaction.atomic
def contact_request_send(*, employer, by, listing_id, kind: str, message: str = "",
                         gig_kind: str = "", gig_date=None, gig_place: str = "",
                         gig_pay: str = "") -> ContactRequest:
    """A verified organisation's contact asks a leader who may be found for a contact,
    or offers a paid gig (kind, description, date, place and pay all required).

    The leader is told in their language, with a link to answer; nothing about them
    (no contact) is given to the organisation. Refuses an organisation that is not
    verified or that ``by`` does not act for, a leader who may not be found by it (the
    same neutral words whether they turned finding off, blocked it, or left), and a
    second question while the first waits for its answer."""
    if not selectors.employers_of(by).filter(pk=employer.pk).exists():
        raise PermissionDenied(_("Your organisation is not verified yet."),
                               code="not_verified")
    try:
        found = selectors.found_leader(employers=[employer], listing_id=listing_id)
    except Http404:
        raise DomainError(_(NEUTRAL_REFUSAL), code="unreachable") from None
    leader = found.person
    blocked = EmployerBlock.objects.filter(leader=leader, employer=employer).exists()
    if blocked:
        raise DomainError(_(NEUTRAL_REFUSAL), code="unreachable")
    if kind not in ContactRequest.Kind.values:
        raise DomainError(_("Choose a contact request or a paid gig."), code="kind")
    message = _clean_text(message, limit=MESSAGE_MAX, field="message")
    gig_place = _clean_text(gig_place, limit=200, field="gig_place")
    gig_pay = _clean_text(gig_pay, limit=100, field="gig_pay")
    if kind == ContactRequest.Kind.GIG:
        if gig_kind not in ContactRequest.GigKind.values:
            raise DomainError(_("Choose the kind of gig."), code="gig_kind")
        if not (message and gig_date and gig_place and gig_pay):
            raise DomainError(_("A paid gig needs a description, a date, a place and the "
                                "pay."), code="gig")
        if gig_date < timezone.localdate():
            raise DomainError(_("The gig's date is in the past."), code="gig_date")
    else:
        gig_kind, gig_date, gig_place, gig_pay = "", None, "", ""
        if not message:
            raise DomainError(_("Write a few words: who you are and why you ask."),
                              code="message")
    city_id = sorted(found.city_ids & {employer.city_id})[0]
    try:
        with transaction.atomic():
            request = ContactRequest.objects.create(
                employer=employer, city_id=city_id, sent_by=by, leader=leader, kind=kind,
                message=message, gig_kind=gig_kind, gig_date=gig_date, gig_place=gig_place,
                gig_pay=gig_pay, sent_at=timezone.now())
    except IntegrityError as exc:
        raise Conflict(_("You already asked this person; wait for their answer."),
                       code="pending") from exc
    _log(request, actor=by, action=RequestEvent.Action.SENT)
    notify(person=leader, template="employer_request_received", city_id=city_id,
           context={"organisation": employer.name, "kind": kind,
                    "sign_in_next": reverse("employers:request", args=[request.pk])})
    return request


def _answer(*, request, by, status, channel="", action):
    locked = ContactRequest.objects.select_for_update().get(pk=request.pk)
    if locked.leader_id != by.pk:
        raise PermissionDenied(_("Only the person asked can answer."), code="forbidden")
    if locked.status != ContactRequest.Status.PENDING:
        raise Conflict(_("You already answered this request."), code="answered")
    locked.status = status
    locked.shared_channel = channel
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "shared_channel", "answered_at"])
    _log(locked, actor=by, action=action)
    if locked.sent_by is not None and locked.sent_by.is_active:
        notify(person=locked.sent_by, template="employer_request_answered",
               city_id=locked.city_id,
               # No name of the leader: the message outlives what they may erase.
               context={"organisation": locked.employer.name,
                        "accepted": status == ContactRequest.Status.ACCEPTED,
                        "sign_in_next": reverse("employers:sent", args=[locked.pk])})
    return locked


@transaction.atomic
def contact_request_accept(*, request, by, channel: str) -> ContactRequest:
    """The leader accepts and chooses the one contact the organisation will see (their
    phone or their e-mail, which they must have). The organisation is told."""
    if request.leader_id != by.pk:
        raise PermissionDenied(_("Only the person asked can answer."), code="forbidden")
    if channel not in ContactRequest.Channel.values:
        raise DomainError(_("Choose the contact you share."), code="channel")
    if not getattr(by, channel, None):
        raise DomainError(_("Your account has no such contact; choose the other one."),
                          code="channel")
    return _answer(request=request, by=by, status=ContactRequest.Status.ACCEPTED,
                   channel=channel, action=RequestEvent.Action.ACCEPTED)


@transaction.atomic
def contact_request_decline(*, request, by, block: bool = False) -> ContactRequest:
    """The leader declines; with ``block`` the organisation can never ask them again.
    Either way the organisation reads only "declined"."""
    request = _answer(request=request, by=by, status=ContactRequest.Status.DECLINED,
                      action=(RequestEvent.Action.BLOCKED if block
                              else RequestEvent.Action.DECLINED))
    if block:
        EmployerBlock.objects.get_or_create(leader=by, employer=request.employer,
                                            defaults={"at": timezone.now()})
    return request


@transaction.atomic
def gig_mark_done(*, request, by) -> ContactRequest:
    """The organisation's contact, or a coordinator of the request's city, says the
    accepted gig took place (what the impact page counts as a gig done)."""
    request = ContactRequest.objects.select_for_update().select_related("employer").get(
        pk=request.pk)
    acts_for = selectors.employers_of(by, verified_only=False).filter(
        pk=request.employer_id).exists()
    if not acts_for and not coordinated_cities(by).filter(pk=request.city_id).exists():
        raise PermissionDenied(_("Only the organisation or a coordinator can say this."),
                               code="forbidden")
    if request.kind != ContactRequest.Kind.GIG or request.status != ContactRequest.Status.ACCEPTED:
        raise DomainError(_("Only an accepted paid gig can be marked as done."), code="state")
    if request.done_at is None:
        request.done_at = timezone.now()
        request.save(update_fields=["done_at"])
        _log(request, actor=by, action=RequestEvent.Action.DONE)
    return request


# --- Personal data (registered in EmployersConfig.ready) -------------------------------

def _request_export(request) -> dict:
    return {"id": str(request.pk), "organisation": request.employer.name,
            "kind": request.kind, "message": request.message, "gig_kind": request.gig_kind,
            "gig_date": request.gig_date.isoformat() if request.gig_date else None,
            "gig_place": request.gig_place, "gig_pay": request.gig_pay,
            "status": request.status, "shared_channel": request.shared_channel,
            "sent_at": request.sent_at.isoformat(),
            "answered_at": request.answered_at.isoformat() if request.answered_at else None,
            "done_at": request.done_at.isoformat() if request.done_at else None}


def personal_data_export(person) -> dict:
    listing = LeaderListing.objects.filter(person=person).first()
    return {
        "employers_may_find_me": bool(listing and listing.findable),
        "requests_received": [_request_export(r) for r in
                              ContactRequest.objects.filter(leader=person)
                              .select_related("employer")],
        "requests_sent": [_request_export(r) for r in
                          ContactRequest.objects.filter(sent_by=person)
                          .select_related("employer")],
        "organisations": [{"name": contact.employer.name,
                           "confirmed": contact.confirmed_at is not None}
                          for contact in EmployerContact.objects.filter(person=person)
                          .select_related("employer")],
        "blocked_organisations": [block.employer.name for block in
                                  EmployerBlock.objects.filter(leader=person)
                                  .select_related("employer")],
    }


def personal_data_erase(person) -> None:
    """A leader's requests keep only what is counted (kind, status, dates, city): the
    texts and the contact choice go, the organisation sees nothing of them any more.
    A contact person's requests lose their texts too and their author; they stop acting
    for their organisations (which stay, as organisations are not people)."""
    emptied = {"message": "", "gig_place": "", "gig_pay": "", "shared_channel": ""}
    ContactRequest.objects.filter(leader=person).update(**emptied)
    ContactRequest.objects.filter(sent_by=person).update(
        message="", gig_place="", gig_pay="", sent_by=None)
    RequestEvent.objects.filter(actor=person).update(actor=None)
    EmployerStatusChange.objects.filter(by=person).update(by=None)
    EmployerBlock.objects.filter(leader=person).delete()
    LeaderListing.objects.filter(person=person).delete()
    EmployerContact.objects.filter(person=person).delete()

