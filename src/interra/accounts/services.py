"""Writes about people: find or create, magic links, profile, export and erasure."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from sesame.utils import get_query_string

from interra.core import personal_data
from interra.core.errors import DomainError

from . import photos
from .models import Channel, Group, User
from .normalize import normalize_email, normalize_phone


def magic_link(person: User, *, next_url: str = "") -> str:
    """An absolute sign-in link for ``person`` that lands on ``next_url``."""
    url = reverse("accounts:magic") + get_query_string(person)
    if next_url and next_url.startswith("/") and not next_url.startswith("//"):
        from urllib.parse import quote

        url += "&next=" + quote(next_url)
    return settings.SITE_URL + url


def contacts_lookup(*, email: str = "", phone: str = "") -> tuple[str, str, User | None]:
    """The e-mail and phone as stored (normalised), and the one person they name, if any.

    The one definition of "who do these contacts name", for every form that takes them.
    Refuses (DomainError) a bad phone number, no contact at all, and an e-mail and a phone
    that belong to two different people (code ``contact_conflict``).
    """
    email = normalize_email(email) if email else ""
    try:
        phone = normalize_phone(phone) if phone else ""
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="phone") from exc
    if not email and not phone:
        raise DomainError(_("Give a phone number or an email address."), code="contact")
    by_email = User.objects.filter(email__iexact=email).first() if email else None
    by_phone = User.objects.filter(phone=phone).first() if phone else None
    if by_email and by_phone and by_email.pk != by_phone.pk:
        raise DomainError(
            _("This email address and this phone number belong to two different people."),
            code="contact_conflict",
        )
    return email, phone, by_email or by_phone


@transaction.atomic
def person_find_or_create(
    *,
    display_name: str,
    email: str = "",
    phone: str = "",
    language: str = "",
    spoken_languages: list[str] | None = None,
    group: str = "",
) -> tuple[User, bool]:
    """The person with this email or phone, created if new. Returns (person, created).

    Callers are anonymous forms (registration, proposal) and a coordinator's co-leader
    form: nothing proves who typed the contacts. So an existing person is NEVER changed
    (contacts, name, language, mark) and nothing is sent to a contact they do not have:
    the caller acts for the person identified by the contact they gave, and learns
    nothing more. A new person starts with one contact (the email if given, else the
    phone); the other one is sent a link and joins the account only when that link is
    used (see ``contacts``).

    Refuses (DomainError) when neither contact is given or when the email and the phone
    belong to two different people.
    """
    from . import contacts

    email, phone, existing = contacts_lookup(email=email, phone=phone)
    if existing:
        return existing, False
    if group and group not in Group.values:
        raise DomainError(_("Choose newcomer, local or prefer not to say."), code="group")
    # Both new: the account starts with the email; the phone waits for its proof.
    pending_phone = phone if email and phone else ""
    try:
        with transaction.atomic():
            person = User.objects.create_user(
                email=email or None,
                phone=(phone or None) if not email else None,
                display_name=display_name.strip()[:80] or (email or phone),
                preferred_language=language or settings.LANGUAGE_CODE,
                spoken_languages=spoken_languages or [],
                group=group,
                preferred_channel=Channel.EMAIL if email else Channel.SMS,
            )
    except IntegrityError:
        # Somebody created the same person a moment ago: use theirs, unchanged.
        person = User.objects.get(email=email) if email else User.objects.get(phone=phone)
        return person, False
    if pending_phone:
        contacts.contact_confirmation_send(person=person, kind=contacts.PHONE,
                                           value=pending_phone)
    return person, True


def sign_in_link_send(*, identifier: str, next_url: str = "") -> bool:
    """Send a magic link to the person with this email or phone, if there is one.

    Always looks the same from outside (no account enumeration): returns whether a
    message was queued, for tests and logs only.
    """
    from interra.notifications.services import notify

    from .backends import find_person

    person = find_person(identifier)
    if person is None or not person.is_active:
        return False
    notify(
        person=person,
        template="magic_link",
        # The link itself is minted by the worker when it sends: never stored.
        context={"sign_in_next": next_url},
    )
    return True


def person_export(*, person: User) -> dict:
    """Everything the platform holds about ``person``, as JSON-able data."""
    return {
        "person": {
            "name": person.display_name,
            "email": person.email,
            "phone": person.phone,
            "preferred_language": person.preferred_language,
            "spoken_languages": person.spoken_languages,
            "newcomer_or_local": person.group,
            "preferred_channel": person.preferred_channel,
            "photo": settings.SITE_URL + person.photo.url if person.photo else None,
            "photo_public": person.photo_public,
            "joined": person.date_joined.isoformat(),
            "roles": [
                {"city": m.city.name, "role": m.role}
                for m in person.memberships.select_related("city")
            ],
        },
        **personal_data.export_all(person),
    }


@transaction.atomic
def person_erase(*, person: User) -> None:
    """Erase ``person``: contact details, name and sign-in go; anonymous counts stay.

    The row stays so that registrations and attendance still count in statistics, but
    nothing left on it or on its related rows identifies anybody.
    """
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    personal_data.erase_all(person)
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    person.memberships.all().delete()
    person.email = None
    person.phone = None
    person.display_name = _("Erased person")
    person.spoken_languages = []
    photos.delete_on_commit(person.photo.name)
    person.photo = ""
    person.photo_public = False
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.is_network_admin = False
    person.erased_at = timezone.now()
    person.set_unusable_password()
    person.save()
