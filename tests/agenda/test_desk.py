"""The staff desk: each action through the services that lock, notify and log; only a
coordinator of the session's city (404 for another city, refused for others)."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from interra.agenda import desk, services
from interra.agenda.models import Registration, SessionLogEntry
from interra.cities.models import Role
from interra.core.errors import DomainError, PermissionDenied
from interra.core.models import AuditLogEntry
from interra.notifications.models import Message
from tests.conftest import sign_in_staff
from tests.factories import RegistrationFactory, SessionFactory, UserFactory, coordinator, member

pytestmark = pytest.mark.django_db


def _url(session):
    return f"/agenda/staff/{session.pk}/desk/"


@pytest.fixture
def session(city):
    return SessionFactory(workshop__city=city, capacity=3, newcomer_seats_percent=0,
                          local_seats_percent=0)


# --- Services ------------------------------------------------------------------------------

def test_register_by_phone_goes_through_the_seat_rules_and_logs(city, session):
    boss = coordinator(city)
    registration = desk.desk_register(session=session, actor=boss, display_name="Fatima Z",
                                      phone="+32470123456", group="newcomer", seats=2,
                                      language="ar", reason="called the office")
    assert registration.status == "confirmed" and registration.seats == 2
    assert registration.person.preferred_language == "ar"
    assert registration.group == "newcomer"
    entry = SessionLogEntry.objects.get(registration=registration)
    assert (entry.actor, entry.action, entry.reason) == (boss, "registered", "called the office")
    assert Message.objects.filter(recipient=registration.person,
                                  template="registration_confirmed").exists()
    # Two more seats do not fit in 3: the waitlist, as for the public form.
    late = desk.desk_register(session=session, actor=boss, display_name="Tom",
                              email="tom@example.org", seats=2)
    assert late.status == "waitlisted"


def test_a_refused_registration_leaves_no_person_behind(city, session):
    boss = coordinator(city)
    with pytest.raises(DomainError):
        desk.desk_register(session=session, actor=boss, display_name="Tom",
                           email="new@example.org", seats=9)
    from interra.accounts.models import User
    assert not User.objects.filter(email="new@example.org").exists()


def test_cancel_frees_the_seat_for_the_waitlist_and_tells_the_person(city, session):
    boss = coordinator(city)
    leaving = RegistrationFactory(session=session, seats=3)
    waiting = services.registration_create(session=session, person=UserFactory(), seats=1)
    assert waiting.status == "waitlisted"
    with pytest.raises(DomainError):
        desk.desk_cancel(registration=leaving, actor=boss, reason="  ")
    promoted = desk.desk_cancel(registration=leaving, actor=boss, reason="phoned: ill")
    leaving.refresh_from_db()
    waiting.refresh_from_db()
    assert leaving.status == "cancelled" and waiting.status == "confirmed"
    assert [p.pk for p in promoted] == [waiting.pk]
    assert Message.objects.filter(recipient=leaving.person,
                                  template="registration_cancelled").exists()
    assert Message.objects.filter(recipient=waiting.person,
                                  template="registration_promoted").exists()
    actions = set(SessionLogEntry.objects.values_list("action", flat=True))
    assert actions == {"cancelled", "auto_promoted"}


def test_capacity_never_below_confirmed_seats_and_more_seats_promote(city, session):
    boss = coordinator(city)
    RegistrationFactory(session=session, seats=3)
    waiting = services.registration_create(session=session, person=UserFactory(), seats=2)
    with pytest.raises(DomainError):
        desk.desk_seats_change(session=session, actor=boss, capacity=2,
                               newcomer_seats_percent=0, local_seats_percent=0, reason="x")
    with pytest.raises(DomainError):
        desk.desk_seats_change(session=session, actor=boss, capacity=6,
                               newcomer_seats_percent=60, local_seats_percent=50, reason="x")
    session.refresh_from_db()
    assert session.capacity == 3
    # 6 seats, 1 held for locals: 2 open seats for the waiting pair.
    promoted = desk.desk_seats_change(session=session, actor=boss, capacity=6,
                                      newcomer_seats_percent=0, local_seats_percent=20,
                                      reason="bigger room")
    session.refresh_from_db()
    waiting.refresh_from_db()
    assert session.capacity == 6 and session.local_seats_percent == 20
    assert waiting.status == "confirmed" and promoted == [waiting]
    entry = SessionLogEntry.objects.get(action="seats_changed")
    assert entry.detail["before"]["capacity"] == 3 and entry.detail["after"]["capacity"] == 6
    assert entry.reason == "bigger room" and entry.actor == boss


def test_promote_one_person_from_the_waitlist(city):
    boss = coordinator(city)
    session = SessionFactory(workshop__city=city, capacity=4, newcomer_seats_percent=50,
                             local_seats_percent=0)
    RegistrationFactory(session=session, seats=2, group="undisclosed")
    # The two free seats are held for newcomers: a local waits.
    local = services.registration_create(session=session, person=UserFactory(), seats=1,
                                         group="local")
    assert local.status == "waitlisted"
    desk.desk_promote(registration=local, actor=boss, reason="no newcomer will come")
    local.refresh_from_db()
    assert local.status == "confirmed" and local.promoted_at
    assert Message.objects.filter(recipient=local.person,
                                  template="registration_promoted").exists()
    # Never a seat that does not exist.
    big = services.registration_create(session=session, person=UserFactory(), seats=2,
                                       group="local")
    with pytest.raises(DomainError):
        desk.desk_promote(registration=big, actor=boss, reason="please")


def test_resend_the_link_to_the_contact_on_file(city, session):
    boss = coordinator(city)
    registration = RegistrationFactory(session=session, person__email="olena@example.org")
    mail.outbox = []
    desk.desk_link_resend(registration=registration, actor=boss)
    assert [m.to for m in mail.outbox] == [["olena@example.org"]]
    assert f"/agenda/r/{registration.token}/" in mail.outbox[0].body
    assert SessionLogEntry.objects.filter(registration=registration, action="link_sent",
                                          actor=boss).exists()


def test_another_citys_coordinator_is_refused_by_the_services(city, other_city, session):
    stranger = coordinator(other_city)
    registration = RegistrationFactory(session=session)
    with pytest.raises(PermissionDenied):
        desk.desk_cancel(registration=registration, actor=stranger, reason="x")
    with pytest.raises(PermissionDenied):
        desk.desk_register(session=session, actor=stranger, display_name="A",
                           email="a@example.org")


def test_erasing_a_person_blanks_what_staff_wrote_about_them(city, session):
    from interra.accounts.services import person_erase

    registration = desk.desk_register(session=session, actor=coordinator(city),
                                      display_name="Olena", email="olena@example.org",
                                      reason="Olena's daughter phoned")
    person_erase(person=registration.person)
    assert not SessionLogEntry.objects.filter(reason__icontains="Olena").exists()


# --- Pages -----------------------------------------------------------------------------------

def test_each_action_through_the_page(client, city, session):
    boss = coordinator(city)
    sign_in_staff(client, boss)
    assert f"/agenda/staff/{session.pk}/desk/" in client.get(
        f"/agenda/staff/{session.pk}/").content.decode()
    assert "/agenda/staff/desk/" in client.get("/agenda/staff/desk/").content.decode()
    page = client.get(_url(session))
    assert page.status_code == 200
    assert AuditLogEntry.objects.filter(detail="staff desk").exists()

    response = client.post(_url(session), {
        "action": "register", "name": "Fatima Zahra", "phone": "+32470123456",
        "group": "newcomer", "seats": "1", "language": "fr", "reason": ""})
    assert response.status_code == 302
    fatima = Registration.objects.get(person__display_name="Fatima Zahra")
    assert fatima.status == "confirmed"

    response = client.post(_url(session), {"action": "seats", "capacity": "1",
                                           "newcomer_seats_percent": "0",
                                           "local_seats_percent": "0", "reason": "small room"})
    session.refresh_from_db()
    assert response.status_code == 302 and session.capacity == 1
    waiting = services.registration_create(session=session, person=UserFactory(), seats=1)

    response = client.post(_url(session), {"action": "resend", "registration": fatima.pk})
    assert response.status_code == 302

    response = client.post(_url(session), {"action": "cancel", "registration": fatima.pk,
                                           "reason": ""})
    assert response.status_code == 400
    fatima.refresh_from_db()
    assert fatima.status == "confirmed"
    client.post(_url(session), {"action": "cancel", "registration": fatima.pk,
                                "reason": "phoned"})
    fatima.refresh_from_db()
    waiting.refresh_from_db()
    assert fatima.status == "cancelled" and waiting.status == "confirmed"

    other = services.registration_create(session=session, person=UserFactory(), seats=1)
    client.post(_url(session), {"action": "seats", "capacity": "2",
                                "newcomer_seats_percent": "0", "local_seats_percent": "0",
                                "reason": "bigger"})
    other.refresh_from_db()
    assert other.status == "confirmed"
    page = client.get(_url(session)).content.decode()
    for action in ("registered", "seats_changed", "link_sent", "cancelled", "auto_promoted"):
        assert f'data-action="{action}"' in page, action


def test_promote_through_the_page(client, city):
    boss = coordinator(city)
    session = SessionFactory(workshop__city=city, capacity=2, newcomer_seats_percent=50,
                             local_seats_percent=0)
    RegistrationFactory(session=session, group="local")
    local = services.registration_create(session=session, person=UserFactory(), seats=1,
                                         group="local")
    assert local.status == "waitlisted"
    sign_in_staff(client, boss)
    response = client.post(_url(session), {"action": "promote", "registration": local.pk,
                                           "reason": "the newcomers cancelled"})
    assert response.status_code == 302
    local.refresh_from_db()
    assert local.status == "confirmed"


def test_a_registration_of_another_session_is_not_found(client, city, session):
    sign_in_staff(client, coordinator(city))
    elsewhere = RegistrationFactory(session=SessionFactory(workshop__city=city))
    response = client.post(_url(session), {"action": "cancel", "registration": elsewhere.pk,
                                           "reason": "x"})
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == "confirmed"


def test_another_citys_coordinator_gets_404(client, other_city, session):
    sign_in_staff(client, coordinator(other_city))
    assert client.get(_url(session)).status_code == 404
    registration = RegistrationFactory(session=session)
    response = client.post(_url(session), {"action": "cancel", "registration": registration.pk,
                                           "reason": "x"})
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert f"/agenda/staff/{session.pk}/desk/" not in client.get(
        "/agenda/staff/desk/").content.decode()


def test_a_volunteer_and_a_visitor_are_refused(client, city, session):
    registration = RegistrationFactory(session=session)
    response = client.get(_url(session))
    assert response.status_code == 302 and "/accounts/staff/sign-in/" in response["Location"]
    response = client.post(_url(session), {"action": "cancel", "registration": registration.pk,
                                            "reason": "x"})
    assert response.status_code == 302
    client.force_login(member(city, Role.VOLUNTEER))
    assert client.get(_url(session)).status_code == 403
    assert client.get("/agenda/staff/desk/").status_code == 403
    response = client.post(_url(session), {"action": "cancel", "registration": registration.pk,
                                            "reason": "x"})
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.status == "confirmed"


# --- Never overbooked: the desk and the public form at once --------------------------------

@pytest.mark.django_db(transaction=True)
def test_desk_and_public_registration_at_once_never_overbook(monkeypatch):
    """The desk goes through ``registration_create``, so it takes the same session lock.
    Two threads (a phone call and the public form) race for the last seat: one is
    confirmed, the other waitlisted. On SQLite the IMMEDIATE transaction serialises them;
    on PostgreSQL the row lock does. The count is slowed down (from here, not in the
    code) so that both threads are inside it at once unless the lock keeps them apart."""
    import time

    from tests.factories import CityFactory

    real_seat_counts = services.seat_counts

    def slow_seat_counts(session):
        counts = real_seat_counts(session)
        time.sleep(0.3)
        return counts

    # registration_create looks seat_counts up in its own module.
    monkeypatch.setattr(services.registrations, "seat_counts", slow_seat_counts)

    city = CityFactory(slug="race")
    boss = coordinator(city)
    session = SessionFactory(workshop__city=city, capacity=1, newcomer_seats_percent=0,
                             local_seats_percent=0,
                             starts_at=timezone.now() + timedelta(days=3))
    public_person = UserFactory()
    barrier = threading.Barrier(2)
    errors = []

    def desk_call():
        try:
            barrier.wait()
            desk.desk_register(session=session, actor=boss, display_name="Phone",
                               email="phone@example.org")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    def public_call():
        try:
            barrier.wait()
            services.registration_create(session=session, person=public_person)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk_call), threading.Thread(target=public_call)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = sorted(Registration.objects.filter(session=session)
                      .values_list("status", flat=True))
    assert statuses == ["confirmed", "waitlisted"]


def test_the_desk_page_costs_the_same_queries_with_many_registrations(
        client, city, django_assert_max_num_queries):
    session = SessionFactory(workshop__city=city, capacity=40, newcomer_seats_percent=0,
                             local_seats_percent=0)
    boss = coordinator(city)
    sign_in_staff(client, boss)
    for _ in range(3):
        RegistrationFactory(session=session)
    desk.desk_link_resend(registration=session.registrations.first(), actor=boss)
    with django_assert_max_num_queries(30) as few:
        assert client.get(_url(session)).status_code == 200
    for _ in range(30):
        RegistrationFactory(session=session)
    for registration in session.registrations.all()[:10]:
        desk.desk_link_resend(registration=registration, actor=boss)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_url(session)).status_code == 200
