"""The coordinator plans four weeks for Liège, sees what could not be placed and why,
accepts the plan; the partner receives the request and confirms; the session is on the
agenda and the leaders are told. The plan reads at 390 px (phone) and 1280 px."""

from datetime import time, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from interra.accounts.services import magic_link
from interra.cities.models import Role
from interra.planning import services
from interra.planning.models import Plan, PlanItem
from interra.venues.models import Booking
from tests.factories import BACKUP_CODE, CityFactory, UserFactory, coordinator, member
from tests.planning.factories import ready_workshop, room_open

from .conftest import axe_violations, screenshot, staff_sign_in

# The test settings run tasks with Django's ImmediateBackend: the plan is solved when the
# request that queued it commits, as a worker would a moment later.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def no_page_scroll_sideways(page):
    """Wide tables scroll inside their own box; the page itself never does."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_coordinator_plans_four_weeks_accepts_and_the_partner_confirms(new_page):
    city = CityFactory(name="Liège", slug="liege")
    julie = coordinator(city, email="julie@example.org")
    host = member(city, Role.PARTNER, email="host@chiroux.example", display_name="Marie Host")
    room_open(city, byday="TU,TH", opens=time(17), closes=time(22), neighbourhood="Centre",
              contact=host, name="Salle de lecture")
    amina = UserFactory(display_name="Amina Diallo", email="amina@example.org")
    youssef = UserFactory(display_name="Youssef Haddad", email="youssef@example.org")
    cooking = ready_workshop(city, days=("tue",), times=("evening",), leader=amina,
                             title={"fr": "Cuisine syrienne"}, sessions=1)
    sewing = ready_workshop(city, days=("thu",), times=("evening",), leader=youssef,
                            title={"fr": "Atelier couture"}, sessions=1)
    yoga = ready_workshop(city, days=("sun",), times=("morning",),
                          title={"fr": "Yoga du dimanche"}, sessions=1)

    page = new_page(locale="en")
    page.set_viewport_size(DESKTOP)
    staff_sign_in(page, julie.email, "correct-horse-battery", BACKUP_CODE, "/planning/")
    assert axe_violations(page) == []
    # Next Monday and four weeks are the defaults; the coordinator sets a short limit.
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    assert page.input_value("#id_starts_on") == monday.isoformat()
    assert page.input_value("#id_weeks") == "4"
    page.fill("#id_time_limit", "3")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#plan-items")
    plan = Plan.objects.get()
    assert plan.state == Plan.State.DONE and plan.days == 28
    assert page.url.endswith(f"/planning/{plan.pk}/")

    # The plan: both evenings placed (calendar and table), yoga not, with the reason.
    table = page.locator("#plan-items")
    assert "Cuisine syrienne" in table.inner_text()
    assert "Atelier couture" in table.inner_text()
    assert page.locator("table.week-calendar").count() == 4
    unplaced = page.locator("#unplaced tbody tr")
    assert unplaced.count() == 1
    row = unplaced.first.inner_text()
    assert "Yoga du dimanche" in row
    reason, change = (unplaced.first.locator("td").nth(i).inner_text() for i in (1, 2))
    assert reason.strip() and change.strip()
    assert axe_violations(page) == []
    assert no_page_scroll_sideways(page)
    screenshot(page, "planner-plan")

    # The same plan on a phone: readable, nothing off the side of the page, accessible.
    page.set_viewport_size(PHONE)
    assert no_page_scroll_sideways(page)
    assert page.locator("#plan-items").is_visible()
    assert axe_violations(page) == []
    page.set_viewport_size(DESKTOP)

    # Accept every proposed session in one go.
    mail.outbox.clear()
    page.click("form[action$='/accept/'] button[type=submit]")
    page.wait_for_selector(".messages, [role=status], .message", state="attached")
    items = list(plan.items.order_by("starts_at"))
    assert [i.state for i in items] == [PlanItem.State.REQUESTED] * 2
    assert {i.workshop for i in items} == {cooking, sewing}
    assert yoga not in {i.workshop for i in items}
    # The partner received the requests; each leader was told the date and place.
    to = {address for message in mail.outbox for address in message.to}
    assert {"host@chiroux.example", "amina@example.org", "youssef@example.org"} <= to
    told = next(m for m in mail.outbox if m.to == ["amina@example.org"])
    local = timezone.localtime(next(i for i in items if i.workshop == cooking).starts_at)
    assert local.strftime("%H:%M") in told.body and "Salle de lecture" in told.body
    assert axe_violations(page) == []

    # The partner opens the link from their email and confirms the first request.
    booking = Booking.objects.get(workshop=cooking)
    partner_page = new_page(locale="fr-BE")
    link = magic_link(host, next_url="/venues/portal/").removeprefix(settings.SITE_URL)
    partner_page.goto(link)
    partner_page.wait_for_url("**/venues/portal/")
    card = partner_page.locator(f"#request-{booking.pk}")
    assert "Cuisine syrienne" in card.inner_text()
    card.locator("button[value=confirm]").click()
    partner_page.wait_for_load_state("load")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED

    # The session is on the public agenda; the plan shows the booking confirmed.
    visitor = new_page(locale="fr-BE")
    visitor.goto("/agenda/")
    assert "Cuisine syrienne" in visitor.locator("main").inner_text()
    page.goto(f"/planning/{plan.pk}/")
    confirmed = next(i for i in items if i.workshop == cooking)
    waiting = next(i for i in items if i.workshop == sewing)
    assert page.locator(f"#item-{confirmed.pk} [data-status=confirmed]").count() == 1
    assert page.locator(f"#item-{waiting.pk} [data-status=requested]").count() == 1


def test_the_planning_page_waits_without_script_and_is_accessible(new_page):
    city = CityFactory(name="Liège", slug="liege")
    julie = coordinator(city, email="julie@example.org")
    plan = services.plan_request(city=city, starts_on=timezone.localdate(), days=28,
                                 time_limit=30, by=julie)
    # A worker that has not answered yet: the page says so, offers to look again, and
    # (with script) asks by itself every few seconds.
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.RUNNING,
                                           started_at=timezone.now())
    page = new_page(locale="en", phone=True)
    staff_sign_in(page, julie.email, "correct-horse-battery", BACKUP_CODE,
                  f"/planning/{plan.pk}/")
    assert page.locator("#plan-progress progress").is_visible()
    assert page.locator(f"#plan-progress a[href='/planning/{plan.pk}/']").count() == 1
    assert axe_violations(page) == []
    # The worker finishes: the next poll shows the plan without anyone clicking.
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.DONE)
    page.wait_for_selector("#plan-items", timeout=10_000)
    assert axe_violations(page) == []
