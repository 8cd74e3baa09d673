"""The agenda widget on a partner's website: a plain HTML page served from another origin
(127.0.0.1 on its own port, while the platform is on localhost) with the snippet a
partner copies from their portal, in French and in right-to-left Arabic."""

import re
import threading
from datetime import timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interra.accounts.services import magic_link
from interra.agenda import widget
from interra.cities.models import Role
from tests.factories import CityFactory, PartnerFactory, RegistrationFactory, SessionFactory, member

from .conftest import SCREENSHOTS, axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOST_PAGE = """<!doctype html>
<html lang="{lang}" dir="{dir}">
<head><meta charset="utf-8"><title>{title}</title>
<style>
  body {{ font-family: Georgia, serif; margin: 2rem; color: #222; background: #f4f1ea; }}
  interra-agenda {{ --interra-agenda-accent: #00573f; --interra-agenda-card: #fff;
                    --interra-agenda-font: system-ui, sans-serif; max-width: 36rem; }}
</style></head>
<body><main><h1>{title}</h1>
{snippet}
</main></body></html>
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def partner_site(tmp_path, live_server, settings):
    """A partner's static website on another origin, with the snippets of the portal."""
    settings.SITE_URL = live_server.url  # where the snippet and the session links point
    snippet_fr = widget.snippet(city="liege", language="fr", limit=5)
    pages = {
        # The French page does not say lang= on the element: it follows the page's.
        "fr.html": HOST_PAGE.format(lang="fr", dir="ltr", title="Maison des jeunes",
                                    snippet=snippet_fr.replace(' lang="fr"', "")),
        "ar.html": HOST_PAGE.format(lang="ar", dir="rtl", title="دار الشباب",
                                    snippet=widget.snippet(city="liege", language="ar")),
    }
    for name, html in pages.items():
        (tmp_path / name).write_text(html, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def sessions(db):
    city = CityFactory(name="Liège", slug="liege")
    evening = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
    first = SessionFactory(workshop__city=city, capacity=1, newcomer_seats_percent=0,
                           local_seats_percent=0, starts_at=evening + timedelta(days=2),
                           workshop__title={"fr": "Cuisine syrienne", "ar": "طبخ سوري"})
    RegistrationFactory(session=first)  # full: the waitlist
    second = SessionFactory(workshop__city=city, capacity=12, newcomer_seats_percent=0,
                            local_seats_percent=0, starts_at=evening + timedelta(days=5),
                            workshop__title={"fr": "Chorale du monde", "ar": "جوقة العالم"})
    SessionFactory(workshop__city=CityFactory(slug="namur"), workshop__title={"fr": "Namur"})
    return first, second


def _context(browser, locale):
    return browser.new_context(locale=locale, extra_http_headers={"Accept-Language": locale})


def _widget_requests(page):
    requests = []
    page.on("request", lambda request: requests.append(request)
            if "/api/v1/sessions/widget" in request.url else None)
    return requests


def test_the_widget_on_a_partner_page_in_french(browser, partner_site, live_server, sessions):
    first, second = sessions
    context = _context(browser, "fr-BE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    requests = _widget_requests(page)
    page.goto(f"{partner_site}/fr.html")
    items = page.locator("interra-agenda li")
    items.first.wait_for()
    assert items.count() == 2  # Liège's sessions only, soonest first
    assert items.nth(0).locator(".title").inner_text() == "Cuisine syrienne"
    assert items.nth(1).locator(".title").inner_text() == "Chorale du monde"
    assert "liste d’attente" in items.nth(0).inner_text()
    assert "12 places restantes" in items.nth(1).inner_text()
    section = page.locator("interra-agenda section")
    assert (section.get_attribute("lang"), section.get_attribute("dir")) == ("fr", "ltr")
    assert page.locator("interra-agenda h2").inner_text() == "Séances à venir"
    # Dates in French, in Liège's time, by the browser's own Intl.
    when = items.nth(1).locator("time")
    assert when.get_attribute("datetime").startswith(second.starts_at.date().isoformat()[:4])
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]
    local = timezone.localtime(second.starts_at)
    assert months[local.month - 1] in when.inner_text()
    assert "18:00" in when.inner_text()
    # The register links name their session; the plain link waits in the light DOM.
    register = items.nth(1).get_by_role("link", name=re.compile("^S’inscrire"))
    assert "Chorale du monde" in register.evaluate("a => a.textContent")
    assert register.get_attribute("href") == f"{live_server.url}/agenda/{second.pk}/"
    assert page.locator("interra-agenda > a").get_attribute("href") == (
        f"{live_server.url}/agenda/?city=liege")
    # Accent colour from the host page's custom property; focus is visible.
    assert register.evaluate("a => getComputedStyle(a).backgroundColor") == "rgb(0, 87, 63)"
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
        const inner = document.activeElement.shadowRoot.activeElement;
        return [inner.textContent, getComputedStyle(inner).outlineStyle,
                getComputedStyle(inner).outlineWidth];
    }""")
    assert focused[0].startswith("S’inscrire") and focused[1] == "solid"
    assert focused[2] == "3px"

    assert axe_violations(page) == []
    screenshot(page, "widget-fr")
    # No cookie for any origin, and the request to the platform carried none.
    assert context.cookies() == []
    assert page.evaluate("document.cookie") == ""
    assert [r.method for r in requests] == ["GET"]
    assert "cookie" not in requests[0].all_headers()
    assert "lang=fr" in requests[0].url

    # Registering opens the platform's page of the session.
    register.click()
    page.wait_for_url(f"{live_server.url}/agenda/{second.pk}/")
    assert page.locator("h1").inner_text() == "Chorale du monde"
    context.close()


def test_the_widget_in_arabic_right_to_left_without_cookies(browser, partner_site,
                                                             live_server, sessions):
    first, _second = sessions
    context = _context(browser, "ar")
    # Someone who once visited the platform: the widget still sends no cookie.
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    requests = _widget_requests(page)
    page.goto(f"{partner_site}/ar.html")
    items = page.locator("interra-agenda li")
    items.first.wait_for()
    assert items.count() == 2
    section = page.locator("interra-agenda section")
    assert section.get_attribute("lang") == "ar"
    assert section.evaluate("s => getComputedStyle(s).direction") == "rtl"
    assert items.nth(0).locator(".title").inner_text() == "طبخ سوري"
    text = items.nth(0).inner_text()
    assert "Register" not in text and "S’inscrire" not in text
    assert re.search("[\u0600-\u06ff]", page.locator("interra-agenda h2").inner_text())
    when = items.nth(0).locator("time").inner_text()
    assert re.search("[\u0600-\u06ff]", when) and not re.search("[A-Za-z]", when)
    assert "18:00" in when or "١٨:٠٠" in when  # the 24-hour clock of the platform
    # In RTL the register button sits at the right of its card.
    card, button = items.nth(0).bounding_box(), items.nth(0).locator(".register").bounding_box()
    assert button["x"] + button["width"] > card["x"] + card["width"] - 40
    assert axe_violations(page) == []
    screenshot(page, "widget-ar")

    assert "cookie" not in requests[0].all_headers()
    assert [c["name"] for c in context.cookies()] == ["django_language"]  # nothing added
    register = items.nth(0).locator(".register")
    assert register.get_attribute("href") == f"{live_server.url}/agenda/{first.pk}/"
    context.close()


def test_the_plain_link_stays_when_the_platform_cannot_be_reached(browser, partner_site):
    context = _context(browser, "fr-BE")
    context.route("**/api/v1/sessions/widget*", lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{partner_site}/fr.html")
    link = page.get_by_role("link", name="Interra · Agenda")
    link.wait_for()
    assert link.is_visible()
    assert page.locator("interra-agenda li").count() == 0
    context.close()


def test_a_partner_copies_the_code_from_their_portal(new_page, live_server, settings,
                                                      sessions):
    settings.SITE_URL = live_server.url
    first, _second = sessions
    host = member(first.city, Role.PARTNER, email="host@mj.example", preferred_language="fr")
    PartnerFactory(city=first.city, contacts=[host])
    page = new_page(locale="fr-BE")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(magic_link(host, next_url="/venues/portal/"))
    page.wait_for_url("**/venues/portal/")
    page.select_option("#widget-language", "ar")
    page.click("#widget button[type=submit]")
    page.wait_for_url("**/venues/portal/?city=liege&language=ar#widget")
    # The preview is the widget itself, in Arabic, right to left.
    preview = page.locator("#widget interra-agenda li")
    preview.first.wait_for()
    assert preview.first.locator(".title").inner_text() == "طبخ سوري"
    assert page.locator("#widget interra-agenda section").evaluate(
        "s => getComputedStyle(s).direction") == "rtl"
    copy = page.locator("#widget button[data-copy]")
    copy.click()
    expect(page.locator("[data-copy-status]")).not_to_be_empty()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#widget-code").input_value()
    assert copied.startswith('<interra-agenda city="liege" lang="ar" limit="5">')
    assert f'<script src="{live_server.url}/static/agenda/widget.js" async>' in copied
    assert axe_violations(page) == []
    page.locator("#widget").screenshot(path=str(SCREENSHOTS / "widget-portal.png"))
