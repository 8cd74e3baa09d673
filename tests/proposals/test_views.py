import re

import pytest

from interra.cities.models import Role
from interra.core.models import AuditLogEntry
from interra.notifications import sms
from interra.proposals import services
from interra.proposals.models import Proposal, Stage, TaskKind
from tests.conftest import sign_in_staff
from tests.factories import coordinator, member

from .factories import submit

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


def test_rate_limit(client, city):
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
    client.force_login(volunteer, backend="sesame.backends.ModelBackend")
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
