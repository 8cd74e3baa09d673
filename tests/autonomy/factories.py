"""A leader with a record in a city: held sessions, people who came, smileys given."""

from datetime import time, timedelta

from django.utils import timezone

from interra.agenda.models import Feedback, Registration, Session
from interra.proposals.models import Proposal, Stage
from tests.factories import SessionFactory, UserFactory
from tests.planning.factories import ready_workshop, room_open


def held_sessions(workshop, *, count=4, rating=5, came=True, people=2):
    """``count`` held sessions of ``workshop`` in the past weeks, each with ``people``
    confirmed registrations (present or not) and their feedback."""
    for week in range(1, count + 1):
        start = timezone.now() - timedelta(days=7 * week)
        session = SessionFactory(workshop=workshop, room=None, starts_at=start,
                                 ends_at=start + timedelta(hours=2),
                                 status=Session.Status.HELD)
        for _ in range(people):
            registration = Registration.objects.create(
                session=session, person=UserFactory(), seats=1,
                status=Registration.Status.CONFIRMED, attended=came)
            if rating:
                Feedback.objects.create(registration=registration, rating=rating)


def seasoned_workshop(city, *, leader=None, days=("tue", "thu"), times=("evening",),
                      held=4, rating=5, came=True, **fields):
    """A running workshop (series) whose leader held ``held`` good sessions."""
    workshop = ready_workshop(city, days=days, times=times, leader=leader,
                              format="series", **fields)
    Proposal.objects.filter(workshop=workshop).update(stage=Stage.RUNNING)
    held_sessions(workshop, count=held, rating=rating, came=came)
    return workshop


def evening_room(city, **fields):
    """Open Monday to Friday, 14:00 to 22:00."""
    return room_open(city, opens=time(14), closes=time(22), **fields)
