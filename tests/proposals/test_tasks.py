"""Tasks after acceptance: a pool the city's volunteers take from (not all on the
coordinator), a message to whoever is given a task, reopening with who/when/why, and
due dates that date inputs can show."""

from datetime import date

import pytest
from django.utils import translation

from interra.cities.models import Role
from interra.core.errors import DomainError
from interra.notifications.models import Message
from interra.proposals import services
from interra.proposals.forms import AssignForm
from interra.proposals.models import Stage, TaskKind
from tests.conftest import force_staff_login, sign_in_staff
from tests.factories import coordinator, member

from .factories import submit

pytestmark = pytest.mark.django_db


def test_accepting_puts_the_tasks_in_the_citys_pool(client, city):
    boss = coordinator(city)
    volunteer = member(city, Role.VOLUNTEER)
    proposal = submit(city)
    services.proposal_accept(proposal=proposal, actor=boss)
    assert proposal.tasks.count() >= 4
    assert set(proposal.tasks.values_list("assignee", flat=True)) == {None}
    assert not Message.objects.filter(template="task_assigned").exists()
    # A volunteer of the city sees them in "tasks nobody has taken" and takes one.
    force_staff_login(client, volunteer)
    html = client.get("/proposals/tasks/").content.decode()
    assert html.count('data-task="') >= 4
    meet = proposal.tasks.get(kind=TaskKind.MEET)
    client.post(f"/proposals/tasks/{meet.pk}/take/", {"next": "tasks"})
    meet.refresh_from_db()
    assert meet.assignee == volunteer
    # Taking it oneself sends no message.
    assert not Message.objects.filter(template="task_assigned").exists()


def test_the_coordinator_may_give_the_tasks_on_acceptance_and_the_volunteer_is_told(client,
                                                                                     city):
    boss = coordinator(city, display_name="Julie Martin")
    volunteer = member(city, Role.VOLUNTEER, preferred_language="ar")
    proposal = submit(city)
    sign_in_staff(client, boss)
    response = client.post(f"/proposals/{proposal.pk}/move/",
                           {"stage": Stage.ACCEPTED, "reason": "",
                            "task_assignee": volunteer.pk})
    assert response.status_code == 302
    assert set(proposal.tasks.values_list("assignee", flat=True)) == {volunteer.pk}
    message = Message.objects.get(template="task_assigned", recipient=volunteer)
    assert message.language == "ar"
    assert len(message.context["tasks"]) == proposal.tasks.count()
    assert message.context["by"] == "Julie"


def test_a_volunteer_is_told_when_given_a_task(city):
    boss = coordinator(city)
    volunteer = member(city, Role.VOLUNTEER, email="marc@example.org")
    proposal = submit(city)
    services.proposal_accept(proposal=proposal, actor=boss)
    task = proposal.tasks.get(kind=TaskKind.ROOM)
    from django.core import mail
    mail.outbox = []
    services.task_assign(task=task, assignee=volunteer, actor=boss)
    sent = [m for m in mail.outbox if m.to == ["marc@example.org"]]
    assert len(sent) == 1 and "/proposals/tasks/" in sent[0].body
    # The same person again (a new date only): no second message.
    services.task_assign(task=task, assignee=volunteer, actor=boss, due_on=date(2030, 1, 2))
    assert len([m for m in mail.outbox if m.to == ["marc@example.org"]]) == 1


def test_a_closed_task_can_be_reopened_with_who_when_and_why(client, city):
    boss = coordinator(city)
    proposal = submit(city, title="Cuisine du monde")
    services.proposal_accept(proposal=proposal, actor=boss)
    for task in proposal.tasks.all():
        services.task_close(task=task, actor=boss)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.READY
    room = proposal.tasks.get(kind=TaskKind.ROOM)
    with pytest.raises(DomainError):
        services.task_reopen(task=room, actor=boss, reason=" ")
    sign_in_staff(client, boss)
    response = client.post(f"/proposals/tasks/{room.pk}/reopen/",
                           {"reason": "The room fell through", "next": "detail"})
    assert response.status_code == 302
    room.refresh_from_db()
    proposal.refresh_from_db()
    assert room.done_at is None and room.reopened_by == boss and room.reopened_at
    assert room.reopen_reason == "The room fell through"
    assert proposal.stage == Stage.IN_PREPARATION
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert 'data-reopened="1"' in html and "The room fell through" in html


@pytest.mark.parametrize("language", ["fr", "ar", "nl", "uk"])
def test_due_date_inputs_carry_an_iso_value_in_every_language(language):
    with translation.override(language):
        html = str(AssignForm(initial={"due_on": date(2026, 12, 1)})["due_on"])
    assert 'type="date"' in html and 'value="2026-12-01"' in html


@pytest.mark.parametrize("language", ["fr", "ar", "de"])
def test_every_date_and_time_input_is_iso(language):
    """Every form of the platform with a date, date-time or time input."""
    from datetime import datetime, time

    from django import forms as django_forms

    from interra.agenda import forms as agenda_forms
    from interra.impact import forms as impact_forms
    from interra.proposals import forms as proposals_forms
    from interra.venues import forms as venues_forms

    expected = {"date": "2026-12-01", "datetime-local": "2026-12-01T18:30", "time": "18:30"}
    values = {"date": date(2026, 12, 1), "datetime-local": datetime(2026, 12, 1, 18, 30),
              "time": time(18, 30)}
    checked = 0
    for module in (agenda_forms, impact_forms, proposals_forms, venues_forms):
        for form_class in vars(module).values():
            if not (isinstance(form_class, type) and issubclass(form_class, django_forms.Form)):
                continue
            for name, field in form_class.base_fields.items():
                input_type = getattr(field.widget, "input_type", "")
                if input_type not in expected:
                    continue
                with translation.override(language):
                    html = field.widget.render(name, values[input_type])
                assert f'value="{expected[input_type]}"' in html, (form_class, name, html)
                checked += 1
    assert checked >= 10
