"""Finding 7 of issue 10: after "erase my data", nothing in the whole database names the
person: not their sessions, not the messages sent to them or about their workshop, not
the audit log, not their workshop's public texts. Anonymous counts stay.

The person goes through the platform the way a leader who is also a participant does,
staff look them up, and then the whole database is searched (every table and column,
found by introspection) for their name, e-mail and phone.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from interra.accounts.models import User
from interra.accounts.services import magic_link, person_erase
from interra.agenda import services as agenda_services
from interra.agenda.models import Registration
from interra.proposals import services as proposal_services
from interra.proposals.models import Proposal, Stage
from tests.conftest import sign_in_staff
from tests.factories import SessionFactory, UserFactory, coordinator
from tests.proposals.factories import submit

from .db_search import find_in_database

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Zénobie Quagliarella"
EMAIL = "zenobie.q@example.org"
PHONE_TYPED = "0470 98 76 54"
NEEDLES = ["Zénobie", "Zenobie", "Quagliarella", EMAIL, "470987654", PHONE_TYPED,
           "98 76 54"]


def _live_through_the_platform(city) -> User:
    visitor = Client()
    # A proposal from the public form (the browser session remembers what was sent).
    assert visitor.post("/proposals/new/", {
        "display_name": NAME, "phone": PHONE_TYPED, "email": EMAIL,
        "spoken_languages": ["es", "fr"], "city": city.pk}).status_code == 302
    assert visitor.post("/proposals/new/2/", {
        "theme": "cooking", "title": "Cucina di Zénobie Quagliarella",
        "description": "Zénobie Quagliarella vous apprend les pâtes", "language": "es",
        "audience": "everyone", "group_size": "10"}).status_code == 302
    assert visitor.post("/proposals/new/3/", {
        "room_kind": "kitchen", "equipment": "", "materials": "", "budget": "",
        "available_days": ["sat"], "available_times": ["morning"],
        "neighbourhoods": ["Centre"]}).status_code == 302
    person = User.objects.get(email=EMAIL)
    boss = coordinator(city)
    accepted = Proposal.objects.get(leader=person)
    workshop = proposal_services.proposal_accept(proposal=accepted, actor=boss)
    # A second proposal, declined with a reason that names her.
    second = submit(city, display_name=NAME, phone=PHONE_TYPED, email=EMAIL,
                    title="Pizza con Zénobie")
    proposal_services.proposal_move(proposal=second, to_stage=Stage.DECLINED, actor=boss,
                                    reason="Zénobie Quagliarella already leads one")
    # Her workshop's session: participants get messages with its title; she leaves a note.
    session = SessionFactory(workshop=workshop, capacity=10)
    other = UserFactory()
    agenda_services.registration_create(session=session, person=other)
    agenda_services.session_note_update(session=session, note="Zénobie: bring aprons")
    # She registers for another session from the public form, and rates a past one.
    elsewhere = SessionFactory(workshop__city=city, capacity=10)
    assert visitor.post(f"/agenda/{elsewhere.pk}/register/", {
        "name": NAME, "email": EMAIL, "phone": "", "group": "local", "seats": "1",
        "consent": "on"}).status_code == 302
    past = SessionFactory(workshop__city=city, capacity=10)
    took_part = agenda_services.registration_create(session=past, person=person)
    past.starts_at = timezone.now() - timedelta(days=2)
    past.ends_at = past.starts_at + timedelta(hours=2)
    past.save()
    took_part.session = past
    agenda_services.attendance_mark(registration=took_part, attended=True)
    agenda_services.feedback_submit(registration=took_part, rating=5,
                                    comment="Merci, Zénobie Quagliarella était là")
    # She signs in on her phone.
    phone = Client()
    phone.get(magic_link(person).replace("http://127.0.0.1:8000", ""))
    # Staff look her up by name.
    staff = sign_in_staff(Client(), boss)
    staff.get("/staff/people/", {"q": "Quagliarella"})
    staff.get(f"/staff/people/{person.pk}/")
    # Her portfolio: a badge, skills (one confirmed), an attestation, a public page.
    from interra.credentials import services as credential_services

    credential_services.credential_award(person=person, achievement="co_leader", by=boss)
    skill = credential_services.skill_propose(person=person, label="Pasta di Zénobie")
    credential_services.skill_decide(skill=skill, by=boss, confirm=True)
    credential_services.attestation_issue(person=person)
    credential_services.portfolio_update(person=person, is_public=True, show_skills=True)
    staff.get(f"/credentials/staff/leaders/{person.pk}/")
    # An employer finds her, asks with a message naming her; she accepts sharing her
    # e-mail, and the coordinators read the request's log.
    from interra.employers import services as employer_services
    from tests.employers.factories import employer

    organisation, employer_contact = employer(city)
    listing = employer_services.listing_update(person=person, findable=True)
    request = employer_services.contact_request_send(
        employer=organisation, by=employer_contact, listing_id=listing.pk, kind="contact",
        message="Bonjour Zénobie Quagliarella, vos pâtes nous intéressent")
    employer_services.contact_request_accept(request=request, by=person, channel="email")
    staff.get(f"/employers/staff/{organisation.pk}/")
    return person


def test_after_erasure_the_whole_database_has_no_trace_of_the_person(city):
    person = _live_through_the_platform(city)
    assert find_in_database(NEEDLES)  # the search finds her before: it can fail
    registrations = Registration.objects.count()
    proposals = Proposal.objects.count()

    person_erase(person=User.objects.get(pk=person.pk))

    hits = find_in_database(NEEDLES)
    assert hits == [], "\n".join(map(str, sorted(set(hits))))
    # Signed out everywhere.
    from django.contrib.sessions.models import Session
    assert not [s for s in Session.objects.all()
                if s.get_decoded().get("_auth_user_id") == str(person.pk)]
    # Anonymous counts stay.
    assert Registration.objects.count() == registrations
    assert Proposal.objects.count() == proposals
    assert User.objects.filter(pk=person.pk).exists()


def test_an_erased_leaders_workshop_is_no_longer_public(client, city):
    person = _live_through_the_platform(city)
    workshop = Proposal.objects.filter(leader=person).exclude(workshop=None).get().workshop
    session = workshop.sessions.get()
    assert client.get(f"/agenda/{session.pk}/").status_code == 200
    person_erase(person=User.objects.get(pk=person.pk))
    assert client.get(f"/agenda/{session.pk}/").status_code == 404
    assert f"/agenda/{session.pk}/" not in client.get("/agenda/").content.decode()
