from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from .models import User
from .normalize import normalize_email, normalize_phone


class EmailOrPhoneBackend(ModelBackend):
    """Password sign-in with an email address or a phone number (staff and partners)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        user = find_person(username)
        if user is None:
            User().set_password(password)  # same work either way: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def find_person(identifier: str) -> User | None:
    """The active person whose email or phone is ``identifier``, or None."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        return User.objects.filter(email__iexact=normalize_email(identifier)).first()
    try:
        phone = normalize_phone(identifier)
    except ValidationError:
        return None
    return User.objects.filter(phone=phone).first()
