"""Every role sees every item of its menu, on a 390 px phone (after opening the menu) and
at 1280 px, in French and in Arabic: nothing hidden sideways, nothing clipped or covered.
Signing in with a link lands each person on their work."""

import pytest
from django.conf import settings

from interra.accounts.services import magic_link
from interra.cities.models import Role
from tests.factories import UserFactory, member

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = ["core:home", "agenda:list", "proposals:new"]
STAFF = ["venues:list", "venues:finder", "venues:bookings", "venues:materials",
         "proposals:board", "agenda:staff_sessions", "proposals:tasks", "cities:staff_home",
         "cities:people", "impact:dashboard", "agenda:desk", "planning:plans"]
SIGNED_IN = ["accounts:profile", "accounts:sign_out"]
EXPECTED = {
    "visitor": [*PUBLIC, "accounts:sign_in"],
    "participant": [*PUBLIC, *SIGNED_IN],
    "leader": [*PUBLIC, "agenda:leader_home", "proposals:mine", "credentials:portfolio",
               *SIGNED_IN],
    "volunteer": [*PUBLIC, "proposals:tasks", "cities:staff_home", *SIGNED_IN],
    "coordinator": [*PUBLIC, *STAFF, *SIGNED_IN],
    "network_admin": [*PUBLIC, *STAFF, "cities:audit_log", *SIGNED_IN],
    "partner": [*PUBLIC, "venues:portal", *SIGNED_IN],
}
ROLES = {"participant": Role.PARTICIPANT, "leader": Role.LEADER, "volunteer": Role.VOLUNTEER,
         "coordinator": Role.COORDINATOR, "partner": Role.PARTNER}

# Visible means: displayed, inside the viewport, and the element itself is what a tap at
# its centre reaches (not clipped by an overflow, not covered by something else).
REACHABLE_JS = """(el) => {
  const r = el.getBoundingClientRect();
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  if (r.width < 1 || r.height < 1) return "not displayed";
  if (r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5)
    return `outside the viewport: ${JSON.stringify(r)} in ${vw}x${vh}`;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  if (!hit || !(hit === el || el.contains(hit))) return "covered or clipped";
  if (r.height < 44 || r.width < 44) return `too small: ${r.width}x${r.height}`;
  return "";
}"""


def _person(role, city, language):
    if role == "network_admin":
        return UserFactory(is_network_admin=True, preferred_language=language)
    return member(city, ROLES[role], preferred_language=language)


def _open_page(new_page, live_server, role, city, *, locale, phone):
    page = new_page(locale=locale, phone=phone)
    if phone is False:
        page.set_viewport_size({"width": 1280, "height": 800})
    if role == "visitor":
        page.goto("/")
    else:
        link = magic_link(_person(role, city, locale[:2]), next_url="/")
        page.goto(link.replace(settings.SITE_URL, ""))
    return page


def _check_menu(page, role, *, phone):
    menu_button = page.locator("[data-menu-button]")
    if phone:
        assert menu_button.is_visible()
        assert menu_button.get_attribute("aria-expanded") == "false"
        assert not page.locator("#main-nav").is_visible()
        menu_button.click()
        assert menu_button.get_attribute("aria-expanded") == "true"
    else:
        assert not menu_button.is_visible()
    items = page.locator("#main-nav [data-nav]")
    names = [items.nth(i).get_attribute("data-nav") for i in range(items.count())]
    assert sorted(names) == sorted(EXPECTED[role])
    problems = {}
    for i, name in enumerate(names):
        problem = items.nth(i).evaluate(REACHABLE_JS)
        if problem:
            problems[name] = problem
    assert problems == {}


@pytest.mark.parametrize("locale", ["fr-BE", "ar"])
@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_role_reaches_every_menu_item_on_a_phone_and_at_1280(new_page, live_server, city,
                                                                    role, locale):
    for phone in (True, False):
        page = _open_page(new_page, live_server, role, city, locale=locale, phone=phone)
        assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
        _check_menu(page, role, phone=phone)
        assert axe_violations(page) == []
        if role == "leader" and phone:
            screenshot(page, f"navigation-phone-{locale[:2]}")
        if role == "coordinator" and not phone and locale == "fr-BE":
            screenshot(page, "navigation-coordinator-1280")


def test_the_menu_works_without_javascript(browser, live_server, city):
    context = browser.new_context(base_url=live_server.url, locale="fr-BE",
                                  java_script_enabled=False,
                                  viewport={"width": 390, "height": 844})
    page = context.new_page()
    leader = member(city, Role.LEADER)
    page.goto(magic_link(leader, next_url="/").replace(settings.SITE_URL, ""))
    assert not page.locator("#main-nav").is_visible()
    page.click("label[for=menu-toggle]")
    assert page.locator("#main-nav [data-nav='agenda:leader_home']").is_visible()
    context.close()


@pytest.mark.parametrize(("role", "landing"), [("leader", "/agenda/lead/"),
                                               ("volunteer", "/proposals/tasks/")])
def test_a_sign_in_link_lands_on_the_persons_work(new_page, city, role, landing):
    page = new_page(locale="ar", phone=True)
    page.goto(magic_link(member(city, ROLES[role])).replace(settings.SITE_URL, ""))
    assert page.url.endswith(landing)
