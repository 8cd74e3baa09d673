"""Leaders with sessions that took place, for the credentials tests."""

from datetime import timedelta

from django.utils import timezone

from interra.agenda.models import Feedback, Registration, Session
from tests.factories import RegistrationFactory, SessionFactory, UserFactory, WorkshopFactory


def held_sessions(leader, count, *, theme="cooking", city=None, present=2, workshop=None,
                  hours=2):
    """``count`` past sessions of one workshop led by ``leader``, marked held, each with
    ``present`` participants marked present (through the models: no signal-driven
    badge here unless the caller wants it)."""
    workshop = workshop or WorkshopFactory(
        leader=leader, theme=theme, **({"city": city} if city else {}))
    sessions = []
    start = timezone.now() - timedelta(days=count + 10)
    for index in range(count):
        starts = start + timedelta(days=index)
        session = SessionFactory(workshop=workshop, starts_at=starts,
                                 ends_at=starts + timedelta(hours=hours),
                                 status=Session.Status.HELD)
        for _ in range(present):
            RegistrationFactory(session=session, attended=True)
        sessions.append(session)
    return workshop, sessions


def rate(session, ratings):
    for rating in ratings:
        registration = RegistrationFactory(session=session, attended=True,
                                           status=Registration.Status.CONFIRMED)
        Feedback.objects.create(registration=registration, rating=rating)


def leader(**fields):
    fields.setdefault("display_name", "Amira Haddad")
    fields.setdefault("preferred_language", "fa")
    return UserFactory(**fields)
