"""Journey: a proposal from a phone in Arabic to an accepted, accompanied workshop."""

from urllib.parse import urlsplit

import pytest

from interra.accounts.services import magic_link
from interra.cities.models import Role
from interra.proposals.models import Proposal, Stage, TaskKind
from tests.factories import BACKUP_CODE, CityFactory, coordinator, member

from .conftest import axe_violations, screenshot, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _path(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _fill_step_one(page):
    page.fill("#id_display_name", "أميرة حداد")
    page.fill("#id_phone", "0470 12 34 56")


def test_proposal_from_arabic_phone_to_accepted_with_tasks(new_page):
    city = CityFactory(name="Liège", slug="liege", neighbourhoods=["Centre", "Outremeuse"])
    boss = coordinator(city, email="julie@example.org")
    volunteer = member(city, Role.VOLUNTEER, display_name="Marc Volunteer")

    # 1. A would-be leader, on a phone, in Arabic: three screens.
    page = new_page(locale="ar", phone=True)
    page.goto("/")
    page.click("main a[href='/proposals/new/']")  # the home tile (the menu is closed on phones)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#proposal-form").get_attribute("data-step") == "1"
    assert axe_violations(page) == []
    screenshot(page, "proposal-form-ar")
    _fill_step_one(page)
    page.click("#proposal-next")
    assert page.locator("#proposal-form").get_attribute("data-step") == "2"
    assert axe_violations(page) == []
    page.click("label.theme:has(input[value=cooking])")
    page.fill("#id_title", "مطبخ سوري عائلي")
    page.click("#proposal-next")
    assert page.locator("#proposal-form").get_attribute("data-step") == "3"
    assert axe_violations(page) == []
    page.click("#proposal-submit")
    page.locator("#proposal-sent").wait_for()
    proposal = Proposal.objects.get()
    assert proposal.language == "ar" and proposal.leader.preferred_language == "ar"

    # 2. The coordinator signs in (password + backup code) and accepts it on the board.
    staff = new_page(locale="fr-BE")
    staff_sign_in(staff, boss.email, "correct-horse-battery", BACKUP_CODE, "/proposals/board/")
    assert staff.locator(f"[data-proposal='{proposal.pk}']").count() == 1
    screenshot(staff, "proposal-board")
    staff.click(f"[data-proposal='{proposal.pk}'] h3 a")
    staff.select_option("#id_stage", Stage.ACCEPTED)
    staff.click("#move-form button[type=submit]")
    assert staff.locator("#proposal-stage").get_attribute("data-stage") == Stage.ACCEPTED
    # Its tasks appear; the coordinator hands "meet the leader" to a volunteer.
    assert staff.locator("#tasks [data-task]").count() >= 4
    meet = staff.locator("#tasks li[data-task='meet']")
    meet.locator("select[name$='assignee']").select_option(str(volunteer.pk))
    meet.locator("form.inline-form button[type=submit]").click()
    staff.wait_for_load_state("load")

    # 3. The volunteer (password and second factor) closes the task from "my tasks".
    helper = new_page(locale="fr-BE", phone=True)
    staff_sign_in(helper, volunteer.email, "correct-horse-battery", BACKUP_CODE,
                  "/proposals/tasks/")
    task = helper.locator("#my-tasks li[data-task='meet']")
    task.locator("button[type=submit]").click()
    helper.locator("#done-tasks li[data-task='meet']").wait_for()
    assert proposal.tasks.get(kind=TaskKind.MEET).done_by == volunteer

    # 4. The leader opens their link and sees the new status.
    proposal.refresh_from_db()
    assert proposal.stage == Stage.IN_PREPARATION
    leader_page = new_page(locale="ar", phone=True)
    leader_page.goto(_path(magic_link(proposal.leader, next_url="/proposals/mine/")))
    card = leader_page.locator(f"[data-proposal='{proposal.pk}']")
    assert card.locator("[data-stage]").get_attribute("data-stage") == Stage.IN_PREPARATION
    assert leader_page.locator("#my-workshops li").count() == 1
    assert axe_violations(leader_page) == []

    # 5. Another city's coordinator cannot see it.
    other = CityFactory(name="Namur", slug="namur")
    outsider = coordinator(other, email="elisa@example.org")
    staff2 = new_page(locale="fr-BE")
    staff_sign_in(staff2, outsider.email, "correct-horse-battery", BACKUP_CODE, "/proposals/board/")
    assert staff2.locator(f"[data-proposal='{proposal.pk}']").count() == 0
    response = staff2.goto(f"/proposals/{proposal.pk}/")
    assert response.status == 404


@pytest.mark.parametrize("locale", ["fr-BE", "ar"])
def test_every_screen_of_the_form_passes_axe(new_page, locale):
    CityFactory(name="Liège", slug="liege", neighbourhoods=["Centre", "Outremeuse"])
    page = new_page(locale=locale, phone=True)
    page.goto("/proposals/new/")
    assert axe_violations(page) == []
    # An error screen must be accessible too.
    page.click("#proposal-next")
    assert page.locator("#form-errors").count() == 1
    assert axe_violations(page) == []
    _fill_step_one(page)
    page.click("#proposal-next")
    assert axe_violations(page) == []
    page.click("label.theme:has(input[value=music])")
    page.fill("#id_title", "Chorale")
    page.click("#proposal-next")
    assert axe_violations(page) == []
    page.click("#proposal-submit")
    assert axe_violations(page) == []
    if locale == "fr-BE":
        screenshot(page, "proposal-sent-fr")


def test_back_keeps_what_was_typed_without_javascript(browser, live_server):
    """On a phone, in Arabic, with JavaScript off: "Back" from screen 2 keeps its text."""
    from .conftest import PHONE

    CityFactory(name="Liège", slug="liege", neighbourhoods=["Centre", "Outremeuse"])
    context = browser.new_context(base_url=live_server.url, locale="ar",
                                  extra_http_headers={"Accept-Language": "ar"},
                                  java_script_enabled=False, **PHONE)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/proposals/new/")
        _fill_step_one(page)
        # Enter in a field goes forward, not back.
        page.press("#id_phone", "Enter")
        page.wait_for_selector("#proposal-form[data-step='2']")
        page.fill("#id_title", "مطبخ سوري")
        page.fill("#id_description", "نطبخ معا")
        # Half-filled (no theme yet) and no error: back to screen 1, filled in.
        page.click("#proposal-back")
        page.wait_for_selector("#proposal-form[data-step='1']")
        assert page.locator("#form-errors").count() == 0
        assert page.input_value("#id_display_name") == "أميرة حداد"
        page.click("#proposal-next")
        page.wait_for_selector("#proposal-form[data-step='2']")
        assert page.input_value("#id_title") == "مطبخ سوري"
        assert page.input_value("#id_description") == "نطبخ معا"
        page.click("label.theme:has(input[value=cooking])")
        page.click("#proposal-next")
        page.wait_for_selector("#proposal-form[data-step='3']")
        page.click("#proposal-submit")
        page.locator("#proposal-sent").wait_for()
        assert Proposal.objects.get().description == {"ar": "نطبخ معا"}
    finally:
        context.close()
