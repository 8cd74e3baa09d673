"""Issue 10, finding 2: nothing of another city's people becomes visible by typing a
phone number (co-leader form, proposal form); the newcomer/local mark stays with the
person's own city's coordinators."""

import pytest
from django.test import Client

from interra.accounts.models import Group
from interra.cities.models import Membership, Role
from interra.proposals import services
from interra.proposals.models import CoLeaderInvitation, Proposal
from tests.conftest import force_staff_login, sign_in_staff
from tests.factories import UserFactory, coordinator, member
from tests.proposals.factories import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def liege_person(city):
    return member(city, Role.PARTICIPANT, display_name="Olena Kovalenko",
                  email="olena@liege.example", phone="+32470556677", group=Group.NEWCOMER)


@pytest.fixture
def namur_proposal(other_city):
    boss = coordinator(other_city, email="namur-boss@example.org")
    proposal = submit(other_city, phone="0470 10 20 30", display_name="Gaston N")
    services.proposal_accept(proposal=proposal, actor=boss)
    proposal.refresh_from_db()
    return boss, proposal


def _shows_mark(html: str) -> bool:
    from django.utils import translation

    labels = set()
    for language in ("fr", "en"):
        with translation.override(language):
            labels.add(str(Group.NEWCOMER.label))
    return any(label in html for label in labels)


def _secrets(person) -> list[str]:
    return [person.display_name, "Kovalenko", person.email, "556677", "556 677", "55 66 77"]


def _shows_any(html: str, person) -> list[str]:
    return [s for s in _secrets(person) if s in html]


def test_typing_a_phone_as_co_leader_shows_nothing_of_the_person(liege_person, namur_proposal):
    boss, proposal = namur_proposal
    client = sign_in_staff(Client(), boss)
    response = client.post(f"/proposals/{proposal.pk}/co-leaders/", {
        "co-display_name": "Whoever", "co-phone": "0470 55 66 77", "co-language": "fr"})
    assert response.status_code == 302
    pages = [client.get(response["Location"].split("#")[0]),
             client.get(f"/staff/people/{liege_person.pk}/"),
             client.get("/staff/people/?q=Olena"), client.get("/staff/people/")]
    assert pages[1].status_code == 404
    for page in pages:
        assert not _shows_any(page.content.decode(), liege_person)
    assert not Membership.objects.filter(person=liege_person, city=proposal.city).exists()
    liege_person.refresh_from_db()
    assert liege_person.display_name == "Olena Kovalenko"  # nothing changed either


def test_after_accepting_the_co_leader_is_seen_on_the_workshop_only_and_never_the_mark(
        liege_person, namur_proposal):
    boss, proposal = namur_proposal
    client = sign_in_staff(Client(), boss)
    client.post(f"/proposals/{proposal.pk}/co-leaders/", {
        "co-display_name": "Whoever", "co-phone": "0470 55 66 77", "co-language": "fr"})
    invitation = CoLeaderInvitation.objects.get(person=liege_person)
    # The person accepts from their own session.
    own = Client()
    own.force_login(liege_person, backend="sesame.backends.ModelBackend")
    assert own.post(f"/proposals/mine/invitations/{invitation.pk}/",
                    {"answer": "accept"}).status_code == 302
    detail = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Olena Kovalenko" in detail and "olena@liege.example" in detail
    # Still no people page and no mark in Namur.
    assert client.get(f"/staff/people/{liege_person.pk}/").status_code == 404
    assert not _shows_mark(detail)
    # Removed: the workshop page no longer shows them.
    client.post(f"/proposals/{proposal.pk}/co-leaders/{liege_person.pk}/remove/")
    assert not _shows_any(client.get(f"/proposals/{proposal.pk}/").content.decode(),
                          liege_person)
    assert client.get(f"/staff/people/{liege_person.pk}/").status_code == 404


def test_someone_elses_invitation_cannot_be_answered(liege_person, namur_proposal):
    boss, proposal = namur_proposal
    invitation = services.workshop_co_leader_invite(
        workshop=proposal.workshop, actor=boss, display_name="X", phone="0470 55 66 77")
    intruder = Client()
    intruder.force_login(UserFactory(), backend="sesame.backends.ModelBackend")
    response = intruder.post(f"/proposals/mine/invitations/{invitation.pk}/",
                             {"answer": "accept"})
    assert response.status_code == 404
    assert not proposal.workshop.co_leaders.exists()
    assert intruder.get("/agenda/lead/").status_code == 200


def test_an_anonymous_proposal_with_someones_phone_gives_no_role_in_that_city(
        liege_person, other_city):
    boss = coordinator(other_city)
    submit(other_city, phone="0470 55 66 77", email="", display_name="Fake")
    assert not Membership.objects.filter(person=liege_person, city=other_city).exists()
    client = sign_in_staff(Client(), boss)
    assert client.get(f"/staff/people/{liege_person.pk}/").status_code == 404
    assert not _shows_any(client.get("/staff/people/").content.decode(), liege_person)
    # The proposal's pages show what was typed, not who the phone belongs to.
    proposal = Proposal.objects.get(leader=liege_person)
    for url in ("/proposals/board/", f"/proposals/{proposal.pk}/", "/proposals/tasks/"):
        html = client.get(url).content.decode()
        assert not [s for s in _secrets(liege_person) if s in html and s != "556677"], url
        assert "olena@liege.example" not in html
    assert "Fake" in client.get(f"/proposals/{proposal.pk}/").content.decode()
    # When the person opens their own space, the proposal's city gets them as leader,
    # and the team sees who they are.
    own = Client()
    own.force_login(liege_person, backend="sesame.backends.ModelBackend")
    own.get("/proposals/mine/")
    assert Membership.objects.filter(person=liege_person, city=other_city,
                                     role=Role.LEADER).exists()
    assert "Olena Kovalenko" in client.get(f"/proposals/{proposal.pk}/").content.decode()


def test_the_mark_is_for_the_persons_own_citys_coordinators_only(city, other_city,
                                                                   liege_person):
    liege_boss = coordinator(city)
    client = sign_in_staff(Client(), liege_boss)
    page = client.get(f"/staff/people/{liege_person.pk}/").content.decode()
    assert "Olena Kovalenko" in page
    assert _shows_mark(page)
    # A network admin sees the person but not the mark; other cities' roles hidden to
    # a coordinator of one city.
    admin = UserFactory(is_network_admin=True)
    admin_client = force_staff_login(Client(), admin)
    page = admin_client.get(f"/staff/people/{liege_person.pk}/").content.decode()
    assert "Olena Kovalenko" in page
    assert not _shows_mark(page)
    Membership.objects.create(person=liege_person, city=other_city, role=Role.LEADER)
    page = client.get(f"/staff/people/{liege_person.pk}/").content.decode()
    assert other_city.name not in page
