import pytest

from interra.cities.models import Role
from interra.proposals import services
from tests.conftest import force_staff_login, sign_in_staff
from tests.factories import UserFactory, coordinator, member

from .factories import submit

pytestmark = pytest.mark.django_db


def test_another_citys_coordinator_gets_404(client, city, other_city):
    liege = coordinator(city)
    namur = coordinator(other_city)
    proposal = submit(city, title="Cuisine de Liège")
    services.proposal_accept(proposal=proposal, actor=liege)
    task = proposal.tasks.first()
    sign_in_staff(client, namur)
    board = client.get("/proposals/board/").content.decode()
    assert "Cuisine de Liège" not in board
    assert client.get(f"/proposals/{proposal.pk}/").status_code == 404
    assert client.post(f"/proposals/{proposal.pk}/move/",
                       {"stage": "withdrawn", "reason": "x"}).status_code == 404
    assert client.post(f"/proposals/{proposal.pk}/notes/", {"text": "x"}).status_code == 404
    assert client.post(f"/proposals/tasks/{task.pk}/close/").status_code == 404
    assert client.get("/proposals/board/?city=liege").status_code == 200
    assert "Cuisine de Liège" not in client.get("/proposals/board/?city=liege").content.decode()
    assert not namur.has_perm("proposals.view_proposal", proposal)
    assert not namur.has_perm("proposals.move_proposal", proposal)
    assert liege.has_perm("proposals.move_proposal", proposal)


def test_volunteer_of_another_city_cannot_touch_tasks(client, city, other_city):
    liege = coordinator(city)
    proposal = submit(city)
    services.proposal_accept(proposal=proposal, actor=liege)
    outsider = member(other_city, Role.VOLUNTEER)
    force_staff_login(client, outsider)
    task = proposal.tasks.first()
    assert client.post(f"/proposals/tasks/{task.pk}/take/").status_code == 404
    assert f'data-proposal="{proposal.pk}"' not in client.get("/proposals/tasks/").content.decode()


def test_board_needs_a_strongly_authenticated_coordinator(client, city):
    volunteer = member(city, Role.VOLUNTEER)
    client.force_login(volunteer, backend="sesame.backends.ModelBackend")
    assert client.get("/proposals/board/").status_code == 403
    boss = coordinator(city)
    client.force_login(boss, backend="sesame.backends.ModelBackend")
    response = client.get("/proposals/board/")
    assert response.status_code == 302 and "/accounts/staff/sign-in/" in response["Location"]
    participant = member(city, Role.PARTICIPANT)
    client.force_login(participant, backend="sesame.backends.ModelBackend")
    assert client.get("/proposals/tasks/").status_code == 403


def test_network_admin_sees_every_city(city, other_city):
    proposal = submit(other_city)
    admin = UserFactory(is_network_admin=True)
    assert admin.has_perm("proposals.move_proposal", proposal)
    assert admin.has_perm("proposals.view_proposal", proposal)



def test_a_network_admin_taking_a_task_is_told_why_not(client, city):
    """Found by the matrix (tests/security/test_matrix.py): a network admin is in no
    city's team; taking a task raised instead of saying so (500)."""
    proposal = submit(city)
    services.proposal_accept(proposal=proposal, actor=coordinator(city))
    task = proposal.tasks.first()
    force_staff_login(client, UserFactory(is_network_admin=True))
    client.raise_request_exception = True
    response = client.post(f"/proposals/tasks/{task.pk}/take/", follow=True)
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.assignee is None
