"""Agenda journeys on a phone in Ukrainian: find, register, cancel, waitlist moves up;
the leader marks attendance on a phone."""

import re

import pytest
from django.conf import settings
from django.core import mail

from interra.accounts.services import magic_link
from interra.agenda import services
from interra.agenda.models import Registration
from tests.factories import RegistrationFactory, SessionFactory, UserFactory

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _path(url: str) -> str:
    return url.replace(settings.SITE_URL, "")


def test_register_cancel_and_the_waitlist_moves_up(new_page):
    session = SessionFactory(capacity=2, newcomer_seats_percent=0, local_seats_percent=0,
                             workshop__title={"fr": "Cuisine ukrainienne",
                                              "uk": "Українська кухня"})
    services.registration_create(session=session, person=UserFactory(), seats=1)
    page = new_page(locale="uk", phone=True)

    page.goto("/agenda/")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert axe_violations(page) == []
    screenshot(page, "agenda-uk")
    page.click(f"a[href='/agenda/{session.pk}/']")
    assert page.locator("h1").inner_text() == "Українська кухня"
    assert axe_violations(page) == []
    screenshot(page, "session-page")

    page.fill("#id_name", "Olena Kovalenko")
    page.fill("#id_email", "olena@example.org")
    page.check("#id_group_0")
    page.check("#id_consent")
    page.click("form[action$='/register/'] button[type=submit]")
    # "Check your messages": the private link goes only to the contact typed (issue 10).
    page.wait_for_selector("a[href='/agenda/my-link/']")
    assert axe_violations(page) == []
    confirmation = next(m for m in mail.outbox if m.to == ["olena@example.org"])
    page.goto(_path(re.search(r"http://\S+/agenda/r/[\w-]+/", confirmation.body).group(0)))
    page.wait_for_selector("[data-status=confirmed]")

    # Someone else comes when the session is full: waitlisted.
    waiting_person = UserFactory(email="next@example.org", preferred_language="ar")
    waiting = services.registration_create(session=session, person=waiting_person, seats=1)
    assert waiting.status == "waitlisted"

    confirmation = next(m for m in mail.outbox if m.to == ["olena@example.org"])
    assert confirmation.extra_headers["Content-Language"] == "uk"
    link = re.search(r"http://\S+/agenda/r/[\w-]+/", confirmation.body).group(0)
    page.goto(_path(link))
    page.click("[data-action=cancel]")
    page.wait_for_selector("[data-status=cancelled]")

    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert any(m.to == ["next@example.org"] and "/agenda/r/" in m.body for m in mail.outbox
               if m is not confirmation)
    assert Registration.objects.get(person__email="olena@example.org").status == "cancelled"


def test_leader_marks_attendance_on_a_phone(new_page):
    session = SessionFactory()
    registration = RegistrationFactory(session=session, person__display_name="Amira Haddad")
    leader = session.workshop.leader
    page = new_page(locale="uk", phone=True)
    page.goto(_path(magic_link(leader, next_url=f"/agenda/lead/{session.pk}/")))
    button = page.locator("button[data-name='Amira']")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    page.wait_for_selector("button[data-name='Amira'][aria-pressed=true]")
    registration.refresh_from_db()
    assert registration.attended is True
    page.fill("#id_name", "Yonas")
    page.click("form:has(input[value=walk_in]) button[type=submit]")
    page.wait_for_selector("button[data-name='Yonas'][aria-pressed=true]")
    assert axe_violations(page) == []
    screenshot(page, "leader-attendance")
