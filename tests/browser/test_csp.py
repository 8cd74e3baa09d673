"""Under the Content-Security-Policy, the key pages raise no violation in Chromium, and
what their scripts do still works: the language switcher, "Copy the link", htmx
attendance, the Leaflet map (tiles answered locally: no network in tests)."""

import base64

import pytest
from django.conf import settings
from playwright.sync_api import expect

from interra.accounts.services import magic_link
from tests.factories import (
    BACKUP_CODE,
    CityFactory,
    PartnerFactory,
    RegistrationFactory,
    SessionFactory,
    VenueFactory,
    coordinator,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects what the browser refused, from before the page's first script runs.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " "
                           + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def _watched(page):
    """Record console errors, page errors and CSP violations of ``page``."""
    problems = []
    page.on("console", lambda m: problems.append(f"console: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"error: {e}"))
    page.add_init_script(WATCH)
    page.route("https://tile.openstreetmap.org/**",
               lambda route: route.fulfill(status=200, content_type="image/png", body=TILE))
    return problems


def _check(page, problems, where):
    page.wait_for_load_state("load")
    violations = page.evaluate("window.__violations")
    assert violations == [], f"{where}: {violations}"
    assert problems == [], f"{where}: {problems}"
    # interra.js ran (it marks the document), so our static scripts are allowed.
    assert page.evaluate("document.documentElement.classList.contains('js')"), where


def _path(url: str) -> str:
    return url.removeprefix(settings.SITE_URL)


def test_public_pages_raise_no_violation_and_their_scripts_work(new_page):
    session = SessionFactory(workshop__city=CityFactory(name="Liège", slug="liege"))
    page = new_page(locale="fr-BE")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    problems = _watched(page)
    for path in ("/", "/agenda/", "/agenda/?view=week", "/proposals/new/",
                 "/accounts/sign-in/", "/privacy/"):
        page.goto(path)
        _check(page, problems, path)

    page.goto(f"/agenda/{session.pk}/")
    _check(page, problems, "session page")
    copy = page.locator("button[data-copy]")
    copy.click()
    assert page.evaluate("navigator.clipboard.readText()") == copy.get_attribute("data-copy")
    if page.evaluate("'speechSynthesis' in window"):
        assert page.locator("button[data-listen]").is_visible()
    # The language switcher submits itself on change (a script, no inline handler).
    page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _check(page, problems, "after switching language")


def test_htmx_attendance_works_under_the_policy(new_page):
    session = SessionFactory()
    RegistrationFactory(session=session, person__display_name="Amira Haddad")
    page = new_page(locale="fr-BE", phone=True)
    problems = _watched(page)
    page.goto(_path(magic_link(session.workshop.leader,
                               next_url=f"/agenda/lead/{session.pk}/")))
    page.locator("button[data-name='Amira']").click()
    page.wait_for_selector("button[data-name='Amira'][aria-pressed=true]")
    _check(page, problems, "leader's attendance")


def test_staff_pages_and_the_map_raise_no_violation(new_page):
    city = CityFactory(name="Liège", slug="liege")
    julie = coordinator(city, email="julie@example.org")
    VenueFactory(partner=PartnerFactory(city=city), name="Maison d'Outremeuse")
    page = new_page(locale="fr-BE")
    problems = _watched(page)
    page.goto("/accounts/staff/sign-in/?next=/venues/")
    page.fill("input[name=identifier]", julie.email)
    page.fill("input[name=password]", "correct-horse-battery")
    page.fill("input[name=token]", BACKUP_CODE)  # one page: password and second factor
    page.press("input[name=token]", "Enter")
    page.wait_for_url("**/venues/")
    page.wait_for_selector("#venue-map.leaflet-container", state="visible")
    page.wait_for_selector(".leaflet-tile-loaded")  # a tile, allowed by img-src
    assert page.locator(".leaflet-marker-icon").count() == 1
    _check(page, problems, "venues map")
    for path in ("/proposals/board/", "/proposals/tasks/", "/agenda/staff/",
                 f"/impact/?city={city.slug}", "/accounts/me/"):
        page.goto(path)
        _check(page, problems, path)
