"""cities.services, called directly (as a command or the API would): the refusals hold
without the pages in front."""

import pytest

from interra.accounts import staff
from interra.cities import services
from interra.cities.models import City, Role
from interra.core.errors import Conflict, DomainError, PermissionDenied
from tests.factories import UserFactory, coordinator, member

pytestmark = pytest.mark.django_db


def test_city_create_is_a_network_admins_and_refuses_a_taken_short_name(city):
    for actor in (None, coordinator(city), member(city, Role.VOLUNTEER), UserFactory()):
        with pytest.raises(PermissionDenied):
            services.city_create(actor=actor, name="Verviers", slug="verviers",
                                 time_zone="Europe/Brussels")
    admin = UserFactory(is_network_admin=True)
    verviers = services.city_create(actor=admin, name="  Verviers ", slug="Verviers",
                                    time_zone="Europe/Brussels", languages=["ar", "ar"])
    assert (verviers.name, verviers.slug, verviers.languages) == ("Verviers", "verviers",
                                                                  ["ar"])
    assert verviers.checklist_dismissed_at is None and verviers.settings_saved_at is None
    with pytest.raises(Conflict):
        services.city_create(actor=admin, name="Autre", slug="verviers",
                             time_zone="Europe/Brussels")
    assert City.objects.filter(slug="verviers").count() == 1


def test_city_settings_only_by_its_coordinators_and_held_seats_within_the_total(
        city, other_city):
    admin = UserFactory(is_network_admin=True)
    for actor in (admin, coordinator(other_city), member(city, Role.VOLUNTEER)):
        with pytest.raises(PermissionDenied):
            services.city_settings_update(actor=actor, city=city, hold_release_hours=12)
    boss = coordinator(city)
    with pytest.raises(DomainError):
        services.city_settings_update(actor=boss, city=city, newcomer_seats_percent=70,
                                      local_seats_percent=40)
    with pytest.raises(PermissionDenied):
        services.city_checklist_dismiss(actor=coordinator(other_city), city=city)
    city.refresh_from_db()
    assert city.hold_release_hours == 48 and city.settings_saved_at is None
    services.city_settings_update(actor=boss, city=city, hold_release_hours=12)
    city.refresh_from_db()
    assert city.hold_release_hours == 12 and city.settings_saved_at is not None


def test_a_coordinator_cannot_invite_a_coordinator_nor_in_another_city(city, other_city):
    boss = coordinator(city)
    with pytest.raises(PermissionDenied):
        staff.staff_invite(actor=boss, city=city, role=Role.COORDINATOR, display_name="A",
                           email="a@example.org")
    with pytest.raises(PermissionDenied):
        staff.staff_invite(actor=boss, city=other_city, role=Role.VOLUNTEER,
                           display_name="B", email="b@example.org")
    person, link = staff.staff_invite(actor=boss, city=city, role=Role.VOLUNTEER,
                                      display_name="C", email="c@example.org")
    assert "/accounts/staff/enrol/" in link and person.memberships.get().city == city
