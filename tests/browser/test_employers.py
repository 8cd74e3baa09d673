"""A leader on a phone in Dari shows part of their portfolio and lets employers find
them; a verified employer finds them by skill and asks; the leader accepts sharing their
phone, and only then does the employer see it (and never the e-mail)."""

import pytest
from django.conf import settings

from interra.accounts.services import magic_link
from interra.employers.models import ContactRequest
from tests.credentials.factories import held_sessions
from tests.employers.factories import COOK, employer, findable_leader
from tests.factories import CityFactory, coordinator

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open(page, person, next_url):
    page.goto(magic_link(person, next_url=next_url).removeprefix(settings.SITE_URL))
    page.wait_for_url(f"**{next_url}")


def test_a_leader_in_dari_is_found_by_an_employer_and_shares_only_their_phone(new_page):
    city = CityFactory(name="Liège", slug="liege")
    julie = coordinator(city, email="julie@example.org")
    amira, listing = findable_leader(city, findable=False, by=julie,
                                     preferred_language="fa", display_name="Amira Haddad")
    held_sessions(amira, 3, city=city)
    organisation, marc = employer(city, display_name="Marc Lejeune",
                                  email="marc@traiteur.example")

    leader_page = new_page(locale="fa", phone=True)
    _open(leader_page, amira, "/credentials/mine/")
    assert leader_page.locator("html").get_attribute("dir") == "rtl"
    for part in ("is_public", "show_skills", "show_badges"):
        leader_page.check(f"#id_{part}")
    leader_page.locator("form:has(#id_is_public) button[type=submit]").click()
    leader_page.wait_for_url("**/credentials/mine/")
    # By keyboard: after the same page reloads, Chromium restores its scroll position
    # while Playwright aims, and the tap lands on the paragraph above.
    leader_page.locator("#id_findable").press("Space")
    assert leader_page.locator("#id_findable").is_checked()
    leader_page.locator("#employers button[type=submit]").press("Enter")
    leader_page.wait_for_url("**/credentials/mine/")
    with leader_page.expect_download() as attestation:
        leader_page.locator("form[action$='attestation.pdf'] button").press("Enter")
    assert attestation.value.suggested_filename == "interra-attestation.pdf"
    with leader_page.expect_download() as badge:
        # A link that wraps over two lines: its box's centre is not on it.
        leader_page.locator("a[href$='.png']").first.press("Enter")
    assert badge.value.suggested_filename.endswith(".png")
    assert axe_violations(leader_page) == []

    employer_page = new_page(locale="fr-BE")
    _open(employer_page, marc, "/employers/search/")
    employer_page.select_option("#id_skill", COOK)
    employer_page.locator("form.filters button[type=submit]").click()
    found = employer_page.locator(f"[data-listing='{listing.pk}']")
    assert found.count() == 1
    assert axe_violations(employer_page) == []
    screenshot(employer_page, "employers-search-fr")
    found.get_by_role("link").click()
    employer_page.wait_for_url(f"**/employers/leaders/{listing.pk}/")
    assert "+32470111222" not in employer_page.content()
    assert axe_violations(employer_page) == []
    employer_page.fill("#id_message", "Bonjour, nous cherchons une cuisinière pour un buffet.")
    employer_page.locator("form button[type=submit]").last.click()
    request = ContactRequest.objects.get()
    employer_page.wait_for_url(f"**/employers/sent/{request.pk}/")
    assert "+32470111222" not in employer_page.content()

    _open(leader_page, amira, f"/employers/requests/{request.pk}/")
    assert leader_page.locator("html").get_attribute("lang") == "fa"
    assert leader_page.locator("#channel-phone").is_checked()
    assert axe_violations(leader_page) == []
    screenshot(leader_page, "employers-request-fa-phone")
    leader_page.locator("button[value=accept]").click()
    leader_page.wait_for_url(f"**/employers/requests/{request.pk}/")

    employer_page.reload()
    shared = employer_page.locator("#shared-contact")
    assert "+32470111222" in shared.inner_text()
    assert "amira@example.org" not in employer_page.content()
    assert axe_violations(employer_page) == []
