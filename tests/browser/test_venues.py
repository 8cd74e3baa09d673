"""Partner and coordinator: a room request is confirmed in the portal and seen confirmed."""

from datetime import datetime, time

import pytest
from django.conf import settings
from django.utils import timezone

from interra.accounts.services import magic_link
from interra.cities.models import Role
from interra.venues import services
from tests.factories import (
    BACKUP_CODE,
    CityFactory,
    OpeningRuleFactory,
    PartnerFactory,
    RoomFactory,
    VenueFactory,
    WorkshopFactory,
    coordinator,
    member,
)

from .conftest import axe_violations, screenshot, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def at(hour):
    return timezone.make_aware(datetime.combine(datetime(2030, 1, 8).date(), time(hour)))


def test_partner_confirms_a_request_and_the_coordinator_sees_it(new_page):
    city = CityFactory(name="Liège", slug="liege")
    julie = coordinator(city, email="julie@example.org")
    host = member(city, Role.PARTNER, email="host@chiroux.example", display_name="Marie Host")
    partner = PartnerFactory(city=city, name="Bibliothèque des Chiroux", contacts=[host])
    room = RoomFactory(name="Salle de lecture", venue=VenueFactory(
        partner=partner, name="Bibliothèque des Chiroux", neighbourhood="Centre"))
    OpeningRuleFactory(room=room)
    workshop = WorkshopFactory(city=city, title={"fr": "Cuisine syrienne"})
    booking = services.booking_request(room=room, workshop=workshop, starts_at=at(15),
                                       ends_at=at(17), requested_by=julie)

    # The partner opens the link from their email and lands on their portal.
    partner_page = new_page(locale="fr-BE")
    link = magic_link(host, next_url="/venues/portal/").removeprefix(settings.SITE_URL)
    partner_page.goto(link)
    partner_page.wait_for_url("**/venues/portal/")
    request_card = partner_page.locator(f"#request-{booking.pk}")
    assert "Cuisine syrienne" in request_card.inner_text()
    assert axe_violations(partner_page) == []
    screenshot(partner_page, "venues-partner-portal")
    request_card.locator("textarea[name=message]").fill("Les clés sont à l'accueil.")
    request_card.locator("button[value=confirm]").click()
    partner_page.wait_for_load_state("load")
    assert partner_page.locator(f"#request-{booking.pk}").count() == 0
    assert partner_page.locator('[data-status="confirmed"]').count() == 1

    # The coordinator signs in (password, then second factor) and sees it confirmed.
    page = new_page(locale="fr-BE")
    staff_sign_in(page, julie.email, "correct-horse-battery", BACKUP_CODE, "/venues/bookings/")
    row = page.locator(f"#booking-{booking.pk}")
    assert row.locator('[data-status="confirmed"]').count() == 1
    assert "Les clés sont à l'accueil." in row.inner_text()
    assert axe_violations(page) == []
    screenshot(page, "venues-bookings")


def test_venue_list_works_as_a_list_and_shows_the_map(new_page):
    city = CityFactory(name="Liège", slug="liege")
    julie = coordinator(city, email="julie@example.org")
    VenueFactory(partner=PartnerFactory(city=city), name="Maison d'Outremeuse")
    page = new_page(locale="fr-BE")
    staff_sign_in(page, julie.email, "correct-horse-battery", BACKUP_CODE, "/venues/")
    assert page.locator("table").inner_text().count("Maison d'Outremeuse") == 1
    # Leaflet turns the hidden holder into a map (tiles may not load offline).
    page.wait_for_selector("#venue-map.leaflet-container", state="visible")
    assert page.locator(".leaflet-marker-icon").count() == 1
    assert axe_violations(page) == []
    screenshot(page, "venues-list")
