"""Reads about cities and the people in them, always scoped to what the viewer may see."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from .models import STAFF_ROLES, City, Membership, Role


def cities_for_user(user) -> QuerySet[City]:
    """Cities whose data ``user`` may see as staff: all for a network admin."""
    if not user.is_authenticated:
        return City.objects.none()
    if user.is_network_admin or user.is_superuser:
        return City.objects.all()
    return City.objects.filter(
        memberships__person=user, memberships__role__in=STAFF_ROLES
    ).distinct()


def coordinated_cities(user) -> QuerySet[City]:
    if not user.is_authenticated:
        return City.objects.none()
    if user.is_network_admin or user.is_superuser:
        return City.objects.all()
    return City.objects.filter(
        memberships__person=user, memberships__role=Role.COORDINATOR
    ).distinct()


def cities_coordinated_by_membership(user) -> QuerySet[City]:
    """Cities ``user`` is a coordinator of, by a role in that city (a network admin as
    such coordinates none: a city's settings belong to its own team)."""
    if not user.is_authenticated:
        return City.objects.none()
    return City.objects.filter(
        memberships__person=user, memberships__role=Role.COORDINATOR).distinct()


def cities_opening_for(user) -> QuerySet[City]:
    """Cities whose opening checklist ``user`` sees: theirs as coordinator, not hidden."""
    return cities_coordinated_by_membership(user).filter(checklist_dismissed_at__isnull=True)


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_interra_roles", None)
    if cached is None:
        cached = set(Membership.objects.filter(person=user).values_list("role", flat=True))
        user._interra_roles = cached
    return cached


def people_visible_to(user, *, city: City | None = None) -> QuerySet:
    """People of the cities ``user`` coordinates (a network admin: everyone)."""
    cities = coordinated_cities(user)
    if city is not None:
        cities = cities.filter(pk=city.pk)
    return (
        get_user_model().objects.filter(memberships__city__in=cities, erased_at__isnull=True)
        .distinct()
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("city"))
        )
        .order_by("display_name", "pk")
    )


def mark_visible_to(viewer, person) -> bool:
    """The newcomer/local mark is shown only to coordinators of a city the person belongs
    to (by their own doing: registering, proposing, being invited as staff); never to
    other cities, never to a network admin as such."""
    if not viewer.is_authenticated:
        return False
    coordinated = Membership.objects.filter(person=viewer, role=Role.COORDINATOR).values("city")
    return Membership.objects.filter(person=person, city__in=coordinated).exists()


def memberships_visible_to(viewer, person) -> list[Membership]:
    """``person``'s roles in the cities ``viewer`` coordinates (a network admin: all)."""
    return list(Membership.objects.filter(person=person, city__in=coordinated_cities(viewer))
                .select_related("city").order_by("city__name", "role"))
def audit_actors():
    """Staff who appear in the audit log, for the filter."""
    from django.contrib.auth import get_user_model

    return (get_user_model().objects.filter(audit_entries__isnull=False).distinct()
            .order_by("display_name"))


def audit_entries(*, actor=None, since=None, until=None):
    from interra.core.models import AuditLogEntry

    entries = AuditLogEntry.objects.select_related("actor").order_by("-at", "-pk")
    if actor is not None:
        entries = entries.filter(actor=actor)
    if since is not None:
        entries = entries.filter(at__gte=since)
    if until is not None:
        entries = entries.filter(at__lt=until)
    return entries
