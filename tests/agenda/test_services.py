from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from interra.agenda import services
from interra.agenda.models import Feedback, Registration, ReminderSent, Session
from interra.core.errors import Conflict, DomainError
from interra.notifications import sms
from interra.notifications.models import Message
from tests.factories import (
    CityFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db


def register(session, group="undisclosed", seats=1, **person):
    return services.registration_create(session=session, person=UserFactory(**person),
                                        seats=seats, group=group)


def test_session_defaults_come_from_the_city():
    city = CityFactory(newcomer_seats_percent=30, local_seats_percent=50, hold_release_hours=24)
    session = SessionFactory(workshop__city=city, capacity=10)
    assert (session.newcomer_seats_percent, session.local_seats_percent) == (30, 50)
    assert session.hold_release_at == session.starts_at - timedelta(hours=24)
    assert (session.held_for_newcomers, session.held_for_locals) == (3, 5)
    assert session.city == city


def test_series_from_an_rrule_creates_one_session_per_date():
    workshop = WorkshopFactory()
    start = timezone.make_aware(datetime(2030, 3, 4, 18, 0))
    by = UserFactory()
    _bookings, sessions = services.session_schedule(
        workshop=workshop, rrule="FREQ=WEEKLY;COUNT=5", starts_at=start,
        duration=timedelta(hours=2), capacity=12, by=by)
    assert len(sessions) == 5
    assert len({s.series_key for s in sessions}) == 1
    assert [s.starts_at for s in sessions][-1] == start + timedelta(weeks=4)
    for rrule in ("FREQ=DAILY", "nonsense"):  # no end; unreadable
        with pytest.raises(DomainError):
            services.session_schedule(workshop=workshop, rrule=rrule, starts_at=start,
                                      duration=timedelta(hours=1), by=by)
    assert Session.objects.filter(workshop=workshop).count() == 5


def test_confirmed_until_full_then_waitlisted_and_told():
    session = SessionFactory(capacity=2, newcomer_seats_percent=0, local_seats_percent=0)
    first = register(session)
    second = register(session)
    third = register(session)
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed",
                                                           "waitlisted"]
    templates = list(Message.objects.order_by("pk").values_list("template", flat=True))
    assert templates == ["registration_confirmed"] * 2 + ["registration_waitlisted"]
    assert len(mail.outbox) == 3
    assert first.get_absolute_url() in mail.outbox[0].body


def test_registering_twice_is_refused_kindly():
    session = SessionFactory()
    person = UserFactory()
    services.registration_create(session=session, person=person, seats=1, group="local")
    with pytest.raises(Conflict):
        services.registration_create(session=session, person=person, seats=1, group="local")
    assert Registration.objects.count() == 1


def test_seats_outside_the_limit_and_closed_sessions_are_refused():
    session = SessionFactory(max_seats_per_registration=3)
    with pytest.raises(DomainError):
        register(session, seats=4)
    with pytest.raises(DomainError):
        register(session, seats=0)
    past = SessionFactory(starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(DomainError):
        register(past)
    assert not Registration.objects.exists()


def test_held_seats_hold_until_release_then_open_to_all():
    session = SessionFactory(capacity=10, newcomer_seats_percent=40, local_seats_percent=40)
    for _ in range(6):
        register(session, group="local")
    assert Registration.objects.filter(status="confirmed").count() == 6  # 4 held + 2 open
    assert register(session, group="local").status == "waitlisted"
    assert register(session, group="undisclosed").status == "waitlisted"
    assert register(session, group="newcomer").status == "confirmed"
    # The release passes: the free held seats go to the waitlist, in order.
    Session.objects.filter(pk=session.pk).update(hold_release_at=timezone.now())
    sent = services.send_due_reminders()
    assert sent["promoted"] == 2
    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses.count("confirmed") == 9


def test_cancel_promotes_the_first_waitlisted_person_who_fits():
    session = SessionFactory(capacity=2, newcomer_seats_percent=0, local_seats_percent=0,
                             max_seats_per_registration=2)
    leaving = register(session)
    register(session)
    family = register(session, seats=2)  # first in line but needs two seats
    single = register(session, preferred_language="uk", email="olena@example.org")
    mail.outbox.clear()
    promoted = services.registration_cancel(registration=leaving)
    assert [r.pk for r in promoted] == [single.pk]
    family.refresh_from_db()
    single.refresh_from_db()
    assert (family.status, single.status) == ("waitlisted", "confirmed")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["olena@example.org"]
    assert mail.outbox[0].extra_headers["Content-Language"] == "uk"
    # Cancelling again changes nothing.
    assert services.registration_cancel(registration=leaving) == []


def test_cancelling_a_waitlisted_registration_promotes_nobody():
    session = SessionFactory(capacity=1, newcomer_seats_percent=0, local_seats_percent=0)
    register(session)
    waiting = register(session)
    other = register(session)
    assert services.registration_cancel(registration=waiting) == []
    other.refresh_from_db()
    assert other.status == "waitlisted"


def test_cancel_and_move_tell_everyone():
    session = SessionFactory(capacity=1, newcomer_seats_percent=0, local_seats_percent=0)
    register(session)
    register(session, phone="+32470111222", email=None, preferred_channel="sms")
    Message.objects.all().delete()
    later = session.starts_at + timedelta(days=1)
    services.session_move(session=session, starts_at=later, ends_at=later + timedelta(hours=2))
    assert Message.objects.filter(template="session_moved").count() == 2
    services.session_cancel(session=session)
    assert Message.objects.filter(template="session_cancelled").count() == 2
    assert any("+32470111222" == s.to for s in sms.outbox)
    session.refresh_from_db()
    assert session.status == "cancelled"


def test_reminders_are_sent_once_at_each_due_hour():
    session = SessionFactory(starts_at=timezone.now() + timedelta(hours=40))
    registration = register(session, group="local")
    register(session, group="local").status  # noqa: B018
    services.registration_cancel(registration=Registration.objects.last())
    Message.objects.all().delete()
    first = services.send_due_reminders()
    again = services.send_due_reminders()
    assert first["reminders"] == 1 and again["reminders"] == 0
    assert Message.objects.filter(template="session_reminder").count() == 1
    # Three hours before, the second reminder goes out.
    services.send_due_reminders(now=session.starts_at - timedelta(hours=2))
    assert Message.objects.filter(template="session_reminder").count() == 2
    assert set(ReminderSent.objects.filter(registration=registration)
               .values_list("hours_before", flat=True)) == {48, 3}


def test_reminder_after_a_late_start_sends_only_the_nearest():
    session = SessionFactory(starts_at=timezone.now() + timedelta(hours=2))
    register(session)
    Message.objects.all().delete()
    assert services.send_due_reminders()["reminders"] == 1
    assert ReminderSent.objects.count() == 2


def test_after_the_session_participants_get_a_feedback_link():
    session = SessionFactory()
    came = register(session)
    absent = register(session)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1))
    services.attendance_mark(registration=came, attended=True)
    services.attendance_mark(registration=absent, attended=False)
    Message.objects.all().delete()
    assert services.send_due_reminders()["feedback"] == 1
    assert services.send_due_reminders()["feedback"] == 0
    message = Message.objects.get(template="feedback_request")
    assert message.recipient == came.person
    session.refresh_from_db()
    assert session.status == "held"
    came.refresh_from_db()
    services.feedback_submit(registration=came, rating=5, comment="Super")
    with pytest.raises(DomainError):
        services.feedback_submit(registration=came, rating=9)
    assert Feedback.objects.get().rating == 5


def test_walk_in_counts_as_present():
    session = SessionFactory()
    walk_in = services.walk_in_add(session=session, name="Amira K.")
    # The name stays as the leader typed it (the initial tells two Amiras apart).
    assert walk_in.attended and walk_in.display_first_name == "Amira K."
    with pytest.raises(DomainError):
        services.walk_in_add(session=session, name="  ")


def test_personal_data_export_and_erase():
    from interra.accounts.services import person_erase, person_export

    registration = RegistrationFactory()
    past = RegistrationFactory(person=registration.person,
                               session__starts_at=timezone.now() - timedelta(days=3))
    Feedback.objects.create(registration=past, rating=4, comment="Mon nom est Ali")
    exported = person_export(person=registration.person)
    assert len(exported["registrations"]) == 2
    person_erase(person=registration.person)
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert Feedback.objects.get().comment == "" and Feedback.objects.get().rating == 4
