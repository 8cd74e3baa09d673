"""Issue 10, same class as finding 2 in the agenda: typing somebody's phone or e-mail on
a registration must not show their stored name (nor their other contact, nor their
newcomer/local mark) to the session's leader and staff.

The attacker's sequence: the victim has an account (name, phone, e-mail, mark); the
attacker, who may be the leader of a session or a coordinator at the desk, registers with
the victim's phone and another name, then reads the lists that show registrants. They
must read the name they typed. The person behind the contact gets the link (only they do)
and the registration shows their own name only once they say, from that link, that it
is theirs (a POST: a link preview changes nothing).
"""

import re

import pytest

from interra.agenda.models import Registration
from interra.agenda.selectors import attendance_list
from tests.conftest import force_staff_login
from tests.factories import SessionFactory, UserFactory, coordinator

pytestmark = pytest.mark.django_db

VICTIM_PHONE = "+32470123456"
VICTIM_EMAIL = "nadia.victime@example.org"


@pytest.fixture
def victim(db):
    return UserFactory(display_name="Nadia Victime", phone=VICTIM_PHONE, email=VICTIM_EMAIL,
                       group="newcomer", preferred_channel="sms")


@pytest.fixture
def session(city):
    return SessionFactory(workshop__city=city, capacity=10, max_seats_per_registration=3)


def _register_by_form(client, session, **fields):
    data = {"name": "Zorro Typed", "email": "", "phone": "", "group": "", "seats": "1",
            "consent": "on", **fields}
    response = client.post(f"/agenda/{session.pk}/register/", data)
    assert response.status_code == 302, response.content[:500]
    return response


def _pages_showing_registrants(client, city, session) -> dict[str, str]:
    """What the leader and the city's staff read about the session's registrants."""
    from django.test import Client

    leader = Client()
    leader.force_login(session.workshop.leader)
    staff = force_staff_login(Client(), coordinator(city))
    pages = {
        "leader": leader.get(f"/agenda/lead/{session.pk}/"),
        "staff": staff.get(f"/agenda/staff/{session.pk}/"),
        "desk": staff.get(f"/agenda/staff/{session.pk}/desk/"),
    }
    for name, page in pages.items():
        assert page.status_code == 200, name
    return {name: page.content.decode() for name, page in pages.items()}


def _assert_typed_name_only(pages: dict[str, str]) -> None:
    for name, html in pages.items():
        assert "Nadia" not in html, f"{name} shows the stored name of the phone's owner"
        assert "Victime" not in html, name
        assert VICTIM_EMAIL not in html, f"{name} shows a contact nobody typed"
        assert "Zorro" in html, f"{name} does not show the name typed"


def test_a_registration_with_someone_elses_phone_shows_the_name_typed(client, city, session,
                                                                       victim):
    _register_by_form(client, session, phone="0470 12 34 56")
    registration = Registration.objects.get(session=session)
    assert registration.person == victim  # the link goes to the contact's owner only
    _assert_typed_name_only(_pages_showing_registrants(client, city, session))
    labels = [r.label for r in attendance_list(session)]
    assert labels == ["Zorro"]


def test_the_same_through_the_api(client, city, session, victim):
    response = client.post(f"/api/v1/sessions/{session.pk}/registrations",
                           {"name": "Zorro Typed", "phone": VICTIM_PHONE},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    _assert_typed_name_only(_pages_showing_registrants(client, city, session))


def test_the_same_through_someone_elses_email(client, city, session, victim):
    _register_by_form(client, session, email=VICTIM_EMAIL.upper())
    pages = _pages_showing_registrants(client, city, session)
    for name, html in pages.items():
        assert "Nadia" not in html and "Victime" not in html and VICTIM_PHONE not in html, name
        assert "Zorro" in html, name


def test_a_coordinator_typing_a_phone_at_the_desk_learns_no_name(client, other_city, session,
                                                                  victim):
    """Even staff of the session's city: the desk registers whoever phoned under the
    name they gave; the account's name and other contact stay unseen until confirmed."""
    city = session.city
    staff = force_staff_login(client, coordinator(city))
    response = staff.post(f"/agenda/staff/{session.pk}/desk/", {
        "action": "register", "name": "Zorro Typed", "phone": VICTIM_PHONE, "email": "",
        "group": "undisclosed", "seats": "1", "language": "fr", "reason": "phoned"})
    assert response.status_code == 302, response.content[:500]
    html = staff.get(f"/agenda/staff/{session.pk}/desk/").content.decode()
    assert "Zorro" in html and "Nadia" not in html and VICTIM_EMAIL not in html
    _assert_typed_name_only(_pages_showing_registrants(client, city, session))


def test_the_owner_confirms_from_the_link_and_only_then_is_named(client, city, session,
                                                                 victim):
    from django.test import Client

    _register_by_form(client, session, phone=VICTIM_PHONE)
    registration = Registration.objects.get(session=session)
    owner = Client()
    page = owner.get(f"/agenda/r/{registration.token}/")  # a link preview does this
    assert page.status_code == 200
    html = page.content.decode()
    assert "Zorro Typed" in html  # the owner is told under which name someone registered
    assert 'value="claim"' in html
    _assert_typed_name_only(_pages_showing_registrants(client, city, session))

    response = owner.post(f"/agenda/r/{registration.token}/", {"action": "claim"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.claimed
    assert registration.name_as_typed == "" and registration.contact_as_typed == ""
    pages = _pages_showing_registrants(client, city, session)
    assert "Nadia" in pages["leader"] and "Zorro" not in pages["leader"]
    assert "Nadia Victime" in pages["desk"]


def test_a_brand_new_person_is_named_as_typed_at_once(client, city, session):
    _register_by_form(client, session, name="Amina Nouvelle", phone="+32470999888")
    registration = Registration.objects.get(session=session)
    assert registration.claimed
    assert "Amina" in _pages_showing_registrants(client, city, session)["leader"]


def test_the_stored_mark_is_neither_copied_nor_revealed_by_the_answer(client, city, victim):
    """Only seats held for newcomers are left: an anonymous answer that followed the
    victim's stored mark would say "confirmed" for their phone and "waitlist" for a
    stranger's, telling the attacker the victim is a newcomer (and staff would read the
    mark on the registration)."""
    session = SessionFactory(workshop__city=city, capacity=4, newcomer_seats_percent=50,
                             local_seats_percent=0)
    for _n in range(2):
        Registration.objects.create(session=session, person=UserFactory(), seats=1,
                                    group="local", status="confirmed")
    victim_answer = _register_by_form(client, session, phone=VICTIM_PHONE)
    stranger_answer = _register_by_form(client, session, phone="+32470555444")
    assert victim_answer["Location"] == stranger_answer["Location"]
    registration = Registration.objects.get(session=session, person=victim)
    assert registration.group == "undisclosed"
    assert registration.status == "waitlisted"


def test_the_admin_list_shows_the_typed_name(client, session, victim):
    _register_by_form(client, session, phone=VICTIM_PHONE)
    registration = Registration.objects.get(session=session)
    assert "Nadia" not in str(registration) and "Zorro" in str(registration)


def test_a_signed_in_person_registering_themselves_is_named_at_once(client, city, session,
                                                                    victim):
    client.force_login(victim)
    _register_by_form(client, session, name="Nadia V.", phone=VICTIM_PHONE)
    registration = Registration.objects.get(session=session)
    assert registration.claimed


def test_erasure_removes_the_typed_name_and_contact(client, session, victim):
    from interra.accounts.services import person_erase

    _register_by_form(client, session, phone=VICTIM_PHONE)
    person_erase(person=victim)
    assert not Registration.objects.filter(name_as_typed__contains="Zorro").exists()
    assert not Registration.objects.filter(contact_as_typed__contains="470").exists()


def test_labels_with_an_initial_use_the_typed_name(client, city, session, victim):
    _register_by_form(client, session, name="Zorro Typed", phone=VICTIM_PHONE)
    _register_by_form(client, session, name="Zorro Autre", phone="+32470555444")
    labels = sorted(r.label for r in attendance_list(session))
    assert labels == ["Zorro A.", "Zorro T."]
    assert not any(re.search(r"V\.", label) for label in labels)
