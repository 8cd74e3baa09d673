"""A small, deterministic impact dataset built straight through the models."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from interra.accounts.models import Group
from interra.agenda.models import Feedback, Registration, Session
from interra.proposals.models import Proposal, Stage, Task, TaskKind, Theme, Workshop
from interra.venues.models import Partner, Room, Venue
from tests.factories import UserFactory

THEMES = [Theme.COOKING, Theme.ART, Theme.MUSIC, Theme.SPORT, Theme.COOKING, Theme.CRAFTS,
          Theme.LANGUAGES]


def at(day: date, hour: int = 14) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def make_room(city, *, neighbourhood: str, partner_name: str) -> Room:
    partner = Partner.objects.create(city=city, name=partner_name, email="host@partner.example")
    venue = Venue.objects.create(partner=partner, city=city, name=f"{partner_name} hall",
                                 address="Rue 1", neighbourhood=neighbourhood)
    return Room.objects.create(venue=venue, name="Main", capacity=15)


def make_workshop(city, *, leader, theme=Theme.COOKING) -> Workshop:
    return Workshop.objects.create(city=city, leader=leader, theme=theme,
                                   title={"fr": f"Atelier {theme}"}, description={})


def make_session(workshop, *, starts_at, hours=2, room=None, status=Session.Status.HELD,
                 capacity=12) -> Session:
    return Session.objects.create(workshop=workshop, city=workshop.city, room=room,
                                  starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
                                  capacity=capacity, status=status)


def register(session, person=None, *, attended=True, seats=1, group=None,
             status=Registration.Status.CONFIRMED, walk_in=False) -> Registration:
    return Registration.objects.create(
        session=session, person=person, seats=seats, status=status, attended=attended,
        group=group or (person.group if person else Group.UNDISCLOSED),
        is_walk_in=walk_in, walk_in_name="Walk In Person" if walk_in else "",
    )


@dataclass
class Dataset:
    city: object
    year: int
    people: list = field(default_factory=list)
    sessions: list = field(default_factory=list)


def build_dataset(city, year: int, *, seed: int = 7) -> Dataset:
    """Seven workshops (five newcomer-led), ~25 held sessions in ``year``, one held session
    the year before (ties history), cancelled and upcoming sessions, ~30 people."""
    rng = random.Random(seed)
    data = Dataset(city=city, year=year)
    rooms = [make_room(city, neighbourhood="Centre", partner_name="Maison Centre"),
             make_room(city, neighbourhood="Outremeuse", partner_name="Bibliothèque Nord"),
             None]
    newcomers = [UserFactory(group=Group.NEWCOMER) for _ in range(12)]
    locals_ = [UserFactory(group=Group.LOCAL) for _ in range(12)]
    undisclosed = [UserFactory(group=Group.UNDISCLOSED) for _ in range(5)]
    data.people = newcomers + locals_ + undisclosed
    leaders = [UserFactory(group=Group.NEWCOMER) for _ in range(5)] + [
        UserFactory(group=Group.LOCAL) for _ in range(2)]
    workshops = [make_workshop(city, leader=leader, theme=THEMES[i])
                 for i, leader in enumerate(leaders)]

    def fill(session):
        for person in rng.sample(data.people, 9):
            attended = rng.choice([True, True, True, False, None])
            registration = register(session, person, attended=attended,
                                    seats=rng.choice([1, 1, 1, 2]))
            if attended and rng.random() < 0.6:
                Feedback.objects.create(registration=registration, rating=rng.randint(2, 5))
        if rng.random() < 0.5:
            register(session, None, walk_in=True, group=rng.choice(list(Group.values)),
                     seats=rng.choice([1, 2]))
        for person in rng.sample(data.people, 2):
            if not session.registrations.filter(person=person).exists():
                register(session, person, attended=None, status=Registration.Status.WAITLISTED)

    for index, workshop in enumerate(workshops):
        for n in range(3 + index % 2):
            day = date(year, 1 + (index * 3 + n * 2) % 12, 3 + index + n)
            session = make_session(workshop, starts_at=at(day), room=rooms[(index + n) % 3],
                                   hours=1 + (index + n) % 3)
            fill(session)
            data.sessions.append(session)
    # History: a held session the year before, so some pairs are not new in ``year``.
    before = make_session(workshops[0], starts_at=at(date(year - 1, 11, 5)), room=rooms[0])
    fill(before)
    # Not held: cancelled, and scheduled (counts for the waitlist only).
    cancelled = make_session(workshops[1], starts_at=at(date(year, 6, 1)),
                             status=Session.Status.CANCELLED)
    register(cancelled, newcomers[0], attended=True)
    upcoming = make_session(workshops[2], starts_at=at(date(year, 12, 20)),
                            status=Session.Status.SCHEDULED)
    for person in locals_[:6]:
        register(upcoming, person, attended=None, status=Registration.Status.WAITLISTED)

    # Pipeline: proposals received in the year; three became the first three workshops.
    for i, (stage, workshop) in enumerate([
        (Stage.RUNNING, workshops[0]), (Stage.RUNNING, workshops[1]),
        (Stage.SCHEDULED, workshops[2]), (Stage.NEW, None), (Stage.DECLINED, None),
        (Stage.IN_PREPARATION, None),
    ]):
        proposal = Proposal.objects.create(
            city=city, leader=leaders[i % len(leaders)], theme=Theme.ART,
            title={"fr": f"Proposition {i}"}, description={}, title_key=f"p{i}",
            stage=stage, workshop=workshop,
        )
        Proposal.objects.filter(pk=proposal.pk).update(created_at=at(date(year, 1, 1 + i), 9))
        if stage == Stage.IN_PREPARATION:
            today = timezone.localdate()
            Task.objects.create(proposal=proposal, kind=TaskKind.ROOM,
                                due_on=today - timedelta(days=3))
            Task.objects.create(proposal=proposal, kind=TaskKind.MEET,
                                due_on=today + timedelta(days=3))
            Task.objects.create(proposal=proposal, kind=TaskKind.POSTER,
                                due_on=today - timedelta(days=9), done_at=timezone.now())
    return data
