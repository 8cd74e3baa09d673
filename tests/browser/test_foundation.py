"""First journey: the home page in French and Arabic, switching language, accessibility."""

import pytest

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_in_french_then_arabic_through_the_switcher(new_page):
    page = new_page(locale="fr-BE", phone=True)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert axe_violations(page) == []
    screenshot(page, "home-fr-phone")

    # The switcher works without JavaScript (a form) and submits on change with it.
    with page.expect_navigation():
        page.select_option("#language-select", "ar")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert axe_violations(page) == []
    screenshot(page, "home-ar-phone")
    # Right-to-left layout: the brand sits at the right edge.
    box = page.locator(".brand").bounding_box()
    assert box["x"] > 390 / 2 - box["width"]


def test_first_visit_language_comes_from_the_browser(new_page):
    page = new_page(locale="uk-UA")
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "uk"


def test_listen_button_appears_with_speech_synthesis(new_page):
    page = new_page(locale="fr-BE")
    page.goto("/")
    has_speech = page.evaluate("'speechSynthesis' in window")
    assert page.locator("[data-listen]").is_visible() == has_speech


def test_sign_in_page_is_accessible_in_arabic(new_page):
    page = new_page(locale="ar")
    page.goto("/accounts/sign-in/")
    assert axe_violations(page) == []
    page.fill("#id_identifier", "nobody@example.org")
    page.click("main button[type=submit]")
    assert page.locator("h1").count() == 1


def test_desktop_home_screenshot(new_page):
    page = new_page(locale="fr-BE")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    screenshot(page, "home-fr-desktop")


def test_phone_pages_do_not_scroll_sideways(new_page):
    page = new_page(locale="ar", phone=True)
    page.goto("/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
