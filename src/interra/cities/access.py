"""Access checks for views: who must have used a password and a second factor.

Every staff role (coordinator, volunteer, network admin, admin-site staff) sees or
changes other people's personal data, so every staff page asks for a session opened
with a password AND a verified second factor (django-otp). A magic link alone opens a
person's own space (their proposals, their sessions as a leader, their data), never a
staff page.

The checks read a person's roles per city, so they live in cities (below accounts, which
re-exports them as ``accounts.decorators``, where the views import them from).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from .models import STAFF_ROLES, Role
from .selectors import roles_of

PASSWORD_SESSION_KEY = "interra_password_checked"


def is_staff_member(user) -> bool:
    """Coordinators, volunteers, network admins and admin-site staff."""
    return bool(
        user.is_authenticated
        and (user.is_staff or user.is_superuser or user.is_network_admin
             or roles_of(user) & set(STAFF_ROLES))
    )



def is_strongly_authenticated(request) -> bool:
    """Signed in with the staff sign-in: password and a verified second factor."""
    user = getattr(request, "user", None)
    return bool(
        user is not None and user.is_authenticated
        and request.session.get(PASSWORD_SESSION_KEY)
        and user.is_verified()
    )


def _to_staff_sign_in(request):
    return redirect_to_login(request.get_full_path(), reverse("accounts:staff_sign_in"))


def coordinator_required(view):
    """A coordinator (or network admin) who signed in with password + second factor.

    Someone who arrived through a magic link is sent to the staff sign-in page.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return _to_staff_sign_in(request)
        if not (user.is_network_admin or user.is_superuser or Role.COORDINATOR in roles_of(user)):
            raise PermissionDenied
        if not is_strongly_authenticated(request):
            return _to_staff_sign_in(request)
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    """A coordinator or a volunteer of some city (or a network admin), with 2FA."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return _to_staff_sign_in(request)
        roles = roles_of(user)
        if not (user.is_network_admin or user.is_superuser
                or Role.COORDINATOR in roles or Role.VOLUNTEER in roles):
            raise PermissionDenied
        if not is_strongly_authenticated(request):
            return _to_staff_sign_in(request)
        return view(request, *args, **kwargs)

    return wrapper


def network_admin_required(view):
    """A network admin, with password + second factor."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return _to_staff_sign_in(request)
        if not (user.is_network_admin or user.is_superuser):
            raise PermissionDenied
        if not is_strongly_authenticated(request):
            return _to_staff_sign_in(request)
        return view(request, *args, **kwargs)

    return wrapper


def second_factor_if_staff(view):
    """Anyone signed in; a staff member only with password + second factor.

    For actions on one's own account that an attacker holding a staff member's magic
    link must not take (erasing the account and its audit trail, for one).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if is_staff_member(user) and not is_strongly_authenticated(request):
            return _to_staff_sign_in(request)
        return view(request, *args, **kwargs)

    return wrapper
