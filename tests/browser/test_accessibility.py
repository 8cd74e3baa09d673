"""Every role's main pages on the Liège demo, in French and right-to-left Arabic: axe-core
(no serious or critical violation), one <h1>, a name for every form control, and no
sideways scrolling on a phone. Staff pages are checked on a phone and on a desktop.

One test per language: it seeds the demo once, signs each role in once (one browser
context per role and viewport) and collects every problem before asserting, so that a
failure lists all the pages that need work.
"""

import pprint
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from interra.accounts.models import User
from interra.accounts.services import magic_link
from interra.agenda.models import Registration, Session
from interra.cities.models import City
from interra.proposals.models import Proposal, Task
from interra.venues.models import Booking, Partner

from .conftest import axe_violations, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
COORDINATOR = ("julie@interra.example", "demo-coordinator")

# The accessible name of every rendered form control, computed by axe-core itself; the
# controls folded in a <details> are checked too (opened first).
UNNAMED_CONTROLS = """() => {
    document.querySelectorAll("details:not([open])").forEach((d) => { d.open = true; });
    axe.setup(document);
    const unnamed = [];
    const controls = document.querySelectorAll(
        "input:not([type=hidden]), select, textarea, button, [role=button], [role=checkbox],"
        + " [role=radio], [role=switch], [role=combobox], [role=textbox], [role=searchbox]");
    for (const el of controls) {
        if (!el.checkVisibility()) continue;  // not rendered
        const name = axe.commons.text.accessibleTextVirtual(axe.utils.getNodeFromTree(el));
        if (!name.trim()) unnamed.push(el.outerHTML.slice(0, 160));
    }
    axe.teardown();
    return unnamed;
}"""


# Ids must be unique; a drawing is either hidden from screen readers or one named image.
MARKUP_PROBLEMS = """() => {
    const problems = [];
    const seen = new Set();
    for (const el of document.querySelectorAll("[id]")) {
        if (seen.has(el.id)) problems.push(`duplicate id ${el.id}`);
        seen.add(el.id);
    }
    for (const svg of document.querySelectorAll("svg")) {
        if (svg.parentElement.closest("svg, [aria-hidden=true]")) continue;
        if (svg.getAttribute("aria-hidden") === "true") continue;
        const name = (svg.getAttribute("aria-label") || "").trim()
            || (svg.getAttribute("aria-labelledby") || "").trim()
            || (svg.querySelector(":scope > title")?.textContent || "").trim();
        if (svg.getAttribute("role") !== "img" || !name) {
            problems.push(`svg without role=img and a name: ${svg.outerHTML.slice(0, 120)}`);
        }
    }
    return [...new Set(problems)];
}"""


def _path(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


class Checker:
    def __init__(self, language):
        self.language = language
        self.problems = []
        self.visited = 0

    def check(self, page, label, url=None, *, phone=True):
        if url is not None:
            response = page.goto(url)
            if response is None or response.status != 200:
                self.problems.append((label, f"HTTP {response and response.status} for {url}"))
                return
        self.visited += 1
        where = f"{label} [{self.language}, {'phone' if phone else 'desktop'}] {page.url}"
        lang = page.locator("html").get_attribute("lang")
        if lang != self.language:
            self.problems.append((where, f"<html lang={lang!r}>"))
        if self.language == "ar" and page.locator("html").get_attribute("dir") != "rtl":
            self.problems.append((where, "not right-to-left"))
        violations = axe_violations(page)
        if violations:
            self.problems.append((where, violations))
        headings = page.locator("h1").count()
        if headings != 1:
            self.problems.append((where, f"{headings} <h1>"))
        if phone:  # as the page comes, and below with every <details> open
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                self.problems.append((where, f"scrolls sideways by {overflow}px"))
        markup = page.evaluate(MARKUP_PROBLEMS)
        if markup:
            self.problems.append((where, markup))
        unnamed = page.evaluate(UNNAMED_CONTROLS)
        if unnamed:
            self.problems.append((where, {"controls without a name": unnamed}))
        if phone:
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                self.problems.append((where, f"details open: scrolls sideways by {overflow}px"))


def _context_page(new_page, base_url, locale, language, *, phone):
    page = new_page(locale=locale, phone=phone)
    # The language cookie is what the switcher sets; it wins over a person's preference.
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                               "url": base_url}])
    return page


def _staff_sign_in(page, code):
    staff_sign_in(page, COORDINATOR[0], COORDINATOR[1], code, "/proposals/board/")


@pytest.mark.parametrize(("locale", "language"), [("fr-BE", "fr"), ("ar", "ar")])
def test_every_role_main_pages_are_accessible(new_page, live_server, locale, language):
    call_command("seed_demo", verbosity=0)
    now = timezone.now()
    julie = User.objects.get(email=COORDINATOR[0])
    liege = City.objects.get(slug="liege")
    upcoming = (Session.objects.filter(starts_at__gte=now, city__slug="liege")
                .exclude(status=Session.Status.CANCELLED).order_by("starts_at").first())
    led = (Session.objects.filter(starts_at__gte=now - timedelta(days=14),
                                  city__slug="liege", registrations__isnull=False)
           .exclude(status=Session.Status.CANCELLED).order_by("starts_at").first())
    leader = led.workshop.leader
    participant = (Registration.objects.filter(session__city__slug="liege")
                   .exclude(person__isnull=True).order_by("pk").first().person)
    volunteer = (Task.objects.filter(assignee__isnull=False).exclude(assignee=julie)
                 .order_by("pk").first().assignee)
    partner = (Partner.objects.filter(venues__rooms__bookings__status=Booking.Status.REQUESTED)
               .distinct().first() or Partner.objects.first())
    contact = partner.contacts.first()
    proposal = Proposal.objects.filter(city__slug="liege").order_by("pk").first()
    checker = Checker(language)

    def signed_in(person, next_url):
        page = _context_page(new_page, live_server.url, locale, language, phone=True)
        page.goto(_path(magic_link(person, next_url=next_url)))
        return page

    # Public, on a phone.
    page = _context_page(new_page, live_server.url, locale, language, phone=True)
    checker.check(page, "home", "/")
    checker.check(page, "agenda list", "/agenda/")
    checker.check(page, "agenda week", "/agenda/?view=week")
    checker.check(page, "session", f"/agenda/{upcoming.pk}/")
    checker.check(page, "privacy", "/privacy/")
    checker.check(page, "sign-in", "/accounts/sign-in/")
    checker.check(page, "proposal screen 1", "/proposals/new/")
    page.fill("#id_display_name", "أميرة حداد")
    page.fill("#id_phone", "0470 12 34 56")
    page.check(f"input[name=city][value='{liege.pk}']")
    page.click("#proposal-next")
    page.wait_for_selector("#id_title")
    checker.check(page, "proposal screen 2")
    page.click("label.theme:has(input[value=music])")
    page.fill("#id_title", "Chorale")
    page.click("#proposal-next")
    page.wait_for_selector("#proposal-submit")
    checker.check(page, "proposal screen 3")

    # Participant.
    page = signed_in(participant, "/accounts/me/")
    checker.check(page, "profile")
    checker.check(page, "my data", "/accounts/me/data/")

    # Leader.
    page = signed_in(leader, "/proposals/mine/")
    checker.check(page, "leader space")
    checker.check(page, "leader sessions", "/agenda/lead/")
    checker.check(page, "leader attendance", f"/agenda/lead/{led.pk}/")

    # Volunteer: password and second factor, like every staff member.
    page = _context_page(new_page, live_server.url, locale, language, phone=True)
    staff_sign_in(page, volunteer.email, "demo-volunteer", "33333333", "/proposals/tasks/")
    checker.check(page, "volunteer tasks")

    # Partner portal.
    page = signed_in(contact, "/venues/portal/")
    checker.check(page, "partner portal")

    # Coordinator, on a phone and on a desktop.
    staff_pages = [
        ("board", "/proposals/board/"),
        ("proposal", f"/proposals/{proposal.pk}/"),
        ("tasks (staff)", "/proposals/tasks/"),
        ("venues", "/venues/"),
        ("venue finder", "/venues/finder/"),
        ("bookings", "/venues/bookings/"),
        ("agenda staff", "/agenda/staff/"),
        ("agenda staff new", "/agenda/staff/new/"),
        ("agenda staff session", f"/agenda/staff/{upcoming.pk}/"),
        ("impact", "/impact/"),
        ("staff home", "/staff/"),
        ("people", "/staff/people/"),
    ]
    for phone, code in ((True, "11111111"), (False, "22222222")):
        page = _context_page(new_page, live_server.url, locale, language, phone=phone)
        if not phone:
            page.set_viewport_size(DESKTOP)
        _staff_sign_in(page, code)
        for label, url in staff_pages:
            checker.check(page, label, url, phone=phone)

    assert checker.problems == [], pprint.pformat(checker.problems, width=100)
    assert checker.visited == 16 + 2 * len(staff_pages)
