"""The network's views in a browser: the network admin's cities side by side (desktop and
phone, French and right-to-left Arabic: the table scrolls inside its box, the page never
sideways; axe-core finds nothing serious), and the agenda of every city with its
WhatsApp links.

Saves docs/screenshots/impact-cities.png (French, desktop).
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import PHONE, SCREENSHOTS, axe_violations, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
ADMIN = ("admin@interra.example", "demo-admin")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_cities_side_by_side_reads_well(browser, live_server, language):
    call_command("seed_demo", verbosity=0)
    problems = []
    for number, (label, options) in enumerate((("desktop", DESKTOP), ("phone", PHONE)), 1):
        context = browser.new_context(base_url=live_server.url,
                                      locale="ar" if language == "ar" else "fr-BE", **options)
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                              "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        staff_sign_in(page, *ADMIN, str(number) * 8, "/impact/")
        page.click("a[href^='/impact/cities/']")
        page.wait_for_url("**/impact/cities/**")
        table = page.locator("table.impact-cities")
        expect(table.locator("thead th[data-city]")).to_have_count(3)  # Liège, Namur, all
        expect(table.locator("thead th[data-city=liege]")).to_have_text("Liège")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append((language, label, f"scrolls sideways by {overflow}px"))
        violations = axe_violations(page)
        if violations:
            problems.append((language, label, violations))
        csv = page.request.get(page.get_attribute("a[href^='/impact/cities.csv']", "href"))
        assert csv.status == 200 and "Liège" in csv.text()
        if language == "fr" and label == "desktop":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "impact-cities.png"), full_page=True)
        context.close()
    assert problems == []


def test_network_agenda_names_cities_and_shares_on_whatsapp(new_page, live_server):
    call_command("seed_demo", verbosity=0)
    page = new_page(phone=True)
    page.goto("/agenda/")
    cards = page.locator("li.session-card")
    expect(cards.first).to_be_visible()
    # The demo's sessions are in Liège; Namur is a city of the filter: every card names it.
    expect(page.locator("li.session-card .city", has_text="Liège").first).to_be_visible()
    share = cards.first.locator("a.share-whatsapp")
    assert share.get_attribute("href").startswith("https://wa.me/?text=")
    assert axe_violations(page) == []
    page.goto("/agenda/?city=liege")
    expect(page.locator("li.session-card .city").first).to_be_hidden()
    page.locator("li.session-card a").first.click()
    expect(page.locator("p.ask-whatsapp a")).to_be_visible()
    assert page.get_attribute("p.ask-whatsapp a", "href").startswith(
        "https://wa.me/32400000000?text=")  # Liège's demo number
