import re

import pytest
from django.test import Client

from interra.accounts.models import User
from interra.cities.models import Membership, Role
from interra.core.models import AuditLogEntry
from interra.notifications import sms
from interra.notifications.models import Message
from interra.proposals import services
from interra.proposals.models import CoLeaderInvitation, Proposal, Stage, TaskKind
from tests.conftest import force_staff_login, sign_in_staff
from tests.factories import coordinator, member

from .factories import add_co_leader, submit

pytestmark = pytest.mark.django_db

STEP1 = {"display_name": "Amira", "phone": "0470 11 22 33", "email": "",
         "spoken_languages": ["ar", "fr"]}
STEP2 = {"theme": "cooking", "title": "مطبخ سوري", "description": "نطبخ",
         "language": "ar", "audience": "everyone", "group_size": "10"}
STEP3 = {"room_kind": "kitchen", "equipment": "", "materials": "", "budget": "",
         "available_days": ["sat"], "available_times": ["morning"],
         "neighbourhoods": ["Centre"]}


def _fill(client, city, step3=None, title=STEP2["title"]):
    assert client.post("/proposals/new/", {**STEP1, "city": city.pk}).status_code == 302
    assert client.post("/proposals/new/2/", {**STEP2, "title": title}).status_code == 302
    return client.post("/proposals/new/3/", step3 or STEP3)


def test_home_links_to_the_form(client, city):
    assert 'href="/proposals/new/"' in client.get("/").content.decode()


def test_three_screens_then_a_confirmation_and_an_sms(client, city):
    page = client.get("/proposals/new/")
    assert page.status_code == 200
    assert page.content.decode().count('name="city"') == 1
    response = _fill(client, city)
    assert response.status_code == 302 and response["Location"] == "/proposals/sent/"
    proposal = Proposal.objects.get()
    assert proposal.title == {"ar": "مطبخ سوري"} and proposal.available_days == ["sat"]
    assert client.get("/proposals/sent/").status_code == 200
    assert len(sms.outbox) == 1
    # The draft is gone: a new visit starts afresh.
    assert client.get("/proposals/new/3/").status_code == 302


def test_minimal_proposal(client, city):
    response = client.post("/proposals/new/", {"display_name": "Olena", "phone": "0470998877",
                                               "city": city.pk})
    assert response.status_code == 302
    client.post("/proposals/new/2/", {"theme": "art", "title": "Pétrykivka", "language": "uk",
                                      "audience": "everyone", "group_size": "12"})
    assert client.post("/proposals/new/3/", {}).status_code == 302
    assert Proposal.objects.count() == 1


def test_progress_survives_and_steps_cannot_be_skipped(client, city):
    assert client.get("/proposals/new/3/")["Location"] == "/proposals/new/"
    client.post("/proposals/new/", {**STEP1, "city": city.pk})
    assert client.get("/proposals/new/3/")["Location"] == "/proposals/new/2/"
    # Coming back later (a dropped connection): screen 1 is filled in again.
    page = client.get("/proposals/new/").content.decode()
    assert 'value="Amira"' in page


def test_bad_input_gets_errors_and_saves_nothing(client, city):
    response = client.post("/proposals/new/", {"display_name": "A", "phone": "", "email": "",
                                               "city": city.pk})
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()
    response = client.post("/proposals/new/", {**STEP1, "phone": "12", "city": city.pk})
    assert response.status_code == 400
    assert Proposal.objects.count() == 0


def test_honeypot_pretends_and_saves_nothing(client, city):
    response = client.post("/proposals/new/", {**STEP1, "city": city.pk,
                                               "website": "http://spam"})
    assert response["Location"] == "/proposals/sent/"
    assert Proposal.objects.count() == 0 and not sms.outbox


def test_duplicate_is_shown_on_the_last_screen(client, city):
    _fill(client, city)
    response = _fill(client, city)
    assert response.status_code == 409
    assert 'id="form-errors"' in response.content.decode()
    assert Proposal.objects.count() == 1


def test_rate_limit(client, city, settings):
    settings.MESSAGE_CAP_PER_CONTACT = 100  # the same phone each time: not this limit
    for index in range(5):
        assert _fill(client, city, title=f"Titre {index}").status_code == 302
    response = _fill(client, city, title="Titre 6")
    assert response.status_code == 429
    assert Proposal.objects.count() == 5


def test_board_query_count_is_constant(client, city, django_assert_max_num_queries):
    boss = coordinator(city)
    sign_in_staff(client, boss)
    submit(city, title="Un")
    with django_assert_max_num_queries(12) as few:
        assert client.get("/proposals/board/").status_code == 200
    for index in range(30):
        proposal = submit(city, title=f"Atelier {index}", phone=f"+3247000{index:04d}")
        if index % 2:
            services.proposal_accept(proposal=proposal, actor=boss)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/proposals/board/?waiting_days=&closed=on")
    assert page.status_code == 200
    assert page.content.decode().count("data-proposal=") == 31


def test_board_filters_and_counts(client, city):
    boss = coordinator(city)
    sign_in_staff(client, boss)
    submit(city, title="Cuisine", theme="cooking")
    submit(city, title="Dessin", theme="art", phone="+32470000001", language="fr",
           spoken_languages=["fr"])
    page = client.get("/proposals/board/?theme=art").content.decode()
    assert page.count("data-proposal=") == 1 and "Dessin" in page
    page = client.get("/proposals/board/?language=ar").content.decode()
    assert page.count("data-proposal=") == 1 and "Cuisine" in page
    page = client.get("/proposals/board/").content.decode()
    assert re.search(r'data-stage="new">[^<]*<span class="badge warn" data-count="2"', page)
    page = client.get("/proposals/board/?waiting_days=7").content.decode()
    assert page.count("data-proposal=") == 0


def test_coordinator_accepts_and_volunteer_closes_a_task(client, city):
    boss = coordinator(city)
    volunteer = member(city, Role.VOLUNTEER)
    proposal = submit(city)
    sign_in_staff(client, boss)
    response = client.post(f"/proposals/{proposal.pk}/move/", {"stage": "accepted"})
    assert response.status_code == 302
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert 'data-task="meet"' in page and 'data-stage="accepted"' in page
    assert AuditLogEntry.objects.filter(subject=f"accounts.user:{proposal.leader_id}").exists()
    task = proposal.tasks.get(kind=TaskKind.MEET)
    response = client.post(f"/proposals/tasks/{task.pk}/assign/",
                           {f"task{task.pk}-assignee": volunteer.pk,
                            f"task{task.pk}-due_on": "2030-01-01"})
    assert response.status_code == 302
    force_staff_login(client, volunteer)
    page = client.get("/proposals/tasks/").content.decode()
    assert f'data-proposal="{proposal.pk}"' in page
    assert client.post(f"/proposals/tasks/{task.pk}/close/", {"next": "tasks"}).status_code == 302
    task.refresh_from_db()
    assert task.done_by == volunteer
    proposal.refresh_from_db()
    assert proposal.stage == Stage.IN_PREPARATION
    # A volunteer takes tasks but does not move cards.
    assert client.post(f"/proposals/{proposal.pk}/move/",
                       {"stage": "withdrawn", "reason": "x"}).status_code == 404


def test_decline_without_reason_is_a_400_with_the_message(client, city):
    boss = coordinator(city)
    proposal = submit(city)
    sign_in_staff(client, boss)
    response = client.post(f"/proposals/{proposal.pk}/move/", {"stage": "declined"})
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.stage == Stage.NEW


def test_notes_and_history_are_shown_to_the_team(client, city):
    boss = coordinator(city)
    proposal = submit(city)
    sign_in_staff(client, boss)
    client.post(f"/proposals/{proposal.pk}/notes/", {"text": "Appelée ce matin"})
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Appelée ce matin" in page and 'id="history"' in page


def test_leader_space_status_edit_and_withdraw(client, city):
    boss = coordinator(city)
    proposal = submit(city)
    services.proposal_accept(proposal=proposal, actor=boss)
    link = re.search(r"http://[^\s]+", sms.outbox[0].body).group(0)
    response = client.get(link.split("8000", 1)[-1] if "8000" in link else link)
    assert response.status_code == 302
    page = client.get("/proposals/mine/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-stage="accepted"' in html and 'id="my-workshops"' in html
    assert "مطبخ سوري" in html
    response = client.post(f"/proposals/mine/{proposal.pk}/text/",
                           {"language": "fr", "title": "Cuisine syrienne", "description": ""})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title["fr"] == "Cuisine syrienne"
    client.post(f"/proposals/mine/{proposal.pk}/withdraw/", {"reason": "Plus le temps"})
    proposal.refresh_from_db()
    assert proposal.stage == Stage.WITHDRAWN


def test_leader_cannot_open_someone_elses_proposal(client, city):
    mine = submit(city)
    theirs = submit(city, phone="+32470555555", title="Autre")
    client.force_login(mine.leader, backend="sesame.backends.ModelBackend")
    assert client.get(f"/proposals/mine/{theirs.pk}/text/").status_code == 404
    assert client.get(f"/proposals/{theirs.pk}/").status_code == 403


def test_detail_page_query_count_is_bounded(client, city, django_assert_max_num_queries):
    boss = coordinator(city)
    proposal = submit(city)
    services.proposal_accept(proposal=proposal, actor=boss)
    for index in range(5):
        services.note_add(proposal=proposal, author=boss, text=f"Note {index}")
    sign_in_staff(client, boss)
    with django_assert_max_num_queries(15):
        assert client.get(f"/proposals/{proposal.pk}/").status_code == 200


# --- "Back" keeps what was typed ----------------------------------------------------------


def test_back_keeps_the_unchecked_screen_and_shows_it_again(client, city):
    client.post("/proposals/new/", {**STEP1, "city": city.pk})
    page = client.get("/proposals/new/2/").content.decode()
    # A submit button, not a link: what is typed goes with it, unchecked.
    assert re.search(r'<button[^>]*name="back"[^>]*formnovalidate', page)
    assert 'href="/proposals/new/"' not in page.split('id="proposal-form"')[1]
    # Half of screen 2, with a title still missing and a wrong group size: no error.
    response = client.post("/proposals/new/2/", {"back": "1", "theme": "music", "title": "",
                                                 "description": "On chante ensemble",
                                                 "language": "fr", "group_size": "abc"})
    assert response.status_code == 302 and response["Location"] == "/proposals/new/"
    page = client.get("/proposals/new/").content.decode()
    assert 'value="Amira"' in page and 'id="form-errors"' not in page
    # Forward again: screen 2 is as it was left, still unchecked.
    assert client.post("/proposals/new/", {**STEP1, "city": city.pk}).status_code == 302
    page = client.get("/proposals/new/2/").content.decode()
    assert "On chante ensemble" in page and 'value="abc"' in page
    assert re.search(r'value="music"[^>]*checked', page)
    assert 'id="form-errors"' not in page
    # It is not done until "Next" accepts it: screen 3 is not open yet.
    assert client.get("/proposals/new/3/")["Location"] == "/proposals/new/2/"
    assert client.post("/proposals/new/2/", {**STEP2, "title": ""}).status_code == 400
    assert client.post("/proposals/new/2/", STEP2).status_code == 302
    assert Proposal.objects.count() == 0


def test_back_from_the_last_screen_then_send(client, city):
    _fill_first_two = [client.post("/proposals/new/", {**STEP1, "city": city.pk}),
                       client.post("/proposals/new/2/", STEP2)]
    assert all(r.status_code == 302 for r in _fill_first_two)
    response = client.post("/proposals/new/3/", {"back": "1", "equipment": "Un piano",
                                                 "budget": "-3", "available_days": ["mon",
                                                                                     "fri"]})
    assert response["Location"] == "/proposals/new/2/"
    assert Proposal.objects.count() == 0
    # Screen 2 shows what it had; "Next" leads back to screen 3 as it was left.
    page = client.get("/proposals/new/2/").content.decode()
    assert STEP2["title"] in page
    assert client.post("/proposals/new/2/", STEP2)["Location"] == "/proposals/new/3/"
    page = client.get("/proposals/new/3/").content.decode()
    assert 'value="Un piano"' in page and 'value="-3"' in page
    assert re.search(r'value="mon"[^>]*checked', page) and re.search(r'value="fri"[^>]*checked',
                                                                    page)
    # Checked only now, on "Send": the bad budget is refused, then fixed and sent.
    assert client.post("/proposals/new/3/", {**STEP3, "budget": "-3"}).status_code == 400
    assert client.post("/proposals/new/3/", {**STEP3, "equipment": "Un piano"}).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.equipment == "Un piano" and proposal.title == {"ar": STEP2["title"]}
    # Everything is forgotten once sent.
    assert client.get("/proposals/new/2/")["Location"] == "/proposals/new/"


def test_back_is_bounded_and_the_honeypot_still_works(client, city):
    client.post("/proposals/new/", {**STEP1, "city": city.pk})
    client.post("/proposals/new/2/", {"back": "1", "title": "x" * 100_000,
                                      "unknown": "y" * 100_000})
    unchecked = client.session["proposal_draft"]["unchecked"]["2"]
    assert len(unchecked["title"]) == 2000 and "unknown" not in unchecked
    client.post("/proposals/new/2/", STEP2)
    response = client.post("/proposals/new/3/", {"back": "1", "website": "http://spam"})
    assert response["Location"] == "/proposals/sent/"
    assert "proposal_draft" not in client.session
    # There is no screen before the first one.
    response = client.post("/proposals/new/", {"back": "1", **STEP1, "city": city.pk})
    assert response["Location"] == "/proposals/new/2/"


# --- Co-leaders ---------------------------------------------------------------------------


def test_coordinator_invites_then_removes_a_co_leader(client, city):
    boss = coordinator(city)
    proposal = submit(city)
    workshop = services.proposal_accept(proposal=proposal, actor=boss)
    sms.outbox.clear()
    sign_in_staff(client, boss)
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert 'id="co-leader-form"' in page
    response = client.post(f"/proposals/{proposal.pk}/co-leaders/",
                           {"co-display_name": "Yusuf Kaya", "co-phone": "0470 98 76 54",
                            "co-email": "", "co-language": "tr"})
    assert response.status_code == 302
    # An invitation, not a co-leader yet (issue 10, finding 2).
    assert not workshop.co_leaders.exists()
    invited = User.objects.get(phone="+32470987654")
    assert invited.display_name == "Yusuf Kaya" and invited.preferred_language == "tr"
    assert not Membership.objects.filter(person=invited).exists()
    message = Message.objects.get(recipient=invited, template="proposal_co_leader")
    assert message.language == "tr"
    assert len(sms.outbox) == 1 and sms.outbox[0].to == "+32470987654"
    link = re.search(r"http://\S+", sms.outbox[0].body).group(0)
    assert "next=/proposals/mine/" in link
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert f'data-co-leader="{invited.pk}"' not in page and "Yusuf Kaya" in page

    # Their magic link opens their own space, where they accept.
    other = Client()
    assert other.get(link.split("8000", 1)[-1] if "8000" in link else link).status_code == 302
    html = other.get("/proposals/mine/").content.decode()
    invitation = CoLeaderInvitation.objects.get(person=invited)
    assert f'data-invitation="{invitation.pk}"' in html
    assert f'data-workshop="{workshop.pk}"' not in html
    response = other.post(f"/proposals/mine/invitations/{invitation.pk}/",
                          {"answer": "accept"})
    assert response.status_code == 302
    assert list(workshop.co_leaders.all()) == [invited]
    assert f'data-workshop="{workshop.pk}"' in other.get("/proposals/mine/").content.decode()
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert f'data-co-leader="{invited.pk}"' in page
    assert AuditLogEntry.objects.filter(subject=f"accounts.user:{invited.pk}").exists()

    # Inviting them again is refused with a message, not a 500.
    response = client.post(f"/proposals/{proposal.pk}/co-leaders/",
                           {"co-display_name": "Yusuf", "co-phone": "+32470987654",
                            "co-language": "fr"})
    assert response.status_code == 409 and 'id="form-errors"' in response.content.decode()
    # Removing takes the workshop off their space.
    response = client.post(f"/proposals/{proposal.pk}/co-leaders/{invited.pk}/remove/")
    assert response.status_code == 302
    assert not workshop.co_leaders.exists()
    assert f'data-workshop="{workshop.pk}"' not in other.get(
        "/proposals/mine/").content.decode()


def test_co_leader_found_by_email_keeps_their_name(client, city):
    boss = coordinator(city)
    known = member(city, Role.PARTICIPANT, display_name="Nour Saleh", email="nour@example.org")
    proposal = submit(city)
    services.proposal_accept(proposal=proposal, actor=boss)
    sign_in_staff(client, boss)
    response = client.post(f"/proposals/{proposal.pk}/co-leaders/",
                           {"co-display_name": "N.", "co-email": "NOUR@example.org",
                            "co-language": "fr"})
    assert response.status_code == 302
    assert CoLeaderInvitation.objects.get().person == known
    known.refresh_from_db()
    assert known.display_name == "Nour Saleh"
    assert Message.objects.filter(recipient=known, template="proposal_co_leader").exists()


def test_co_leader_form_errors_and_the_leader_themselves(client, city):
    boss = coordinator(city)
    proposal = submit(city)
    workshop = services.proposal_accept(proposal=proposal, actor=boss)
    sign_in_staff(client, boss)
    url = f"/proposals/{proposal.pk}/co-leaders/"
    response = client.post(url, {"co-display_name": "Sans contact", "co-language": "fr"})
    assert response.status_code == 400 and 'id="form-errors"' in response.content.decode()
    response = client.post(url, {"co-display_name": "Amira", "co-phone": "0470 12 34 56",
                                 "co-language": "fr"})
    assert response.status_code == 400
    assert not workshop.co_leaders.exists()


def test_co_leaders_only_by_this_citys_coordinators(client, city, other_city):
    boss = coordinator(city)
    proposal = submit(city)
    workshop = services.proposal_accept(proposal=proposal, actor=boss)
    add_co_leader(workshop=workshop, actor=boss, display_name="Léa", email="lea@example.org")
    co_leader = workshop.co_leaders.get()
    data = {"co-display_name": "Intrus", "co-email": "intrus@example.org", "co-language": "fr"}
    # Another city's coordinator: the proposal does not exist for them.
    outsider = coordinator(other_city)
    sign_in_staff(client, outsider)
    assert client.post(f"/proposals/{proposal.pk}/co-leaders/", data).status_code == 404
    assert client.post(
        f"/proposals/{proposal.pk}/co-leaders/{co_leader.pk}/remove/").status_code == 404
    # A volunteer of the city sees the co-leaders but cannot change them.
    volunteer = member(city, Role.VOLUNTEER)
    force_staff_login(client, volunteer)
    assert client.post(f"/proposals/{proposal.pk}/co-leaders/", data).status_code == 404
    assert list(workshop.co_leaders.all()) == [co_leader]
    assert not Proposal.objects.filter(leader__email="intrus@example.org").exists()


def test_no_co_leaders_before_the_workshop_exists(client, city):
    boss = coordinator(city)
    proposal = submit(city)
    sign_in_staff(client, boss)
    assert 'id="co-leader-form"' not in client.get(f"/proposals/{proposal.pk}/").content.decode()
    response = client.post(f"/proposals/{proposal.pk}/co-leaders/",
                           {"co-display_name": "Léa", "co-email": "lea@example.org",
                            "co-language": "fr"})
    assert response.status_code == 404
