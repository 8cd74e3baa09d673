"""Access checks for views: who must have used a password and a second factor.

They read a person's roles per city, so they are written in ``cities.access`` (cities sits
below accounts); views and the staff sign-in import them from here.
"""

from interra.cities.access import (
    PASSWORD_SESSION_KEY,
    coordinator_required,
    is_staff_member,
    is_strongly_authenticated,
    network_admin_required,
    second_factor_if_staff,
    staff_required,
)

__all__ = [
    "PASSWORD_SESSION_KEY", "coordinator_required", "is_staff_member",
    "is_strongly_authenticated", "network_admin_required", "second_factor_if_staff",
    "staff_required",
]
