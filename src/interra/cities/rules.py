"""Object permissions (django-rules): a coordinator acts within their cities only."""

import rules

from .models import STAFF_ROLES, Membership, Role


@rules.predicate
def is_network_admin(user):
    return bool(user.is_authenticated and (user.is_network_admin or user.is_superuser))


@rules.predicate
def coordinates_city(user, city):
    if city is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(person=user, city=city, role=Role.COORDINATOR).exists()


@rules.predicate
def is_staff_of_city(user, city):
    if city is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(person=user, city=city, role__in=STAFF_ROLES).exists()


@rules.predicate
def coordinates_person(user, person):
    """The person holds a role in a city that ``user`` coordinates."""
    if person is None or not user.is_authenticated:
        return False
    coordinated = Membership.objects.filter(person=user, role=Role.COORDINATOR).values("city")
    return Membership.objects.filter(person=person, city__in=coordinated).exists()


@rules.predicate
def is_self(user, person):
    return bool(user.is_authenticated and person is not None and user.pk == person.pk)


@rules.predicate
def is_any_coordinator(user):
    return bool(
        user.is_authenticated
        and Membership.objects.filter(person=user, role=Role.COORDINATOR).exists()
    )


rules.add_perm("cities.coordinate_city", is_network_admin | coordinates_city)
rules.add_perm("cities.work_in_city", is_network_admin | is_staff_of_city)
rules.add_perm("accounts.view_person", is_self | is_network_admin | coordinates_person)
rules.add_perm("accounts.view_people", is_network_admin | is_any_coordinator)
