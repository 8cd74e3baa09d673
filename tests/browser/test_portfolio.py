"""The leader's portfolio on a phone, in their language (issue 13): Tigrinya (left to
right) and Arabic (right to left), with participants' quotes (each in its own direction)
and returning participants; no sideways scroll, no serious accessibility violation."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from interra.accounts.services import magic_link
from interra.agenda.models import Feedback
from interra.cities.models import Membership, Role
from interra.credentials import services
from tests.credentials.factories import held_sessions
from tests.factories import CityFactory, RegistrationFactory, UserFactory

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARABIC_QUOTE = "ورشة رائعة، تعلمت الكثير"
FRENCH_QUOTE = "Merci, j'ai adoré cuisiner ensemble"


def _leader_with_quotes(language, name):
    city = CityFactory(name="Liège", slug=f"liege-{language}")
    leader = UserFactory(display_name=name, preferred_language=language,
                         email=f"leader-{language}@example.org")
    Membership.objects.create(person=leader, city=city, role=Role.LEADER)
    _workshop, sessions = held_sessions(leader, 3, city=city, present=0)
    for n in range(4):  # four people came to every session: all are returning
        person = UserFactory(display_name=f"Participant {n}")
        for session in sessions:
            registration = RegistrationFactory(session=session, person=person,
                                               attended=True)
        text = (ARABIC_QUOTE, FRENCH_QUOTE, "", "")[n]
        Feedback.objects.create(registration=registration, rating=5, comment=text,
                                quote_consent=bool(text))
    quotes = list(Feedback.objects.filter(quote_consent=True).order_by("pk"))
    services.portfolio_quotes_update(person=leader, chosen=[q.pk for q in quotes],
                                     public=[quotes[0].pk])
    services.portfolio_update(person=leader, is_public=True, show_figures=True)
    return leader


def _open(page, person, url):
    page.goto(magic_link(person, next_url=url).removeprefix(settings.SITE_URL))
    page.wait_for_url(f"**{url}")


@pytest.mark.parametrize(("language", "direction", "name"), [
    ("ti", "ltr", "ሰላም ተስፋይ"),
    ("ar", "rtl", "أمل حداد"),
])
def test_the_portfolio_on_a_phone_in_the_leaders_language(new_page, language, direction,
                                                           name):
    leader = _leader_with_quotes(language, name)
    page = new_page(locale=language, phone=True)
    _open(page, leader, "/credentials/mine/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", direction)
    expect(page.locator('[data-figure="returning_participants"]')).to_have_text("4")
    # Each quote keeps its own direction, whatever the page's.
    arabic = page.locator("blockquote", has_text=ARABIC_QUOTE)
    french = page.locator("blockquote", has_text=FRENCH_QUOTE)
    expect(arabic).to_be_visible()
    assert arabic.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert french.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert page.locator("body").evaluate("el => getComputedStyle(el).direction") == direction
    for n in range(4):
        expect(page.get_by_text(f"Participant {n}")).to_have_count(0)  # quotes name nobody
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    assert axe_violations(page) == []
    page.locator("#quotes-title").evaluate("el => el.scrollIntoView()")
    screenshot(page, f"credentials-portfolio-{language}-phone")

    # The public page, as a visitor in the same language: only the public quote.
    visitor = new_page(locale=language, phone=True)
    visitor.goto(f"/credentials/p/{leader.portfolio.public_slug}/")
    expect(visitor.locator("html")).to_have_attribute("dir", direction)
    expect(visitor.locator("blockquote", has_text=ARABIC_QUOTE)).to_be_visible()
    expect(visitor.locator("blockquote", has_text=FRENCH_QUOTE)).to_have_count(0)
    expect(visitor.locator('[data-figure="returning_participants"]')).to_have_text("4")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(visitor) == []


def test_the_feedback_form_asks_for_consent_unticked_on_a_phone_in_arabic(new_page):
    leader = UserFactory(display_name="Leader", preferred_language="fr")
    _workshop, sessions = held_sessions(leader, 1, present=0)
    participant = UserFactory(display_name="Participant", preferred_language="ar")
    came = RegistrationFactory(session=sessions[0], person=participant, attended=True)
    page = new_page(locale="ar", phone=True)
    page.goto(f"/agenda/r/{came.token}/feedback/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    consent = page.locator('input[name="quote_consent"]')
    expect(consent).not_to_be_checked()
    expect(consent).to_have_attribute("aria-describedby", "quote-consent-help")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    page.locator('label[for$="_0"]').first.click()  # the first face
    page.fill('textarea[name="comment"]', ARABIC_QUOTE)
    consent.check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/agenda/r/{came.token}/")
    assert Feedback.objects.get(registration=came).quote_consent is True
