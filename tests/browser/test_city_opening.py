"""Journey (issue 14): a network admin opens Verviers and invites its first coordinator,
who enrols a second factor, imports ten rooms from a spreadsheet, sets the mix defaults
and publishes a first session, all through the pages, on a laptop.

It counts the screens (page loads, both people together) and the time the browser took,
and prints them with an estimate of the minutes a person needs (method in
docs/opening-a-city.md). The figures are recorded in that guide.
"""

import base64
import re
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from django_otp.oath import totp
from openpyxl import Workbook

from interra.agenda.models import Session
from interra.cities.models import City, Membership, Role
from interra.venues.models import Room
from tests.factories import BACKUP_CODE, CityFactory, UserFactory, give_second_factor

from .conftest import axe_violations, screenshot, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_SCREENS = 40
# The estimate of a person's time (docs/opening-a-city.md): reading a screen and
# deciding, typing one field, choosing one option, plus the steps outside the platform.
SECONDS_PER_SCREEN = 20
SECONDS_PER_FIELD = 15
SECONDS_PER_CHOICE = 4
OUTSIDE_MINUTES = {"install an authenticator app and scan the code": 3,
                   "fill in the spreadsheet of 10 rooms (the list is at hand)": 8}


def _rooms_xlsx(path):
    """Ten rooms in two venues of one partner, as a spreadsheet a coordinator fills in."""
    book = Workbook()
    sheet = book.active
    sheet.append(["partner", "partner_type", "venue", "address", "neighbourhood", "room",
                  "capacity", "equipment", "accessibility"])
    for number in range(1, 11):
        venue = "Maison des Jeunes" if number <= 5 else "Centre culturel Ensival"
        address = ("Rue Xhavée 28, 4800 Verviers" if number <= 5
                   else "Place Sommeleville 1, 4800 Verviers")
        sheet.append(["Ville de Verviers", "", venue, address, "Centre", f"Salle {number}",
                      10 + number, "tables" if number % 2 else "", ""])
    book.save(path)
    return path


class Counter:
    """Page loads in every page it watches, and which pages they were."""

    def __init__(self):
        self.paths = []

    def watch(self, page):
        page.on("load", lambda loaded: self.paths.append(self.path(loaded.url)))
        return page

    @staticmethod
    def path(url: str) -> str:
        path = "/" + url.split("://", 1)[-1].split("/", 1)[-1]
        # The enrolment link is a credential: never printed.
        return re.sub(r"/enrol/[^/]+/", "/enrol/…/", path)


def test_a_network_admin_opens_verviers_and_its_coordinator_publishes_a_session(
        new_page, tmp_path):
    liege = CityFactory(name="Liège", slug="liege")
    admin = UserFactory(is_network_admin=True, email="admin@interra.example")
    give_second_factor(admin)
    counter = Counter()
    started = time.monotonic()
    fields = choices = 0

    # 1. The network admin signs in and opens Verviers.
    boss = counter.watch(new_page(locale="fr-BE"))
    staff_sign_in(boss, admin.email, "correct-horse-battery", BACKUP_CODE, "/staff/")
    fields += 3
    boss.click("#open-city")
    assert axe_violations(boss) == []
    boss.fill("#id_name", "Verviers")
    boss.fill("#id_slug", "verviers")
    boss.fill("#id_address", "Rue du Collège 10, 4800 Verviers")
    boss.check("input[name=languages][value=ar]")
    boss.check("input[name=languages][value=uk]")
    fields, choices = fields + 3, choices + 2  # the time zone is already Europe/Brussels
    boss.click("#city-new button[type=submit]")
    verviers = City.objects.get(slug="verviers")
    assert verviers.languages == ["ar", "uk"] and verviers.time_zone == "Europe/Brussels"

    # 2. The invitation page, Verviers and "coordinator" already chosen.
    assert boss.locator("#id_city").input_value() == str(verviers.pk)
    assert boss.locator("#id_role").input_value() == Role.COORDINATOR
    boss.fill("#id_display_name", "Nadia Verviers")
    boss.fill("#id_email", "nadia@verviers.example")
    fields += 2
    boss.click("form.card button[type=submit]")
    link = boss.locator("code.invitation-link").inner_text()
    assert axe_violations(boss) == []

    # 3. The coordinator opens the link, adds an authenticator app (its code computed
    #    here from the key the page shows) and chooses a password.
    nadia = counter.watch(new_page(locale="fr-BE"))
    nadia.goto(urlsplit(link).path)
    secret = nadia.locator(".qr code").inner_text().strip()
    code = f"{totp(base64.b32decode(secret), step=30, digits=6):06d}"
    nadia.fill("#id_password1", "verviers-antenne-2026")
    nadia.fill("#id_password2", "verviers-antenne-2026")
    nadia.fill("#id_token", code)
    fields += 3
    nadia.click("form.card button[type=submit]")
    nadia.wait_for_url("**/staff/")
    person = Membership.objects.get(city=verviers, role=Role.COORDINATOR).person
    assert person.email == "nadia@verviers.example"
    assert person.totpdevice_set.filter(confirmed=True).count() == 1
    checklist = nadia.locator("#checklist-verviers")
    assert checklist.locator("li[data-done=no]").count() == 4
    assert axe_violations(nadia) == []
    screenshot(nadia, "city-opening-checklist")

    # 4. Partners and rooms from a spreadsheet: preview, then import.
    checklist.locator("li[data-item=rooms] a").click()
    assert nadia.locator("#id_city").input_value() == str(verviers.pk)
    nadia.set_input_files("#id_file", str(_rooms_xlsx(tmp_path / "salles-verviers.xlsx")))
    choices += 1
    nadia.click("form[enctype] button[type=submit]")
    assert nadia.locator("#import-preview tbody tr").count() == 10
    assert nadia.locator("#import-preview .row-error").count() == 0
    nadia.click("button[name=confirm]")
    nadia.wait_for_url("**/venues/")
    assert Room.objects.filter(venue__city=verviers).count() == 10

    # 5. The city's settings: languages shown, the mix and its release, reminders.
    nadia.click("[data-nav='cities:staff_home']")
    assert checklist.locator("li[data-item=rooms]").get_attribute("data-done") == "yes"
    checklist.locator("li[data-item=settings] a").click()
    assert axe_violations(nadia) == []
    nadia.fill("#id_newcomer_seats_percent", "45")
    nadia.fill("#id_local_seats_percent", "35")
    nadia.fill("#id_hold_release_hours", "24")
    nadia.fill("#id_reminder_hours", "48, 3")
    nadia.fill("#id_poster_footer", "Avec le soutien de la Ville de Verviers")
    fields += 5
    nadia.click("#city-settings button[type=submit]")
    nadia.wait_for_url("**/staff/")
    verviers.refresh_from_db()
    assert (verviers.newcomer_seats_percent, verviers.local_seats_percent,
            verviers.hold_release_hours) == (45, 35, 24)
    assert checklist.locator("li[data-item=settings]").get_attribute("data-done") == "yes"

    # 6. A first workshop: the coordinator types the leader's proposal (three screens),
    #    then accepts it on the board.
    nadia.goto("/proposals/new/")
    nadia.fill("#id_display_name", "Olena Kovalenko")
    nadia.fill("#id_phone", "0470 55 44 33")
    nadia.check(f"input[name=city][value='{verviers.pk}']")
    fields, choices = fields + 2, choices + 1
    nadia.click("#proposal-next")
    nadia.click("label.theme:has(input[value=cooking])")
    nadia.fill("#id_title", "Cuisine ukrainienne")
    fields, choices = fields + 1, choices + 1
    nadia.click("#proposal-next")
    nadia.click("#proposal-submit")
    nadia.locator("#proposal-sent").wait_for()
    nadia.click("[data-nav='proposals:board']")
    nadia.locator("[data-proposal] h3 a").first.click()
    nadia.select_option("#id_stage", "accepted")
    choices += 1
    nadia.click("#move-form button[type=submit]")
    assert nadia.locator("#proposal-stage").get_attribute("data-stage") == "accepted"

    # 7. Publish its first session from the checklist, in a room just imported.
    nadia.click("[data-nav='cities:staff_home']")
    checklist.locator("li[data-item=first_session] a").click()
    nadia.select_option("#id_workshop", label=None, index=1)
    room = Room.objects.get(venue__city=verviers, name="Salle 3")
    nadia.select_option("#id_room", str(room.pk))
    starts = timezone.localtime(timezone.now() + timedelta(days=10)).replace(
        hour=14, minute=0, second=0, microsecond=0)
    nadia.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    nadia.check("#id_confirm_now")
    fields, choices = fields + 1, choices + 3
    nadia.click("main form.register button[type=submit]")
    nadia.wait_for_url("**/agenda/staff/*/")
    session = Session.objects.get(city=verviers)
    assert session.room == room and session.status == Session.Status.SCHEDULED
    # The session takes the mix defaults just set: 45 % / 35 % held, open 24 h before.
    assert (session.newcomer_seats_percent, session.local_seats_percent) == (45, 35)
    assert session.hold_release_at == session.starts_at - timedelta(hours=24)

    # 8. The checklist: only the volunteers are left.
    nadia.click("[data-nav='cities:staff_home']")
    assert [item.get_attribute("data-item")
            for item in checklist.locator("li[data-done=no]").all()] == ["volunteers"]
    # The session is on the public agenda; Liège's coordinators see nothing of Verviers.
    assert nadia.request.get(f"/agenda/{session.pk}/").status == 200
    assert not Membership.objects.filter(city=liege, person=person).exists()

    seconds = time.monotonic() - started
    screens = len(counter.paths)
    person_minutes = (screens * SECONDS_PER_SCREEN + fields * SECONDS_PER_FIELD
                      + choices * SECONDS_PER_CHOICE) / 60 + sum(OUTSIDE_MINUTES.values())
    print(f"\nOpening Verviers: {screens} screens, {fields} fields typed, {choices} choices, "
          f"{seconds:.1f} s in the browser; estimated {person_minutes:.0f} minutes for a "
          f"person ({', '.join(counter.paths)})")
    assert screens < MAX_SCREENS
    assert person_minutes < 30
