"""The agenda joined to venues and proposals: a confirmed booking becomes a public session,
proposals follow their sessions."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from interra.agenda import services
from interra.agenda.models import Registration, Session
from interra.core.errors import Conflict, DomainError, PermissionDenied
from interra.notifications.models import Message
from interra.proposals import services as proposal_services
from interra.proposals.models import Proposal, Stage
from interra.venues import services as venue_services
from interra.venues.models import Booking
from tests.conftest import sign_in_staff
from tests.factories import (
    OpeningRuleFactory,
    PartnerFactory,
    RegistrationFactory,
    RoomFactory,
    UserFactory,
    VenueFactory,
    coordinator,
)
from tests.proposals.factories import submit

pytestmark = pytest.mark.django_db

TUESDAY = date(2030, 1, 8)  # the test room opens on Tuesdays and Thursdays 14:00–21:00


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def host(city):
    return UserFactory(email="host@partner.example")


@pytest.fixture
def room(city, host):
    room = RoomFactory(venue=VenueFactory(partner=PartnerFactory(city=city, contacts=[host])),
                       capacity=20)
    OpeningRuleFactory(room=room)
    return room


@pytest.fixture
def boss(city):
    return coordinator(city)


@pytest.fixture
def proposal(city, boss):
    """An accepted proposal (group of 10) with its workshop."""
    proposal = submit(city)
    proposal_services.proposal_accept(proposal=proposal, actor=boss)
    return Proposal.objects.select_related("workshop").get(pk=proposal.pk)


def _request(room, workshop, by, day=TUESDAY, hour=15):
    return venue_services.booking_request(room=room, workshop=workshop, starts_at=at(day, hour),
                                          ends_at=at(day, hour + 2), requested_by=by)


def _stage_messages(person, stage):
    return Message.objects.filter(recipient=person, template="proposal_stage_changed",
                                  context__stage=stage)


# --- 1. A confirmed booking becomes public ------------------------------------------------

def test_confirming_a_booking_puts_one_session_on_the_agenda(room, host, boss, proposal):
    workshop = proposal.workshop
    booking = _request(room, workshop, boss)
    assert not Session.objects.exists()  # a request is not public yet
    venue_services.booking_confirm(booking=booking, by=host)
    session = Session.objects.get(booking=booking)
    # The booked times without set-up and clean-up; seats for the group, not the room.
    assert (session.starts_at, session.ends_at) == (at(TUESDAY, 15), at(TUESDAY, 17))
    assert booking.blocked_from < session.starts_at
    assert session.room == room and session.capacity == min(room.capacity, 10)
    assert session.status == Session.Status.SCHEDULED and session.scheduled_by == boss
    # Idempotent, and the database refuses a second session for one booking.
    assert services.session_from_booking(booking=booking) == session
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(workshop=workshop, booking=booking, room=room,
                               starts_at=session.starts_at, ends_at=session.ends_at, capacity=5)
    with pytest.raises(Conflict):
        venue_services.booking_confirm(booking=booking, by=host)
    assert Session.objects.count() == 1


def test_a_coordinator_may_confirm_and_a_stranger_may_not(room, boss, proposal):
    booking = _request(room, proposal.workshop, boss)
    with pytest.raises(PermissionDenied):
        venue_services.booking_confirm(booking=booking, by=UserFactory())
    assert not Session.objects.exists()
    venue_services.booking_confirm(booking=booking, by=boss)
    assert Session.objects.filter(booking=booking).exists()


def test_a_refused_booking_makes_no_session(room, host, boss, proposal):
    booking = _request(room, proposal.workshop, boss)
    venue_services.booking_refuse(booking=booking, by=host, message="Fermé")
    assert not Session.objects.exists()
    with pytest.raises(DomainError):
        services.session_from_booking(booking=booking)


def test_cancelling_a_confirmed_booking_cancels_its_session_and_tells_everyone(
        room, host, boss, proposal):
    booking = _request(room, proposal.workshop, boss)
    venue_services.booking_confirm(booking=booking, by=host)
    session = Session.objects.get(booking=booking)
    registration = RegistrationFactory(session=session)
    venue_services.booking_cancel(booking=booking, by=boss)
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    assert Message.objects.filter(recipient=registration.person,
                                  template="session_cancelled").exists()


def test_cancelling_a_booked_session_frees_the_room(room, host, boss, proposal):
    booking = _request(room, proposal.workshop, boss)
    venue_services.booking_confirm(booking=booking, by=host)
    services.session_cancel(session=Session.objects.get(booking=booking), by=boss)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert Message.objects.filter(recipient=host, template="booking_cancelled").exists()
    # The slot is free again.
    _request(room, proposal.workshop, boss)


def test_moving_a_booked_session_moves_its_booking_or_is_refused(room, host, boss, proposal):
    workshop = proposal.workshop
    booking = _request(room, workshop, boss)
    venue_services.booking_confirm(booking=booking, by=host)
    session = Session.objects.get(booking=booking)
    other = _request(room, workshop, boss, hour=18)  # 18:00–20:00, same evening
    with pytest.raises(Conflict):
        services.session_move(session=session, starts_at=at(TUESDAY, 17),
                              ends_at=at(TUESDAY, 19))
    with pytest.raises(DomainError):  # the room is closed on Wednesdays
        services.session_move(session=session, starts_at=at(TUESDAY + timedelta(days=1), 15),
                              ends_at=at(TUESDAY + timedelta(days=1), 17))
    thursday = TUESDAY + timedelta(days=2)
    services.session_move(session=session, starts_at=at(thursday, 15), ends_at=at(thursday, 17))
    booking.refresh_from_db()
    session.refresh_from_db()
    assert booking.starts_at == session.starts_at == at(thursday, 15)
    assert booking.status == Booking.Status.CONFIRMED and other.status == "requested"
    assert Message.objects.filter(recipient=host, template="booking_moved").exists()


def test_coordinator_page_requests_the_room_and_never_double_books(client, room, boss, proposal):
    sign_in_staff(client, boss)
    form = {"workshop": proposal.workshop.pk, "room": room.pk,
            "starts_at": "2030-01-08T15:00", "duration_minutes": "120", "capacity": ""}
    response = client.post("/agenda/staff/new/", form)
    assert response.status_code == 302 and response["Location"] == "/venues/bookings/"
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.REQUESTED and booking.requested_by == boss
    assert not Session.objects.exists()  # public once the partner confirms
    # The same room at an overlapping time is refused, with a message, and nothing saved.
    clash = client.post("/agenda/staff/new/", {**form, "starts_at": "2030-01-08T16:00",
                                               "confirm_now": "on"})
    assert clash.status_code == 200 and Booking.objects.count() == 1
    assert not Session.objects.exists()
    # A weekly series the partner already agreed to: booked and public at once.
    response = client.post("/agenda/staff/new/", {
        **form, "starts_at": "2030-01-10T15:00", "repeat": "FREQ=WEEKLY;COUNT=3",
        "confirm_now": "on", "capacity": "8"})
    assert response.status_code == 302
    sessions = Session.objects.order_by("starts_at")
    assert sessions.count() == 3 and {s.capacity for s in sessions} == {8}
    assert all(s.booking and s.booking.status == "confirmed" for s in sessions)
    assert {s.scheduled_by for s in sessions} == {boss}


def test_a_series_with_one_clashing_date_books_nothing(room, boss, proposal):
    thursday = TUESDAY + timedelta(days=9)  # the second Thursday of the series below
    _request(room, proposal.workshop, boss, day=thursday, hour=16)
    with pytest.raises(Conflict):
        services.session_schedule(workshop=proposal.workshop, room=room,
                                  starts_at=at(TUESDAY + timedelta(days=2), 15),
                                  duration=timedelta(hours=2), rrule="FREQ=WEEKLY;COUNT=3",
                                  by=boss, confirm_now=True)
    assert Booking.objects.count() == 1 and not Session.objects.exists()


# --- 2. Proposal stages follow reality ------------------------------------------------------

def test_first_session_schedules_the_proposal_and_attendance_makes_it_run(
        room, host, boss, proposal):
    leader = proposal.leader
    venue_services.booking_confirm(booking=_request(room, proposal.workshop, boss), by=host)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.SCHEDULED  # straight from "accepted": reality wins
    change = proposal.history.last()
    assert (change.from_stage, change.to_stage, change.actor) == (
        Stage.ACCEPTED, Stage.SCHEDULED, boss)
    assert _stage_messages(leader, Stage.SCHEDULED).count() == 1
    # A second session changes nothing.
    venue_services.booking_confirm(
        booking=_request(room, proposal.workshop, boss, day=TUESDAY + timedelta(days=7)),
        by=host)
    assert proposal.history.filter(to_stage=Stage.SCHEDULED).count() == 1
    session = Session.objects.order_by("starts_at").first()
    registration = RegistrationFactory(session=session)
    services.attendance_mark(registration=registration, attended=False, by=leader)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.SCHEDULED  # nobody came yet
    services.attendance_mark(registration=registration, attended=True, by=leader)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.RUNNING and proposal.history.last().actor == leader
    assert _stage_messages(leader, Stage.RUNNING).count() == 1
    # Never backwards: a new session of a running workshop leaves it running.
    services.session_create(workshop=proposal.workshop, starts_at=at(TUESDAY, 10),
                            ends_at=at(TUESDAY, 12))
    proposal.refresh_from_db()
    assert proposal.stage == Stage.RUNNING


def test_a_session_marked_held_by_the_worker_makes_the_proposal_run(boss, proposal):
    start = timezone.now() - timedelta(hours=3)
    services.session_create(workshop=proposal.workshop, starts_at=start,
                            ends_at=start + timedelta(hours=2), scheduled_by=boss)
    services.send_due_reminders()
    proposal.refresh_from_db()
    assert proposal.stage == Stage.RUNNING
    assert proposal.history.last().actor is None  # the platform did it


def test_withdrawn_proposals_stay_withdrawn(boss, proposal):
    proposal_services.proposal_move(proposal=proposal, to_stage=Stage.WITHDRAWN, actor=boss,
                                    reason="Plus le temps")
    services.session_create(workshop=proposal.workshop, starts_at=at(TUESDAY, 15),
                            ends_at=at(TUESDAY, 17))
    proposal.refresh_from_db()
    assert proposal.stage == Stage.WITHDRAWN
    with pytest.raises(DomainError):
        proposal_services.proposal_follow_sessions(workshop=proposal.workshop,
                                                   to_stage=Stage.READY)


# --- 3. Impact counts the sessions leaders schedule (tests/autonomy: how they do) ------

def test_impact_measures_the_sessions_leaders_schedule(room, host, boss, proposal, city):
    from interra.impact.selectors import Period, impact_figures

    workshop = proposal.workshop
    ago = timezone.now() - timedelta(days=3)
    for by in (proposal.leader, boss):
        services.session_create(workshop=workshop, starts_at=ago, ends_at=ago + timedelta(hours=1),
                                status=Session.Status.HELD, scheduled_by=by)
    today = timezone.localdate()
    figures = impact_figures(cities=[city], period=Period(today - timedelta(days=30),
                                                          today + timedelta(days=1)))
    assert figures.autonomy_measured and figures.autonomy_share == 50.0


# --- End to end, without a browser --------------------------------------------------------

def test_from_proposal_to_a_running_workshop(client, city, room, host, boss):
    proposal = submit(city)
    leader = proposal.leader
    sign_in_staff(client, boss)
    client.post(f"/proposals/{proposal.pk}/move/", {"stage": "accepted", "reason": ""})
    proposal.refresh_from_db()
    assert proposal.stage == Stage.ACCEPTED and proposal.workshop
    response = client.post(f"/venues/rooms/{room.pk}/book/", {
        "workshop": proposal.workshop.pk, "starts_at": "2030-01-08T15:00",
        "ends_at": "2030-01-08T17:00"})
    assert response.status_code == 302
    booking = Booking.objects.get()
    client.logout()

    client.force_login(host)
    response = client.post(f"/venues/portal/bookings/{booking.pk}/",
                           {"decision": "confirm", "message": "Bienvenue"})
    assert response.status_code == 302
    client.logout()
    session = Session.objects.get(booking=booking)
    agenda = client.get("/agenda/").content.decode()
    assert f"/agenda/{session.pk}/" in agenda
    proposal.refresh_from_db()
    assert proposal.stage == Stage.SCHEDULED

    response = client.post(f"/agenda/{session.pk}/register/", {
        "name": "Olena Kovalenko", "email": "olena@example.org", "phone": "",
        "group": "newcomer", "seats": "1", "consent": "on"})
    assert response.status_code == 302
    registration = Registration.objects.get(session=session)
    assert registration.status == Registration.Status.CONFIRMED

    client.force_login(leader)
    response = client.post(f"/agenda/lead/{session.pk}/", {
        "action": "mark", "registration": registration.pk, "attended": "1"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.stage == Stage.RUNNING
    assert list(proposal.history.values_list("to_stage", flat=True)) == [
        Stage.NEW, Stage.ACCEPTED, Stage.SCHEDULED, Stage.RUNNING]
