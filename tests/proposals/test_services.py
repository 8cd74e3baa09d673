import pytest
from django.core import mail

from interra.cities.models import Membership, Role
from interra.core.errors import Conflict, DomainError, PermissionDenied
from interra.notifications import sms
from interra.notifications.models import Message
from interra.proposals import services
from interra.proposals.models import Proposal, Stage, StageChange, Task, TaskKind, Workshop
from tests.factories import coordinator, member

from .factories import add_co_leader, submit

pytestmark = pytest.mark.django_db


def test_submit_creates_person_leader_role_history_and_sends_a_magic_link(city):
    proposal = submit(city)
    leader = proposal.leader
    assert leader.phone == "+32470123456"
    assert leader.preferred_language == "ar"
    assert Membership.objects.filter(person=leader, city=city, role=Role.LEADER).exists()
    assert proposal.stage == Stage.NEW
    assert proposal.title == {"ar": "مطبخ سوري"}
    assert proposal.neighbourhoods == ["Centre"]
    assert list(proposal.history.values_list("to_stage", flat=True)) == [Stage.NEW]
    message = Message.objects.get(recipient=leader, template="proposal_received")
    assert message.language == "ar"
    # Phone only: the link goes by SMS and opens the leader space.
    assert len(sms.outbox) == 1
    assert "/accounts/link/?sesame=" in sms.outbox[0].body
    assert "next=/proposals/mine/" in sms.outbox[0].body


def test_duplicate_same_contact_and_title_is_refused_and_nothing_is_saved(city):
    submit(city, title="Cuisine syrienne")
    with pytest.raises(Conflict) as error:
        submit(city, title="  cuisine SYRIENNE! ", phone="+32 470 12 34 56")
    assert error.value.code == "duplicate"
    assert Proposal.objects.count() == 1
    # Another title from the same person is fine.
    submit(city, title="Pain syrien")
    assert Proposal.objects.count() == 2


def test_a_declined_proposal_can_be_sent_again(city):
    boss = coordinator(city)
    proposal = submit(city, title="Cuisine")
    services.proposal_move(proposal=proposal, to_stage=Stage.DECLINED, actor=boss,
                           reason="Pas de cuisine libre")
    submit(city, title="Cuisine")
    assert Proposal.objects.count() == 2


@pytest.mark.parametrize("bad", [
    {"title": "   "}, {"theme": "astrology"}, {"phone": "", "email": ""},
    {"phone": "12"}, {"group_size": 0}, {"language": "xx"},
])
def test_bad_input_is_refused_and_changes_nothing(city, bad):
    with pytest.raises(DomainError):
        submit(city, **bad)
    assert Proposal.objects.count() == 0
    assert Membership.objects.count() == 0
    assert Message.objects.count() == 0


def test_unknown_neighbourhoods_and_days_are_dropped(city):
    proposal = submit(city, neighbourhoods=["Centre", "Atlantis"], available_days=["mon", "xyz"])
    assert proposal.neighbourhoods == ["Centre"]
    assert proposal.available_days == ["mon"]


def test_move_records_who_when_why_and_tells_the_leader_in_their_language(city):
    boss = coordinator(city)
    proposal = submit(city)
    services.proposal_move(proposal=proposal, to_stage=Stage.IN_CONVERSATION, actor=boss,
                           reason="Appel prévu")
    change = StageChange.objects.filter(proposal=proposal).last()
    assert (change.actor, change.from_stage, change.to_stage, change.reason) == (
        boss, Stage.NEW, Stage.IN_CONVERSATION, "Appel prévu")
    message = Message.objects.filter(template="proposal_stage_changed").get()
    assert message.language == "ar" and message.context["stage"] == Stage.IN_CONVERSATION


def test_refused_moves(city):
    boss = coordinator(city)
    proposal = submit(city)
    with pytest.raises(Conflict):
        services.proposal_move(proposal=proposal, to_stage=Stage.RUNNING, actor=boss)
    with pytest.raises(DomainError) as error:
        services.proposal_move(proposal=proposal, to_stage=Stage.DECLINED, actor=boss)
    assert error.value.code == "reason"
    proposal.refresh_from_db()
    assert proposal.stage == Stage.NEW
    assert proposal.history.count() == 1


def test_accept_creates_workshop_and_tasks_from_needs(city):
    boss = coordinator(city)
    volunteer = member(city, Role.VOLUNTEER)
    proposal = submit(city, materials="", equipment="", budget=None)
    workshop = services.proposal_accept(proposal=proposal, actor=boss, assignee=volunteer)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.ACCEPTED and proposal.workshop == workshop
    assert workshop.leader == proposal.leader and workshop.title == proposal.title
    assert workshop.needs["room_kind"] == "kitchen"
    kinds = set(proposal.tasks.values_list("kind", flat=True))
    # No materials asked for; no French title yet, so a translation.
    assert kinds == {TaskKind.MEET, TaskKind.ROOM, TaskKind.TRANSLATE, TaskKind.PUBLIC,
                     TaskKind.POSTER}
    assert set(proposal.tasks.values_list("assignee", flat=True)) == {volunteer.pk}
    assert all(t.due_on for t in proposal.tasks.all())
    with pytest.raises(Conflict):
        services.proposal_accept(proposal=proposal, actor=boss)
    assert Workshop.objects.count() == 1


def test_accept_with_french_title_and_materials(city):
    boss = coordinator(city)
    proposal = submit(city, language="fr", title="Cuisine", materials="farine")
    services.proposal_move(proposal=proposal, to_stage=Stage.ACCEPTED, actor=boss)
    kinds = set(proposal.tasks.values_list("kind", flat=True))
    assert TaskKind.MATERIALS in kinds and TaskKind.TRANSLATE not in kinds


def test_closing_tasks_moves_to_preparation_then_ready(city):
    boss = coordinator(city)
    volunteer = member(city, Role.VOLUNTEER)
    proposal = submit(city)
    services.proposal_accept(proposal=proposal, actor=boss)
    tasks = {t.kind: t for t in proposal.tasks.all()}
    services.task_close(task=tasks[TaskKind.MEET], actor=volunteer)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.IN_PREPARATION
    services.task_close(task=tasks[TaskKind.MEET], actor=volunteer)  # twice: no change
    for kind in (TaskKind.ROOM, TaskKind.MATERIALS):
        services.task_close(task=tasks[kind], actor=volunteer)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.IN_PREPARATION  # the translation is still missing
    services.task_close(task=tasks[TaskKind.TRANSLATE], actor=volunteer)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.READY
    assert Task.objects.filter(proposal=proposal, done_at__isnull=True).count() == 2
    stages = list(proposal.history.values_list("to_stage", flat=True))
    assert stages == [Stage.NEW, Stage.ACCEPTED, Stage.IN_PREPARATION, Stage.READY]


def test_task_cannot_go_to_someone_outside_the_city_team(city, other_city):
    boss = coordinator(city)
    outsider = member(other_city, Role.VOLUNTEER)
    proposal = submit(city)
    services.proposal_accept(proposal=proposal, actor=boss)
    with pytest.raises(DomainError):
        services.task_assign(task=proposal.tasks.first(), assignee=outsider)
    with pytest.raises(DomainError):
        services.proposal_assign(proposal=proposal, assignee=outsider, actor=boss)


def test_leader_edits_text_and_the_workshop_follows(city):
    boss = coordinator(city)
    proposal = submit(city)
    services.proposal_accept(proposal=proposal, actor=boss)
    services.proposal_text_update(proposal=proposal, person=proposal.leader, language="fr",
                                  title="Cuisine syrienne", description="On cuisine")
    proposal.refresh_from_db()
    assert proposal.title == {"ar": "مطبخ سوري", "fr": "Cuisine syrienne"}
    assert proposal.workshop.title["fr"] == "Cuisine syrienne"
    stranger = member(city, Role.PARTICIPANT)
    with pytest.raises(DomainError):
        services.proposal_text_update(proposal=proposal, person=stranger, language="fr",
                                      title="Hack", description="")


def test_notes_are_not_empty(city):
    proposal = submit(city)
    with pytest.raises(DomainError):
        services.note_add(proposal=proposal, author=coordinator(city), text="  ")


def test_personal_data_export_and_erase(city):
    from interra.accounts.services import person_erase, person_export

    proposal = submit(city)
    services.note_add(proposal=proposal, author=coordinator(city), text="Appelée")
    data = person_export(person=proposal.leader)
    assert data["proposals"]["proposals"][0]["title"] == {"ar": "مطبخ سوري"}
    person_erase(person=proposal.leader)
    proposal.refresh_from_db()
    assert proposal.title == {} and proposal.description == {}
    assert proposal.notes.count() == 0
    assert Proposal.objects.count() == 1  # the count stays


def test_email_contact_gets_an_email(city):
    mail.outbox = []
    submit(city, phone="", email="leader@example.org")
    assert len(mail.outbox) == 1
    assert "/accounts/link/?sesame=" in mail.outbox[0].body


def test_co_leader_invite_creates_the_person_tells_them_and_waits_for_their_yes(city):
    boss = coordinator(city)
    workshop = services.proposal_accept(proposal=submit(city), actor=boss)
    invitation = services.workshop_co_leader_invite(workshop=workshop, actor=boss,
                                                    display_name="Léa Martin",
                                                    email="lea@Example.org", language="nl")
    person = invitation.person
    assert person.email == "lea@example.org" and person.preferred_language == "nl"
    # Issue 10: nothing until they accept, and never a city role from being typed in.
    assert not workshop.co_leaders.exists()
    services.co_leader_invitation_answer(invitation=invitation, person=person, accept=True)
    assert list(workshop.co_leaders.all()) == [person]
    assert not Membership.objects.filter(person=person, city=city).exists()
    message = Message.objects.get(recipient=person, template="proposal_co_leader")
    assert message.context["workshop_id"] == workshop.pk
    # Email contact: the message goes by email, with a link to the leader space.
    assert mail.outbox[-1].to == ["lea@example.org"]
    assert "next=/proposals/mine/" in mail.outbox[-1].body
    # Their leader space lists the workshop, marked as co-led.
    from interra.proposals.selectors import leader_workshops

    listed = leader_workshops(person)
    assert [w.pk for w in listed] == [workshop.pk] and listed[0].is_co_leader
    assert leader_workshops(workshop.leader)[0].is_co_leader is False


def test_co_leader_refusals_change_nothing(city, other_city):
    boss = coordinator(city)
    workshop = services.proposal_accept(proposal=submit(city), actor=boss)
    with pytest.raises(PermissionDenied):
        services.workshop_co_leader_invite(workshop=workshop, actor=coordinator(other_city),
                                        display_name="X", email="x@example.org")
    with pytest.raises(PermissionDenied):
        services.workshop_co_leader_invite(workshop=workshop, actor=member(city, Role.VOLUNTEER),
                                        display_name="X", email="x@example.org")
    with pytest.raises(DomainError) as error:
        services.workshop_co_leader_invite(workshop=workshop, actor=boss, display_name="Amira",
                                        phone=workshop.leader.phone)
    assert error.value.code == "leader"
    with pytest.raises(DomainError) as error:
        services.workshop_co_leader_invite(workshop=workshop, actor=boss, display_name="Nobody")
    assert error.value.code == "contact"
    assert not workshop.co_leaders.exists()
    assert not Message.objects.filter(template="proposal_co_leader").exists()


def test_co_leader_remove_by_a_coordinator_only(city, other_city):
    boss = coordinator(city)
    workshop = services.proposal_accept(proposal=submit(city), actor=boss)
    person = add_co_leader(workshop=workshop, actor=boss,
                           display_name="Léa", email="lea@example.org")
    with pytest.raises(PermissionDenied):
        services.workshop_co_leader_remove(workshop=workshop, person=person,
                                           actor=coordinator(other_city))
    services.workshop_co_leader_remove(workshop=workshop, person=person, actor=boss)
    services.workshop_co_leader_remove(workshop=workshop, person=person, actor=boss)
    assert not workshop.co_leaders.exists()
