"""Staff sign-in, staff sessions and the invitation that enrols a first second factor.

- Sign-in is one step: identifier, password and the code of the second factor. The
  answer is the same for a wrong password, a right password with a wrong code, and an
  account without a device: nobody learns that a password was right before the second
  factor passes.
- Attempts are counted in the shared cache BEFORE ``authenticate()`` runs, per address
  and per account; over the limit the password is not even checked.
- A first device is enrolled only through a one-time invitation link made by a network
  admin (only a hash of it is stored); a password alone never enrols a device.
- A staff session lasts a few hours of inactivity and at most a working day; a
  participant's session (magic link) keeps the site's 30 days.
"""

import hashlib
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from interra.cities.models import STAFF_ROLES, Membership, Role
from interra.core.errors import Conflict, DomainError, PermissionDenied
from interra.core.ratelimit import ratelimited

from .decorators import PASSWORD_SESSION_KEY, is_staff_member
from .models import Channel, StaffInvitation, User
from .normalize import normalize_email, normalize_phone

STAFF_SINCE_KEY = "interra_staff_since"
STAFF_SEEN_KEY = "interra_staff_seen"
INVITATION_DAYS = 7
PASSWORD_BACKEND = "interra.accounts.backends.EmailOrPhoneBackend"


def _account_key(identifier: str) -> str:
    """The same key for every spelling of one account's email or phone."""
    identifier = (identifier or "").strip()
    if "@" in identifier:
        # Lower-cased as a whole: accounts are found with email__iexact.
        normal = normalize_email(identifier).lower()
    else:
        try:
            normal = normalize_phone(identifier)
        except ValidationError:
            normal = identifier.lower()
    return hashlib.sha256(normal.encode()).hexdigest()[:32]


def sign_in_refused(request, *, identifier: str) -> bool:
    """Count this attempt; True when the address or the account is over its limit.

    Called before any password is checked, so that once the limit trips a right
    password and a wrong one get the very same refusal.
    """
    period = settings.STAFF_SIGN_IN_PERIOD
    by_address = ratelimited(request, "staff-sign-in-address", period=period,
                             limit=settings.STAFF_SIGN_IN_LIMIT_PER_ADDRESS)
    by_account = ratelimited(request, "staff-sign-in-account", period=period,
                             limit=settings.STAFF_SIGN_IN_LIMIT_PER_ACCOUNT,
                             key=_account_key(identifier))
    return by_address or by_account


def staff_authenticate(request, *, identifier: str, password: str, token: str):
    """(person, device) when the password and, for staff, the second factor are right.

    None otherwise, whatever was wrong. Partner contacts (not staff) need no device.
    """
    person = authenticate(request, username=identifier, password=password)
    if person is None:
        return None
    if not is_staff_member(person):
        return person, None
    token = (token or "").strip()
    device = match_token(person, token) if token else None
    if device is None:
        return None
    return person, device


def staff_session_start(request, person, device=None) -> None:
    """Sign ``person`` in after a password (and a device for staff); a staff session is
    short: ``STAFF_SESSION_IDLE_SECONDS`` of inactivity, ``STAFF_SESSION_MAX_SECONDS``
    at most."""
    login(request, person, backend=PASSWORD_BACKEND)
    request.session[PASSWORD_SESSION_KEY] = True
    if device is not None:
        otp_login(request, device)
    if is_staff_member(person):
        now = int(time.time())
        request.session[STAFF_SINCE_KEY] = now
        request.session[STAFF_SEEN_KEY] = now
        request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)


def staff_session_expired(request) -> bool:
    """Check (and refresh) a staff session; True if it ran out and was closed."""
    since = request.session.get(STAFF_SINCE_KEY)
    if since is None:
        return False
    now = int(time.time())
    seen = request.session.get(STAFF_SEEN_KEY, since)
    if (now - since > settings.STAFF_SESSION_MAX_SECONDS
            or now - seen > settings.STAFF_SESSION_IDLE_SECONDS):
        logout(request)
        return True
    if now - seen > 60:  # one session write a minute at most
        request.session[STAFF_SEEN_KEY] = now
        request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
    return False


# --- Invitations --------------------------------------------------------------------------

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def staff_invite(*, actor, city, role: str, display_name: str, email: str = "",
                 phone: str = "") -> tuple[User, str]:
    """A network admin makes ``display_name`` a coordinator or volunteer of ``city`` and
    gets a one-time enrolment link (valid ``INVITATION_DAYS`` days) to hand over. A
    coordinator of ``city`` may invite volunteers of that city, and only people not yet
    on file: the link sets the password and the device of the account it opens, so
    handing a coordinator a link to an existing person's account would hand them the
    account (a network admin is trusted with that; a coordinator is not).

    An existing person (found by email or phone) keeps their name and contacts; earlier
    unused links of theirs stop working. The link itself is never stored.
    """
    is_admin = bool(actor is not None and (actor.is_network_admin or actor.is_superuser))
    if not is_admin and not (
            actor is not None and role == Role.VOLUNTEER and Membership.objects.filter(
                person=actor, city=city, role=Role.COORDINATOR).exists()):
        raise PermissionDenied(_("Only a network admin can invite staff; a coordinator "
                                 "invites volunteers of their own city."), code="forbidden")
    if role not in STAFF_ROLES:
        raise DomainError(_("Choose coordinator or volunteer."), code="role")
    from .services import contacts_lookup

    try:
        email, phone, person = contacts_lookup(email=email, phone=phone)
    except DomainError as exc:
        if exc.code == "contact_conflict":
            raise Conflict(exc.message, code=exc.code) from exc
        raise
    if person is not None and not is_admin:
        raise Conflict(_("These details belong to an account already: ask a network admin "
                         "to invite this person."), code="existing")
    if person is None:
        if not (display_name or "").strip():
            raise DomainError(_("Give their name."), code="name")
        try:
            with transaction.atomic():
                person = User.objects.create_user(
                    email=email or None, phone=phone or None,
                    display_name=display_name.strip()[:80],
                    preferred_channel=Channel.EMAIL if email else Channel.SMS,
                )
        except IntegrityError as exc:
            raise Conflict(_("Somebody registered these details a moment ago. Try again."),
                           code="duplicate") from exc
    if not person.is_active:
        raise DomainError(_("This account is closed."), code="inactive")
    Membership.objects.get_or_create(person=person, city=city, role=role)
    now = timezone.now()
    StaffInvitation.objects.filter(person=person, used_at__isnull=True).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    StaffInvitation.objects.create(person=person, created_by=actor, token_hash=_hash(token),
                                   expires_at=now + timedelta(days=INVITATION_DAYS))
    return person, settings.SITE_URL + reverse("accounts:enrol", args=[token])


def invitation_for_token(token: str) -> StaffInvitation | None:
    """The unused, unexpired invitation of an active person behind ``token``, or None."""
    if not token or len(token) > 100:
        return None
    return (StaffInvitation.objects.select_related("person")
            .filter(token_hash=_hash(token), used_at__isnull=True,
                    expires_at__gt=timezone.now(), person__is_active=True).first())


def enrolment_device(invitation: StaffInvitation) -> TOTPDevice:
    """The not yet confirmed authenticator this invitation enrols (made once)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=invitation.person, name=f"invitation-{invitation.pk}", confirmed=False)
    return device


@transaction.atomic
def staff_enrol(*, invitation: StaffInvitation, password: str, token: str) -> TOTPDevice:
    """Use the invitation: set the password, confirm the authenticator with its first
    code. Devices enrolled before are removed (a lost phone is replaced this way).

    Refuses a used or expired invitation, a weak password and a wrong code; then nothing
    changes and the link still works (until it expires).
    """
    invitation = StaffInvitation.objects.select_for_update().select_related("person").get(
        pk=invitation.pk)
    if invitation.used_at is not None or invitation.expires_at <= timezone.now():
        raise Conflict(_("This invitation link was already used or is too old. Ask a "
                         "network admin for a new one."), code="invitation")
    person = invitation.person
    try:
        validate_password(password, person)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="password") from exc
    device = enrolment_device(invitation)
    if not device.verify_token((token or "").strip()):
        raise DomainError(_("This code is wrong or too old. Try the new one."), code="token")
    TOTPDevice.objects.filter(user=person).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=person).delete()
    device.confirmed = True
    device.name = "authenticator"
    device.save(update_fields=["confirmed", "name"])
    person.set_password(password)
    person.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return device
