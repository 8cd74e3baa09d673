"""A new contact (phone or email) joins an account only when its owner proves it.

The proof is a link sent to THAT contact: opening it and pressing "Add" attaches the
contact. The link is signed (it names the account, the kind and the value), lasts
``CONFIRM_MAX_AGE`` seconds and is never stored. Links are offered only when whoever
asks already holds the account: from the person's own session (their profile), or when
a request creates a brand-new person with two contacts (the second waits for its
proof). An anonymous request about an existing person never sends one: otherwise the
owner of any e-mail could add it to somebody else's account by typing their phone.
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from interra.core.errors import Conflict, DomainError

from .models import User
from .normalize import normalize_email, normalize_phone

CONFIRM_SALT = "interra.accounts.contact-confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600
EMAIL, PHONE = "email", "phone"


def contact_parse(value: str) -> tuple[str, str]:
    """("email" | "phone", normalised value); DomainError when it is neither."""
    value = (value or "").strip()
    if "@" in value:
        try:
            from django.core.validators import validate_email

            validate_email(value)
        except ValidationError as exc:
            raise DomainError(_("This does not look like an email address."),
                              code="email") from exc
        return EMAIL, normalize_email(value)
    try:
        return PHONE, normalize_phone(value)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="phone") from exc


def _taken(kind: str, value: str) -> bool:
    if kind == EMAIL:
        return User.objects.filter(email__iexact=value).exists()
    return User.objects.filter(phone=value).exists()


def confirm_link(*, person: User, kind: str, value: str) -> str:
    token = signing.dumps({"p": person.pk, "k": kind, "v": value}, salt=CONFIRM_SALT,
                          compress=True)
    return settings.SITE_URL + reverse("accounts:contact_confirm", args=[token])


def contact_confirmation_send(*, person: User, kind: str, value: str) -> bool:
    """Send ``value`` a link that adds it to ``person``'s account, after commit.

    Sends nothing (and says nothing different) when the contact already belongs to
    somebody or ``person`` already has that kind of contact. Returns whether a message
    was queued, for tests and logs only.
    """
    if not person.is_active or getattr(person, kind) or _taken(kind, value):
        return False
    link = confirm_link(person=person, kind=kind, value=value)
    language = person.preferred_language or settings.LANGUAGE_CODE

    def send():
        from interra.notifications.sms import send_sms

        with translation.override(language):
            context = {"link": link, "kind": kind}
            if kind == EMAIL:
                subject = " ".join(render_to_string(
                    "accounts/messages/contact_confirm_subject.txt", context).split())
                body = render_to_string("accounts/messages/contact_confirm_body.txt", context)
                EmailMessage(subject=subject, body=body.strip(), to=[value],
                             headers={"Content-Language": language}).send()
            else:
                send_sms(value, render_to_string(
                    "accounts/messages/contact_confirm_sms.txt", context).strip())

    transaction.on_commit(send)
    return True


def contact_from_token(token: str) -> tuple[User, str, str] | None:
    """(person, kind, value) behind a valid, unexpired confirmation link; else None."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        person = User.objects.filter(pk=int(data["p"]), is_active=True,
                                     erased_at__isnull=True).first()
        kind, value = data["k"], data["v"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if person is None or kind not in (EMAIL, PHONE) or not isinstance(value, str):
        return None
    return person, kind, value


@transaction.atomic
def contact_confirm(*, token: str) -> User:
    """Attach the contact named by a confirmation link to its account.

    Refuses an invalid or expired link, a contact that meanwhile belongs to somebody,
    and an account that meanwhile got another contact of that kind.
    """
    found = contact_from_token(token)
    if found is None:
        raise DomainError(_("This link is not valid any more. Ask for a new one from your "
                            "profile."), code="token")
    person, kind, value = found
    person = User.objects.select_for_update().get(pk=person.pk)
    if getattr(person, kind) == value:
        return person  # opened twice: already done
    if getattr(person, kind) or _taken(kind, value):
        raise Conflict(_("This contact cannot be added to this account."), code="contact")
    setattr(person, kind, value)
    person.save(update_fields=[kind])
    return person
