"""A trusted leader books their next session on a phone in a few taps; an untrusted one
has no way to."""

import time as clock

import pytest
from django.conf import settings

from interra.accounts.services import magic_link
from interra.autonomy import services
from interra.cities.models import Role
from interra.venues.models import Booking
from tests.autonomy.factories import evening_room, seasoned_workshop
from tests.factories import CityFactory, UserFactory, coordinator, member

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_space(page, person, next_url="/agenda/lead/"):
    page.goto(magic_link(person, next_url=next_url).removeprefix(settings.SITE_URL))
    page.wait_for_url(f"**{next_url}")


def test_a_trusted_leader_schedules_the_next_session_on_a_phone(new_page):
    city = CityFactory(name="Liège", slug="liege")
    host = member(city, Role.PARTNER, email="host@chiroux.example")
    room = evening_room(city, contact=host, name="Cuisine")
    leader = UserFactory(display_name="Amina Diallo", preferred_language="fr")
    workshop = seasoned_workshop(city, leader=leader, title={"fr": "Cuisine syrienne"})
    julie = coordinator(city, email="julie@example.org")
    services.leader_trust_grant(leader=leader, city=city, by=julie)

    page = new_page(locale="fr-BE", phone=True)
    began = clock.monotonic()
    taps = 0
    _open_space(page, leader)  # the link from the message that says they are trusted
    page.locator("#plan-next").get_by_role("link", name="Cuisine syrienne").click()
    taps += 1
    page.wait_for_url(f"**/autonomy/workshops/{workshop.pk}/next/")
    slots = page.locator("button.slot")
    assert slots.count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    assert axe_violations(page) == []
    screenshot(page, "autonomy-leader-slots-phone")
    chosen = slots.first.get_attribute("data-slot")
    slots.first.click()
    taps += 1
    page.wait_for_url("**/agenda/lead/")
    seconds = clock.monotonic() - began
    assert page.get_by_role("status").count() + page.locator(".messages").count() >= 1
    assert seconds < 60 and taps <= 3, (seconds, taps)
    print(f"trusted leader booked in {seconds:.1f} s and {taps} taps")

    booking = Booking.objects.get()
    assert booking.requested_by == leader and booking.room == room
    assert f"{room.pk}|{booking.starts_at.isoformat()}".split("|")[0] == chosen.split("|")[0]
    assert booking.status == Booking.Status.REQUESTED


def test_an_untrusted_leader_cannot_schedule_on_a_phone(new_page):
    city = CityFactory(name="Liège", slug="liege")
    evening_room(city)
    leader = UserFactory(display_name="Rania Haddad")
    workshop = seasoned_workshop(city, leader=leader, title={"fr": "Calligraphie"})
    page = new_page(locale="fr-BE", phone=True)
    _open_space(page, leader)
    assert page.locator('a[href*="/autonomy/"]').count() == 0
    response = page.goto(f"/autonomy/workshops/{workshop.pk}/next/")
    assert response.status == 404
    assert page.locator("button.slot").count() == 0
    assert not Booking.objects.exists()
