"""Normalise contact details so that one person is one row, however they type."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalize_email(email: str) -> str:
    email = (email or "").strip()
    local, _sep, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}" if local else email.lower()


def normalize_phone(raw: str) -> str:
    """E.164 ("+32470123456"); a local Belgian number ("0470 12 34 56") is accepted.

    Raises ValidationError with a translated message when it cannot be a phone number.
    """
    try:
        number = phonenumbers.parse((raw or "").strip(), settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This does not look like a phone number."), code="phone") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(_("This does not look like a phone number."), code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
