"""Fixtures for the security tests: the demo dataset seeded once per module, and the
people an outsider or an attacker would act as."""

import io
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from interra.accounts.models import User
from interra.agenda.models import Registration, Session
from interra.cities.models import City, Role
from interra.proposals.models import Proposal, Task, Workshop
from interra.venues.models import Booking, Material, MaterialLoan, OpeningRule, Partner, Room
from tests.factories import (
    MaterialFactory,
    OpeningRuleFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    WorkshopFactory,
    coordinator,
    member,
)
from tests.proposals.factories import submit


@dataclass
class World:
    liege: City
    namur: City
    liege_coordinator: User
    namur_coordinator: User
    participant: User
    leader: User
    volunteer: User
    partner_contact: User
    namur_people: list = field(default_factory=list)
    ids: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)


def _sample(queryset, n=2):
    """A few ids spread over the table: the first and the last."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    return ids if len(ids) <= n else [ids[0], ids[-1]]


def _build_world() -> World:
    call_command("seed_demo", stdout=io.StringIO())
    liege = City.objects.get(slug="liege")
    namur = City.objects.get(slug="namur")
    julie = User.objects.get(email="julie@interra.example")
    # Staff with the test password and backup code, so tests.conftest.sign_in_staff works.
    julie.set_password("correct-horse-battery")
    julie.save(update_fields=["password"])
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device = StaticDevice.objects.filter(user=julie).first()
    StaticToken.objects.bulk_create([StaticToken(device=device, token="12345678")
                                     for _ in range(50)])
    namur_coordinator = coordinator(namur, display_name="Bernadette Namuroise",
                                    email="bernadette@namur.example")
    device = StaticDevice.objects.get(user=namur_coordinator)
    StaticToken.objects.bulk_create([StaticToken(device=device, token="12345678")
                                     for _ in range(50)])

    leader = Session.objects.filter(city=liege).order_by("pk").first().workshop.leader
    participant = (Registration.objects.filter(session__city=liege, person__isnull=False,
                                               person__memberships__role=Role.PARTICIPANT)
                   .order_by("pk").first().person)
    volunteer = User.objects.filter(memberships__city=liege,
                                    memberships__role=Role.VOLUNTEER).order_by("pk").first()
    partner_contact = Partner.objects.filter(city=liege).order_by("pk").first().contacts.first()

    # Namur gets its own people and objects, so that Liège viewers have "other city" ids.
    namur_leader = member(namur, Role.LEADER, display_name="Gaston Namurois",
                          email="gaston@namur.example", phone="+32470999001")
    namur_participant = member(namur, Role.PARTICIPANT, display_name="Ophélie Sambre",
                               email="ophelie@namur.example", phone="+32470999002")
    namur_workshop = WorkshopFactory(city=namur, leader=namur_leader)
    namur_session = SessionFactory(workshop=namur_workshop)
    namur_registration = RegistrationFactory(session=namur_session, person=namur_participant)
    past = SessionFactory(workshop=namur_workshop,
                          starts_at=timezone.now() - timedelta(days=3))
    RegistrationFactory(session=past, person=namur_participant, attended=True)
    namur_room = namur_session.room
    OpeningRuleFactory(room=namur_room)
    namur_material = MaterialFactory(city=namur)
    namur_partner = namur_room.venue.partner
    namur_partner.contacts.add(member(namur, Role.PARTNER, display_name="Paula Meuse",
                                      email="paula@namur.example"))
    namur_proposal = submit(namur, display_name="Ibrahim Namur", phone="+32470999003")
    RoomFactory(venue=namur_room.venue)
    from interra.notifications.models import Message

    failed_messages = [
        Message.objects.create(recipient=person, city=city, template="magic_link",
                               channel=person.contact_channel, language="fr",
                               context={"sign_in_next": "/"}, status=Message.Status.FAILED)
        for person, city in ((participant, liege), (namur_participant, namur))
    ]

    plans = _planner_plans(liege, namur, namur_room)
    credentials, skills, slugs = _credentials(leader, namur_leader, julie)
    employers, listings, contact_requests = _employers(leader, namur_leader, liege, namur)
    ids = {
        "plan": plans,
        "session": _sample(Session.objects.filter(city=liege)) + [namur_session.pk, past.pk],
        "proposal": _sample(Proposal.objects.filter(city=liege)) + [namur_proposal.pk],
        "task": _sample(Task.objects.filter(proposal__city=liege))
        + list(Task.objects.filter(proposal=namur_proposal).values_list("pk", flat=True)[:1]),
        "venue": sorted(set(Room.objects.filter(venue__city=liege)
                            .values_list("venue_id", flat=True)[:2])) + [namur_room.venue_id],
        "room": _sample(Room.objects.filter(venue__city=liege), 1) + [namur_room.pk],
        "booking": _sample(Booking.objects.filter(room__venue__city=liege)),
        "material": _sample(Material.objects.filter(city=liege)) + [namur_material.pk],
        "loan": _sample(MaterialLoan.objects.filter(material__city=liege)),
        "opening": _sample(OpeningRule.objects.filter(room__venue__city=liege))
        + list(OpeningRule.objects.filter(room=namur_room).values_list("pk", flat=True)),
        "person": _sample(User.objects.filter(memberships__city=liege).distinct())
        + [namur_participant.pk, namur_leader.pk],
        "leader": [leader.pk, namur_leader.pk],
        # A trusted leader's workshop too: their page runs the planner (autonomy).
        "workshop": _sample(Workshop.objects.filter(city=liege))
        + list(Workshop.objects.filter(city=liege, leader__trusts__revoked_at__isnull=True)
               .values_list("pk", flat=True)[:1])
        + list(Workshop.objects.filter(city=namur).values_list("pk", flat=True)[:1]),
        "registration": _sample(Registration.objects.filter(session__city=liege))
        + [namur_registration.pk],
        "message": [message.pk for message in failed_messages],
        "skill": skills,
        "employer": employers,
    }
    tokens = {
        "registration": list(Registration.objects.filter(session__city=liege,
                                                         person__isnull=False)
                             .order_by("pk").values_list("token", flat=True)[:2])
        + [namur_registration.token],
        # Not integers: filled like ids, but kept out of the "largest id" arithmetic.
        "credential": credentials,
        "portfolio": slugs,
        "listing": listings,
        "contact_request": contact_requests,
    }
    return World(liege=liege, namur=namur, liege_coordinator=julie,
                 namur_coordinator=namur_coordinator, participant=participant, leader=leader,
                 volunteer=volunteer, partner_contact=partner_contact,
                 namur_people=[namur_leader, namur_participant], ids=ids, tokens=tokens)


def _credentials(leader, namur_leader, coordinator_) -> tuple[list, list, list]:
    """A badge, a skill waiting for confirmation and a (private) portfolio per city."""
    from interra.credentials import selectors, services
    from interra.credentials.models import Achievement

    credentials, skills, slugs = [], [], []
    for person in (leader, namur_leader):
        credential = person.credentials.filter(revoked_at__isnull=True).first() or (
            services.credential_award(person=person, achievement=Achievement.CO_LEADER,
                                      by=coordinator_))
        credentials.append(str(credential.pk))
        skills.append(services.skill_propose(person=person, label="Crawl skill").pk)
        slugs.append(selectors.portfolio_of(person).public_slug)
    return credentials, skills, slugs


def _employers(leader, namur_leader, liege, namur) -> tuple[list, list, list]:
    """Per city a verified organisation whose contact asked a leader who may be found
    (Liège: the demo's caterer; Namur: one made here)."""
    from interra.employers import services
    from interra.employers.models import ContactRequest, Employer, EmployerContact

    employers, listings, contact_requests = [], [], []
    for person, city in ((leader, liege), (namur_leader, namur)):
        organisation = Employer.objects.filter(city=city).first()
        if organisation is None:
            organisation = Employer.objects.create(city=city, name="Crawl SA",
                                                   status=Employer.Status.VERIFIED)
            EmployerContact.objects.create(
                employer=organisation, person=member(city, Role.EMPLOYER,
                                                     display_name="Emile Crawl"),
                confirmed_at=timezone.now())
        listing = services.listing_update(person=person, findable=True)
        request = ContactRequest.objects.filter(employer=organisation, leader=person,
                                                status="pending").first()
        request = request or ContactRequest.objects.create(
            employer=organisation, city=city, leader=person, kind="contact", message="Bonjour",
            sent_by=organisation.contacts.first().person, sent_at=timezone.now())
        employers.append(organisation.pk)
        listings.append(str(listing.pk))
        contact_requests.append(str(request.pk))
    return employers, listings, contact_requests


def _planner_plans(liege, namur, namur_room) -> list[int]:
    """A stored plan per city (made directly: the crawl needs rows, not a solve)."""
    from interra.planning.models import Plan, PlanItem

    ids = []
    for city, room in ((liege, Room.objects.filter(venue__city=liege).first()),
                       (namur, namur_room)):
        workshop = Workshop.objects.filter(city=city).first()
        plan = Plan.objects.create(city=city, starts_on=timezone.localdate(), days=28,
                                   time_limit=10, status="feasible", wanted=2, bound=2,
                                   unplaced=[{"workshop": workshop.pk if workshop else 0,
                                              "missing": 1, "suggestion": None,
                                              "blocker": {"code": "taken"}}])
        if workshop and room:
            start = timezone.now() + timedelta(days=3)
            PlanItem.objects.create(plan=plan, workshop=workshop, room=room, starts_at=start,
                                    ends_at=start + timedelta(hours=2))
        ids.append(plan.pk)
    return ids


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module inside a transaction rolled back at the end;
    each test runs in a savepoint inside it, so what a test changes is undone."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
