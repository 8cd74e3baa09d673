"""Access checks for views: who must have used a password and a second factor."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from interra.cities.models import Role
from interra.cities.selectors import roles_of

PASSWORD_SESSION_KEY = "interra_password_checked"


def requires_two_factor(user) -> bool:
    """Coordinators, network admins and admin-site staff sign in with password + TOTP."""
    return bool(
        user.is_authenticated
        and (user.is_staff or user.is_superuser or user.is_network_admin
             or Role.COORDINATOR in roles_of(user))
    )


def is_strongly_authenticated(request) -> bool:
    return bool(request.session.get(PASSWORD_SESSION_KEY)) and request.user.is_verified()


def coordinator_required(view):
    """The person is a coordinator (or network admin) who signed in with password + TOTP.

    A coordinator who arrived through a magic link is sent to the staff sign-in page.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:staff_sign_in"))
        if not (user.is_network_admin or user.is_superuser or Role.COORDINATOR in roles_of(user)):
            raise PermissionDenied
        if not is_strongly_authenticated(request):
            if request.session.get(PASSWORD_SESSION_KEY):
                return redirect(reverse("accounts:verify") + "?next=" + request.get_full_path())
            return redirect_to_login(request.get_full_path(), reverse("accounts:staff_sign_in"))
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    """A coordinator (strongly authenticated) or a volunteer of some city."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if requires_two_factor(user) and not is_strongly_authenticated(request):
            return coordinator_required(view)(request, *args, **kwargs)
        roles = roles_of(user)
        if not (user.is_network_admin or Role.COORDINATOR in roles or Role.VOLUNTEER in roles):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
