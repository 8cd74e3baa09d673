"""Journeys of leaders (on a 390 px phone) and coordinators (at 1280 px), in French and
Arabic: attendance that counts as you tap, the staff desk, the board in stage columns,
task due dates that show, and reopening a task."""

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from interra.accounts.services import magic_link
from interra.agenda import services as agenda_services
from interra.agenda.models import Registration, SessionLogEntry
from interra.cities.models import Role
from interra.proposals import services as proposal_services
from interra.proposals.models import Proposal, Stage, Task, TaskKind
from tests.factories import (
    BACKUP_CODE,
    CityFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    coordinator,
    member,
)
from tests.proposals.factories import submit

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _path(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _sign_in_staff(page, person, next_url):
    page.goto(f"/accounts/staff/sign-in/?next={next_url}")
    page.fill("#id_identifier", person.email)
    page.fill("#id_password", "correct-horse-battery")
    page.fill("#id_token", BACKUP_CODE)  # one page: password and second factor
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{next_url}")


def _check_language(page, locale):
    html = page.locator("html")
    assert html.get_attribute("lang") == locale[:2]
    assert html.get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("locale", ["fr-BE", "ar"])
def test_leader_marks_attendance_on_a_phone(new_page, locale):
    session = SessionFactory(starts_at=timezone.now() + timedelta(minutes=10),
                             workshop__leader__preferred_language=locale[:2])
    RegistrationFactory(session=session, person__display_name="Amira Haddad")
    RegistrationFactory(session=session, person__display_name="Amira Benali")
    pair = RegistrationFactory(session=session, seats=2, person__display_name="Olena Koval")
    page = new_page(locale=locale, phone=True)
    page.goto(_path(magic_link(session.workshop.leader,
                               next_url=f"/agenda/lead/{session.pk}/")))
    _check_language(page, locale)
    counter = page.locator("#attendance-count")
    assert counter.get_attribute("data-present") == "0"
    # Two Amiras, told apart by the initial of their last name.
    assert page.locator("button[data-name='Amira H.']").count() == 1
    assert page.locator("button[data-name='Amira B.']").count() == 1

    # A tap: the name is marked and the counter follows, without reloading (htmx).
    page.evaluate("window.__kept = true")
    page.click("button[data-name='Amira H.']")
    page.wait_for_selector("button[data-name='Amira H.'][aria-pressed=true]")
    page.wait_for_selector("#attendance-count[data-present='1']")
    assert page.evaluate("window.__kept === true")

    # Olena came with one of her two seats.
    page.click(f"#registration-{pair.pk} button[name=seats_came][value='1']")
    page.wait_for_selector("#attendance-count[data-present='2']")
    page.click(f"#registration-{pair.pk} button[name=seats_came][value='2']")
    page.wait_for_selector("#attendance-count[data-present='3']")
    pair.refresh_from_db()
    assert pair.present_seats == 2

    # An empty walk-in says why and keeps the page; a named one is kept as typed.
    page.click("#walk-in button[type=submit]")
    page.wait_for_selector("#walk-in-error")
    assert page.locator("#walk-in-error").is_visible()
    assert page.evaluate("document.activeElement.id") == "id_name"
    page.fill("#id_name", "Галина (прийшла з подругою)")
    page.click("#walk-in button[type=submit]")
    page.wait_for_selector("button[data-name='Галина (прийшла з подругою)']")
    assert page.locator("#attendance-count").get_attribute("data-present") == "4"
    assert _no_sideways_scroll(page)
    assert axe_violations(page) == []
    screenshot(page, f"attendance-{locale[:2]}")


def test_attendance_without_javascript(browser, live_server):
    session = SessionFactory(starts_at=timezone.now() + timedelta(minutes=10))
    RegistrationFactory(session=session, person__display_name="Yonas Tesfaye")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(_path(magic_link(session.workshop.leader,
                               next_url=f"/agenda/lead/{session.pk}/")))
    page.click("button[data-name='Yonas']")
    page.wait_for_selector("#attendance-count[data-present='1']")
    context.close()


@pytest.mark.parametrize("locale", ["fr-BE", "ar"])
def test_coordinator_runs_the_staff_desk_at_1280(new_page, locale):
    city = CityFactory(name="Liège", slug="liege")
    boss = coordinator(city, email="julie@example.org", preferred_language=locale[:2])
    session = SessionFactory(workshop__city=city, capacity=2, newcomer_seats_percent=0,
                             local_seats_percent=0)
    leaving = RegistrationFactory(session=session, person__display_name="Tom Peeters")
    page = new_page(locale=locale)
    _sign_in_staff(page, boss, f"/agenda/staff/{session.pk}/")
    _check_language(page, locale)
    page.click("#desk-link")
    page.wait_for_url(f"**/agenda/staff/{session.pk}/desk/")

    # Someone phones: registered through the same rules (one seat left).
    page.fill("#id_name", "Fatima Zahra")
    page.fill("#id_phone", "+32470123456")
    page.select_option("#id_group", "newcomer")
    page.click("#desk-register button[type=submit]")
    page.wait_for_selector("#desk-counts[data-taken='2']")
    fatima = Registration.objects.get(person__display_name="Fatima Zahra")
    assert fatima.status == "confirmed"
    waiting = agenda_services.registration_create(session=session, person=UserFactory(),
                                                  seats=1)
    assert waiting.status == "waitlisted"
    page.reload()

    # Tom phones to cancel: with a reason; the waitlist moves up.
    row = page.locator(f"#desk-registration-{leaving.pk}")
    row.locator("input[name=reason]").fill("Il est malade")
    row.locator("button[data-action=cancel]").click()
    page.wait_for_selector("#desk-log tr[data-action=cancelled]")
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"

    # A bigger room: 3 seats.
    page.fill("#id_capacity", "3")
    page.fill("#desk-seats input[name=reason]", "Grande salle")
    page.click("#desk-seats button[type=submit]")
    page.wait_for_selector("#desk-counts[data-capacity='3']")
    actions = set(SessionLogEntry.objects.filter(session=session)
                  .values_list("action", flat=True))
    assert {"registered", "cancelled", "auto_promoted", "seats_changed"} <= actions
    assert page.locator("#desk-log tr[data-action=cancelled]").count() == 1
    assert _no_sideways_scroll(page)
    assert axe_violations(page) == []
    screenshot(page, f"staff-desk-{locale[:2]}")

    # The navigation leads to the desk too.
    page.goto("/agenda/staff/desk/")
    assert page.locator(f"a[href='/agenda/staff/{session.pk}/desk/']").count() == 1


@pytest.mark.parametrize("locale", ["fr-BE", "ar"])
def test_the_board_fits_59_proposals_at_1280(new_page, locale):
    city = CityFactory(name="Liège", slug="liege")
    boss = coordinator(city, email="julie@example.org", preferred_language=locale[:2])
    stages = [Stage.NEW, Stage.IN_CONVERSATION, Stage.ACCEPTED, Stage.IN_PREPARATION,
              Stage.READY, Stage.SCHEDULED, Stage.RUNNING]
    for n in range(59):
        proposal = submit(city, title=f"Atelier numéro {n} avec un titre assez long",
                          email=f"leader{n}@example.org", phone="")
        Proposal.objects.filter(pk=proposal.pk).update(stage=stages[n % len(stages)])
    page = new_page(locale=locale)
    _sign_in_staff(page, boss, "/proposals/board/")
    _check_language(page, locale)
    assert page.locator(".proposal-card").count() == 59
    assert _no_sideways_scroll(page)
    # Every active stage is a column in the first screen, side by side.
    tops = page.evaluate("[...document.querySelectorAll('.board-column')]"
                         ".map(c => c.getBoundingClientRect().top)")
    assert len(tops) == 7 and max(tops) - min(tops) < 1
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 1600, height
    assert axe_violations(page) == []
    screenshot(page, f"proposal-board-columns-{locale[:2]}")
    # The filters still work.
    page.click("#board-filters button[type=submit]")
    assert page.locator(".proposal-card").count() == 59


@pytest.mark.parametrize("locale", ["fr-BE", "ar"])
def test_task_due_dates_show_and_a_closed_task_reopens(new_page, locale):
    city = CityFactory(name="Liège", slug="liege")
    boss = coordinator(city, email="julie@example.org", preferred_language=locale[:2])
    volunteer = member(city, Role.VOLUNTEER, display_name="Marc Volunteer")
    proposal = submit(city)
    proposal_services.proposal_accept(proposal=proposal, actor=boss)
    meet = proposal.tasks.get(kind=TaskKind.MEET)
    assert meet.assignee is None  # in the pool
    page = new_page(locale=locale)
    _sign_in_staff(page, boss, f"/proposals/{proposal.pk}/")
    _check_language(page, locale)
    due = page.locator(f"#id_task{meet.pk}-due_on")
    assert due.input_value() == meet.due_on.isoformat()
    due.fill(date(2030, 3, 4).isoformat())
    page.locator("#tasks li[data-task='meet'] select[name$='assignee']").select_option(
        str(volunteer.pk))
    page.locator("#tasks li[data-task='meet'] form.inline-form button[type=submit]").click()
    page.wait_for_load_state("load")
    meet.refresh_from_db()
    assert meet.due_on == date(2030, 3, 4) and meet.assignee == volunteer

    proposal_services.task_close(task=meet, actor=volunteer)
    page.reload()
    done = page.locator("#tasks li[data-task='meet']")
    done.locator("input[name=reason]").fill("Rendez-vous annulé")
    done.locator("form.reopen-form button[type=submit]").click()
    page.wait_for_selector("#tasks li[data-task='meet'] [data-reopened='1']")
    meet = Task.objects.get(pk=meet.pk)
    assert meet.done_at is None and meet.reopened_by == boss
    assert _no_sideways_scroll(page)
