"""A participant on a 390 px phone, in French and in Arabic: the seats they can take, the
waitlist that says why, past sessions, errors that take the focus and keep what was typed,
the proposal form that keeps what is typed, "Copy the link", My space and My data, and
tap targets of at least 44 px."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from interra.accounts.services import magic_link
from interra.agenda.models import Registration
from tests.factories import (
    BACKUP_CODE,
    CityFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
    coordinator,
)

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = ["fr-BE", "ar"]

# Every visible interactive element, measured where a finger lands: a checkbox or radio
# with its label (they are one target), anything else by its own box. Inline text links
# inside a sentence are allowed (WCAG 2.5.8 exception).
SMALL_TARGETS_JS = (Path(__file__).parent / "tap_targets.js").read_text()


def _path(url):
    return url.replace(settings.SITE_URL, "")


def _held_for_locals_session(**fields):
    """10 seats, 4 held for newcomers and 4 for locals until tomorrow; newcomers took
    their 4 and the 2 open seats: the 4 free seats are held for locals."""
    room = RoomFactory(venue__latitude="50.641800", venue__longitude="5.573200")
    session = SessionFactory(room=room, workshop__city=room.venue.city, capacity=10,
                             newcomer_seats_percent=40, local_seats_percent=40,
                             hold_release_at=timezone.now() + timedelta(days=1), **fields)
    for _ in range(6):
        RegistrationFactory(session=session, group="newcomer")
    return session


@pytest.mark.parametrize("locale", LOCALES)
def test_a_newcomer_sees_the_seats_they_can_take_and_why_they_wait(new_page, locale):
    session = _held_for_locals_session(workshop__title={"fr": "Cuisine du monde",
                                                        "ar": "مطبخ العالم"})
    page = new_page(locale=locale, phone=True)
    page.goto(f"/agenda/{session.pk}/")
    assert page.locator("#seats [data-group=newcomer]").get_attribute("data-available") == "0"
    assert page.locator("#seats [data-group=local]").get_attribute("data-available") == "4"
    assert page.locator("#seats .held").is_visible()
    assert page.locator("#seats").get_attribute("data-seats-left") == "4"
    # The map link is machine-read: a dot, whatever the language.
    assert "mlat=50.641800&mlon=5.573200" in page.locator("a.map-link").get_attribute("href")
    assert axe_violations(page) == []
    page.locator("#seats").scroll_into_view_if_needed()
    screenshot(page, f"session-seats-{locale[:2]}")

    page.fill("#id_name", "Amal Haddad")
    page.fill("#id_email", f"amal-{locale}@example.org")
    page.check("#id_group_0")  # newcomer: their line is highlighted
    assert "mine" in page.locator("#seats [data-group=newcomer]").get_attribute("class")
    page.check("#id_consent")
    page.click("form[action$='/register/'] button[type=submit]")
    # The answer is the same for everyone ("check your messages") and says why they wait.
    page.wait_for_url("**/registered/**")
    assert page.locator("#waitlist-reason").is_visible()
    assert page.locator("html").get_attribute("lang") == locale[:2]
    assert axe_violations(page) == []
    registration = Registration.objects.get(person__email=f"amal-{locale}@example.org")
    assert registration.status == "waitlisted"
    # The private page the message links to shows the place in the queue.
    page.goto(registration.get_absolute_url())
    page.wait_for_selector("[data-status=waitlisted]")
    assert page.locator("#waitlist-position").get_attribute("data-position") == "1"
    assert axe_violations(page) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_a_past_session_says_it_took_place_and_offers_nothing(new_page, locale):
    session = SessionFactory(starts_at=timezone.now() - timedelta(days=1))
    page = new_page(locale=locale, phone=True)
    page.goto(f"/agenda/{session.pk}/")
    assert page.locator("#took-place").is_visible()
    assert page.locator("#seats").count() == 0
    assert page.locator("[data-copy]").count() == 0
    assert page.locator("a[href$='calendar.ics']").count() == 0
    assert axe_violations(page) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_a_failed_registration_focuses_the_summary_and_keeps_what_was_typed(new_page, locale):
    session = SessionFactory()
    page = new_page(locale=locale, phone=True)
    page.goto(f"/agenda/{session.pk}/")
    page.fill("#id_name", "Olena Kovalenko")
    page.fill("#id_phone", "0470 12 34 56")
    page.check("#id_group_1")
    page.click("form[action$='/register/'] button[type=submit]")  # no consent
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.locator("#error-summary a[href='#id_consent']").count() == 1
    assert page.input_value("#id_name") == "Olena Kovalenko"
    assert page.input_value("#id_phone") == "0470 12 34 56"
    assert page.is_checked("#id_group_1")
    page.click("#error-summary a[href='#id_consent']")
    assert page.url.endswith("#id_consent")
    assert axe_violations(page) == []


def test_the_sign_in_form_focuses_its_error_summary(new_page):
    page = new_page(locale="ar", phone=True)
    page.goto("/accounts/sign-in/")
    page.click("main button[type=submit]")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_proposal_form_keeps_what_is_typed_across_a_reload(new_page, locale):
    CityFactory(name="Liège", slug="liege", neighbourhoods=["Centre"])
    page = new_page(locale=locale, phone=True)
    page.goto("/proposals/new/")
    page.fill("#id_display_name", "Amira Haddad")
    page.fill("#id_phone", "0470 11 22 33")
    page.reload()  # step 1, typed but not sent
    assert page.input_value("#id_display_name") == "Amira Haddad"
    assert page.input_value("#id_phone") == "0470 11 22 33"
    page.locator("#field-spoken_languages input[value=ar]").check()
    page.click("#proposal-next")
    assert page.locator("#proposal-form").get_attribute("data-step") == "2"
    page.click("label.theme:has(input[value=cooking])")
    page.fill("#id_title", "مطبخ سوري عائلي")
    page.fill("#id_description", "نطبخ معاً أطباقاً من حلب.")
    page.reload()  # the connection dropped on step 2
    assert page.input_value("#id_title") == "مطبخ سوري عائلي"
    assert page.input_value("#id_description") == "نطبخ معاً أطباقاً من حلب."
    assert page.is_checked("input[name=theme][value=cooking]")
    # Failed submit on step 2: the summary takes the focus, what was typed stays.
    page.fill("#id_title", "")
    page.click("#proposal-next")
    page.wait_for_selector("#form-errors")
    assert page.evaluate("document.activeElement.id") == "form-errors"
    assert page.input_value("#id_description") == "نطبخ معاً أطباقاً من حلب."
    page.fill("#id_title", "مطبخ سوري عائلي")
    page.click("#proposal-next")
    assert page.locator("#proposal-form").get_attribute("data-step") == "3"
    page.click("#proposal-submit")
    page.locator("#proposal-sent").wait_for()
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('interra:'))"
                         ) == []


def test_copy_the_link_says_it_is_copied(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-BE",
                                  viewport={"width": 390, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    session = SessionFactory()
    page.goto(f"/agenda/{session.pk}/")
    page.click("[data-copy]")
    status = page.locator("[data-copy-status]")
    assert status.get_attribute("aria-live") == "polite"
    expect(status).not_to_be_empty()
    assert status.text_content() == page.locator("[data-copy]").get_attribute("data-copied")
    assert page.evaluate("navigator.clipboard.readText()").endswith(f"/agenda/{session.pk}/")
    context.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_my_space_and_my_data_on_a_phone(new_page, locale):
    person = UserFactory(preferred_language=locale[:2])
    upcoming = RegistrationFactory(person=person)
    past = RegistrationFactory(person=person, session=SessionFactory(
        starts_at=timezone.now() - timedelta(days=5)))
    page = new_page(locale=locale, phone=True)
    page.goto(_path(magic_link(person, next_url="/accounts/me/")))
    assert page.locator(f"#my-registrations a[href='{upcoming.get_absolute_url()}']").is_visible()
    assert page.locator(f"#my-registrations a[href='{past.get_absolute_url()}']").is_visible()
    assert axe_violations(page) == []
    page.click(f"#my-registrations a[href='{past.get_absolute_url()}']")
    assert page.locator("#took-place").is_visible()
    assert page.locator("[data-action=cancel]").count() == 0

    page.goto("/accounts/me/data/")
    assert page.locator("[data-section=person] dl").is_visible()
    assert page.locator("[data-section=registrations] li").count() == 2
    assert page.locator("pre").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("a[href='?format=json']").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_tap_targets_are_at_least_44_px_on_a_phone(new_page, live_server, locale):
    session = _held_for_locals_session()
    registration = RegistrationFactory(session=session, group="local",
                                       person__preferred_language=locale[:2])
    CityFactory(name="Namur", slug="namur", neighbourhoods=["Centre"])
    page = new_page(locale=locale, phone=True)
    pages = ["/", "/agenda/", "/agenda/?view=week", f"/agenda/{session.pk}/",
             registration.get_absolute_url(), "/proposals/new/", "/accounts/sign-in/"]
    problems = {}
    for path in pages:
        page.goto(path)
        small = page.evaluate(SMALL_TARGETS_JS)
        assert isinstance(small, list)
        if small:
            problems[path] = small
    # A coordinator's task buttons, on a phone too.
    boss = coordinator(session.city, email=f"boss-{locale}@example.org")
    page.goto("/accounts/staff/sign-in/?next=/proposals/tasks/")
    page.fill("#id_identifier", boss.email)
    page.fill("#id_password", "correct-horse-battery")
    page.fill("#id_token", BACKUP_CODE)  # one page: password and second factor
    page.click("main button[type=submit]")
    page.wait_for_url("**/proposals/tasks/")
    small = page.evaluate(SMALL_TARGETS_JS)
    assert isinstance(small, list)
    if small:
        problems["/proposals/tasks/"] = small
    # The measure itself finds a small target when there is one.
    page.evaluate("document.querySelector('main').insertAdjacentHTML('afterbegin', "
                  "'<p><button id=tiny style=\"min-height:0;padding:0\">x</button></p>')")
    assert any("#tiny" in item for item in page.evaluate(SMALL_TARGETS_JS))
    assert problems == {}


@pytest.mark.parametrize("locale", ["ti", "ar"])
def test_a_long_title_never_runs_under_the_listen_button(new_page, locale):
    title = {"ti": "ናይ ሓባር ምግቢ ምድላው ምስ ጎረባብቲ ካብ ኤርትራን ኢትዮጵያን ሶርያን ንዝመጹ ሰባት",
             "ar": "ورشة طبخ مشتركة مع الجيران القادمين من سوريا وإريتريا وأفغانستان وأوكرانيا"}
    session = SessionFactory(workshop__title={"fr": "Cuisine partagée", locale: title[locale]})
    page = new_page(locale=locale, phone=True)
    page.goto(f"/agenda/{session.pk}/")
    button = page.locator("[data-listen]")
    button.wait_for(state="visible")
    heading = page.locator("main h1").first
    b, h = button.bounding_box(), heading.bounding_box()
    # The button sits on its own line above the title: no overlap, whatever the script.
    assert b["y"] + b["height"] <= h["y"] + 1, (b, h)
