from datetime import timedelta

import pytest
from django.utils import timezone

from interra.agenda import services as agenda_services
from interra.agenda.models import Registration, Session
from interra.core.errors import Conflict, DomainError
from interra.credentials import selectors, services
from interra.credentials.models import Achievement, Credential, LeaderSkill
from tests.factories import (
    CityFactory,
    RegistrationFactory,
    SessionFactory,
    WorkshopFactory,
    coordinator,
)

from .factories import held_sessions, leader, rate

pytestmark = pytest.mark.django_db


def test_figures_count_only_sessions_that_took_place():
    person = leader()
    workshop, sessions = held_sessions(person, 2, present=3, hours=2)
    # Cancelled, and future without attendance: neither counts.
    SessionFactory(workshop=workshop, status=Session.Status.CANCELLED,
                   starts_at=timezone.now() - timedelta(days=1),
                   ends_at=timezone.now() - timedelta(hours=20))
    SessionFactory(workshop=workshop)
    figures = selectors.leader_figures(person)
    assert figures.sessions_held == 2
    assert figures.hours == 4.0
    assert figures.participants_reached == 6
    assert figures.workshops_led == 1 and figures.workshops_co_led == 0
    assert figures.languages == ["ar", "fr"]


def test_the_average_feedback_shows_only_from_five_ratings():
    person = leader()
    _workshop, sessions = held_sessions(person, 1, present=0)
    rate(sessions[0], [5, 4, 3, 5])
    assert selectors.leader_figures(person).average_rating is None
    rate(sessions[0], [3])
    assert selectors.leader_figures(person).average_rating == 4.0


def test_figures_name_nobody():
    person = leader()
    _workshop, sessions = held_sessions(person, 1, present=1)
    other = Registration.objects.filter(session=sessions[0]).first().person
    facts = selectors.leader_figures(person).as_facts()
    assert other.display_name not in str(facts)


def test_badges_are_issued_when_attendance_makes_them_earned():
    person = leader()
    workshop, _sessions = held_sessions(person, 2)
    assert not Credential.objects.filter(person=person).exists()
    starts = timezone.now() - timedelta(hours=3)
    third = SessionFactory(workshop=workshop, starts_at=starts,
                           ends_at=starts + timedelta(hours=2))
    registration = RegistrationFactory(session=third)
    agenda_services.attendance_mark(registration=registration, attended=True)
    assert list(person.credentials.values_list("achievement", flat=True)) == [
        Achievement.COOKING_LEADER]
    # The holder is told (in their language, by the notifications app).
    from interra.notifications.models import Message

    assert Message.objects.filter(recipient=person, template="badge_earned").count() == 1


@pytest.mark.django_db(transaction=True)
def test_nothing_is_issued_if_the_attendance_is_rolled_back():
    """The badge is checked in a task queued on commit: a rolled-back change queues none
    (a real commit here: this test does not run on-commit callbacks at once)."""
    from django.db import transaction

    person = leader()
    workshop, _sessions = held_sessions(person, 2)
    registration = RegistrationFactory(session=SessionFactory(workshop=workshop))

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        agenda_services.attendance_mark(registration=registration, attended=True)
        assert not person.credentials.exists()  # not run inside the transaction
        raise Undo
    assert not person.credentials.exists()
    agenda_services.attendance_mark(registration=registration, attended=True)
    assert person.credentials.get().achievement == Achievement.COOKING_LEADER


def test_ten_sessions_and_co_leading_earn_their_badges():
    person = leader()
    partner = leader(display_name="Marie Dubois", email="marie@example.org",
                     preferred_language="fr")
    workshop = WorkshopFactory(leader=person, theme="music")
    workshop.co_leaders.add(partner)
    held_sessions(person, 10, workshop=workshop)
    assert set(person.credentials.values_list("achievement", flat=True)) == {
        Achievement.SESSIONS_10, Achievement.CO_LEADER}
    assert set(partner.credentials.values_list("achievement", flat=True)) == {
        Achievement.SESSIONS_10, Achievement.CO_LEADER}
    figures = selectors.leader_figures(partner)
    assert figures.workshops_co_led == 1 and figures.workshops_led == 0


def test_nine_sessions_are_not_ten():
    person = leader()
    held_sessions(person, 9, theme="art")
    assert not person.credentials.exists()


def test_awarding_twice_is_refused_and_a_revoked_badge_is_not_reissued_automatically():
    person = leader()
    held_sessions(person, 3)
    credential = person.credentials.get()
    with pytest.raises(Conflict):
        services.credential_award(person=person, achievement=Achievement.COOKING_LEADER,
                                  by=None)
    services.credential_revoke(credential=credential)
    assert services.credentials_award_earned(person=person) == []
    # A coordinator may give it again on purpose.
    again = services.credential_award(person=person, achievement=Achievement.COOKING_LEADER,
                                      by=None)
    assert again.pk != credential.pk and again.status_index != credential.status_index


def test_a_coordinator_cannot_award_the_attestation_or_an_unknown_badge():
    person = leader()
    for achievement in (Achievement.ATTESTATION, "nonsense"):
        with pytest.raises(DomainError):
            services.credential_award(person=person, achievement=achievement, by=None)


def test_skills_from_esco_or_in_own_words():
    person = leader()
    esco = services.skill_propose(
        person=person, esco_uri="http://data.europa.eu/esco/skill/60c78287-22eb-4103-9c8c-28deaa460da0")
    own = services.skill_propose(person=person, label="  Pâtisserie   syrienne ")
    assert own.label == "Pâtisserie syrienne" and esco.status == LeaderSkill.Status.PROPOSED
    with pytest.raises(Conflict):
        services.skill_propose(person=person, label="pâtisserie syrienne")
    with pytest.raises(DomainError):
        services.skill_propose(person=person, esco_uri="http://example.org/not-esco")
    with pytest.raises(DomainError):
        services.skill_propose(person=person, label="")


def test_the_attestation_states_confirmed_skills_and_is_replaced_when_facts_change():
    city = CityFactory()
    boss = coordinator(city, display_name="Julie Lambert")
    person = leader()
    held_sessions(person, 1, theme="art")
    confirmed = services.skill_propose(
        person=person, esco_uri="http://data.europa.eu/esco/skill/60c78287-22eb-4103-9c8c-28deaa460da0")
    services.skill_propose(person=person, label="Calligraphie")  # not confirmed
    services.skill_decide(skill=confirmed, by=boss, confirm=True)
    first = services.attestation_issue(person=person)
    assert first.facts["skills_fr"] == ["travailler en équipe"]
    assert first.facts["coordinator"] == "Julie Lambert"
    assert services.attestation_issue(person=person).pk == first.pk  # nothing changed
    held_sessions(person, 1, theme="art")
    second = services.attestation_issue(person=person)
    first.refresh_from_db()
    assert second.pk != first.pk
    assert first.revocation == Credential.Revocation.REPLACED


def test_erasure_revokes_credentials_and_removes_the_portfolio(client):
    from interra.accounts.services import person_erase

    person = leader()
    held_sessions(person, 3)
    services.portfolio_update(person=person, is_public=True, show_figures=True)
    services.skill_propose(person=person, label="Cuisine érythréenne")
    credential = person.credentials.get()
    slug = person.portfolio.public_slug
    person_erase(person=person)
    credential.refresh_from_db()
    assert credential.is_revoked and credential.revocation == Credential.Revocation.ERASED
    assert credential.jwt == "" and credential.subject_name == "" and credential.facts == {}
    assert not LeaderSkill.objects.filter(person=person).exists()
    assert client.get(f"/credentials/p/{slug}/").status_code == 404
    page = client.get(f"/credentials/verify/{credential.pk}/")
    assert b'data-verdict="revoked"' in page.content
    assert "Amira" not in page.content.decode()
    # The revocation list says so to every verifier.
    from interra.credentials.verification import bit_is_set, decode_status_list

    list_claims = _status_claims(client)
    bits = decode_status_list(list_claims["credentialSubject"]["encodedList"])
    assert bit_is_set(bits, credential.status_index)


def _status_claims(client):
    from joserfc import jwt

    from interra.credentials.keys import public_key_set

    token = client.get("/credentials/status/revocation").content.decode()
    return jwt.decode(token, public_key_set(), algorithms=["RS256"]).claims


def test_sessions_marked_held_without_a_signal_are_caught_by_the_scheduler_job():
    """The reminders job marks ended sessions held with a queryset update (no signal)."""
    from interra.credentials.tasks import award_earned_recently_held

    person = leader()
    workshop = WorkshopFactory(leader=person, theme="cooking")
    ids = []
    for days in (1, 2, 3):
        starts = timezone.now() - timedelta(days=days)
        ids.append(SessionFactory(workshop=workshop, starts_at=starts,
                                  ends_at=starts + timedelta(hours=2)).pk)
    Session.objects.filter(pk__in=ids).update(status=Session.Status.HELD)
    assert not person.credentials.exists()
    award_earned_recently_held.call()
    assert person.credentials.get().achievement == Achievement.COOKING_LEADER
    award_earned_recently_held.call()  # idempotent
    assert person.credentials.count() == 1


def test_the_award_command_issues_what_was_loaded_without_signals():
    from io import StringIO

    from django.core.management import call_command

    person = leader()
    workshop = WorkshopFactory(leader=person, theme="cooking")
    sessions = []
    for days in (20, 21, 22):
        starts = timezone.now() - timedelta(days=days)
        sessions.append(Session(workshop=workshop, city=workshop.city, starts_at=starts,
                                ends_at=starts + timedelta(hours=2), capacity=10,
                                status=Session.Status.HELD))
    Session.objects.bulk_create(sessions)
    out = StringIO()
    call_command("award_earned_badges", stdout=out)
    assert "1 badge(s) issued" in out.getvalue()
    assert person.credentials.get().achievement == Achievement.COOKING_LEADER


def test_the_facts_sentence_writes_decimals_the_readers_way():
    from django.utils import translation

    from interra.credentials.documents import facts_narrative

    facts = {"sessions_held": 3, "hours": 7.5, "average_rating": 4.6}
    with translation.override("fr"):
        french = facts_narrative(facts)
    assert "7,5 heures" in french and "4,6 / 5" in french
    with translation.override("en"):
        assert "7.5 hours" in facts_narrative(facts)
