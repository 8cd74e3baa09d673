"""Issue 10, finding 1: no account takeover through the anonymous forms.

An anonymous request (registration form or API, proposal form) and a coordinator's
co-leader form never change an existing person (contacts, name, language, mark); a new
contact joins an account only when the link sent to THAT contact is used, and only
when whoever asked for the link holds the account.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from interra.accounts import services
from interra.accounts.models import Channel, Group, User
from interra.agenda.models import Registration
from interra.notifications import sms
from tests.factories import SessionFactory, UserFactory, WorkshopFactory
from tests.proposals.factories import submit

pytestmark = pytest.mark.django_db

ATTACKER_EMAIL = "attacker@evil.example"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/contact/[^\s/]+/")


@pytest.fixture
def session(city):
    return SessionFactory(workshop=WorkshopFactory(city=city), capacity=30)


def _register(client, session, **data):
    data = {"name": "Someone", "phone": "", "email": "", "seats": "1", "consent": "on", **data}
    return client.post(f"/agenda/{session.pk}/register/", data)


def _api_register(client, session, **data):
    data = {"name": "Someone", "seats": 1, **data}
    return client.post(f"/api/v1/sessions/{session.pk}/registrations", data,
                       content_type="application/json")


def _everything_sent() -> str:
    return "\n".join([m.body for m in mail.outbox] + [m.subject for m in mail.outbox]
                     + [s.body for s in sms.outbox])


def test_known_phone_plus_unknown_email_does_not_attach_the_email(client, session):
    # 1. A participant registers with their phone only.
    _register(client, session, name="Hachem Haddad", phone="0470 11 22 33")
    victim = User.objects.get(phone="+32470112233")
    mail.outbox.clear()
    sms.outbox.clear()
    # 2. Somebody registers again with the same phone and their own e-mail.
    attacker = Client()
    response = _register(attacker, SessionFactory(workshop=session.workshop),
                         name="Evil", phone="0470 11 22 33", email=ATTACKER_EMAIL,
                         group=Group.NEWCOMER)
    assert response.status_code == 302
    victim.refresh_from_db()
    assert victim.email is None
    assert victim.display_name == "Hachem Haddad"
    assert victim.preferred_channel == Channel.SMS
    # The registration went to the person the phone identifies, told on their phone.
    assert Registration.objects.filter(person=victim).count() == 2
    assert not [m for m in mail.outbox if ATTACKER_EMAIL in m.to]
    assert not CONFIRM_LINK.search(_everything_sent())
    # 3. Sign-in links asked for that e-mail go nowhere (not to the victim's phone).
    sms.outbox.clear()
    mail.outbox.clear()
    attacker.post("/accounts/sign-in/", {"identifier": ATTACKER_EMAIL})
    assert not sms.outbox and not mail.outbox


def test_the_api_does_not_attach_an_email_to_a_phone_only_participant(client, session):
    victim = UserFactory(email=None, phone="+32470998877", display_name="Olena K",
                         preferred_language="uk", group=Group.NEWCOMER,
                         preferred_channel=Channel.SMS)
    response = _api_register(client, session, name="Mallory", phone="+32470998877",
                             email=ATTACKER_EMAIL, language="en", group="local")
    assert response.status_code == 201
    victim.refresh_from_db()
    assert (victim.email, victim.display_name, victim.preferred_language, victim.group) == (
        None, "Olena K", "uk", Group.NEWCOMER)
    assert ATTACKER_EMAIL not in _everything_sent() and not CONFIRM_LINK.search(
        _everything_sent())


def test_known_email_plus_unknown_phone_does_not_attach_the_phone(client, session):
    victim = UserFactory(email="victim@example.org", phone=None)
    _register(client, session, name="Mallory", email="victim@example.org",
              phone="0470 66 66 66")
    victim.refresh_from_db()
    assert victim.phone is None
    # A sign-in link asked by that phone sends nothing anywhere.
    sms.outbox.clear()
    mail.outbox.clear()
    client.post("/accounts/sign-in/", {"identifier": "0470 66 66 66"})
    assert not sms.outbox and not mail.outbox


def test_the_proposal_form_does_not_change_an_existing_person(city):
    victim = UserFactory(email=None, phone="+32470123456", display_name="Amira H",
                         preferred_language="ar")
    submit(city, display_name="Mallory", phone="0470 12 34 56", email=ATTACKER_EMAIL,
           ui_language="en")
    victim.refresh_from_db()
    assert (victim.email, victim.display_name, victim.preferred_language) == (
        None, "Amira H", "ar")


def test_takeover_before_the_account_exists_fails(client, session):
    """The attacker registers first with the victim's e-mail and their own phone; the
    victim's account never gets the attacker's phone, and the attacker's phone never
    receives the victim's sign-in links."""
    _register(client, session, name="Victim Name", email="victim@example.org",
              phone="0470 44 44 44")
    person = User.objects.get(email="victim@example.org")
    assert person.phone is None  # the phone waits for its proof
    # The phone got a confirmation link (the attacker's own phone: they may open it,
    # but it adds the phone to an account whose e-mail they do not hold).
    assert any(CONFIRM_LINK.search(s.body) for s in sms.outbox)
    sms.outbox.clear()
    mail.outbox.clear()
    Client().post("/accounts/sign-in/", {"identifier": "0470 44 44 44"})
    assert not sms.outbox and not mail.outbox
    Client().post("/accounts/sign-in/", {"identifier": "victim@example.org"})
    assert [m.to for m in mail.outbox] == [["victim@example.org"]] and not sms.outbox


def _path(url):
    parts = urlsplit(url)
    return parts.path


def test_a_new_persons_second_contact_joins_when_its_link_is_used(client, session):
    _register(client, session, name="Lucía García", email="lucia@example.org",
              phone="0470 77 88 99")
    person = User.objects.get(email="lucia@example.org")
    link = next(CONFIRM_LINK.search(s.body).group(0) for s in sms.outbox
                if CONFIRM_LINK.search(s.body))
    # Opening the link (a phone's link preview does that) changes nothing.
    page = Client().get(_path(link))
    assert page.status_code == 200
    person.refresh_from_db()
    assert person.phone is None
    assert Client().post(_path(link)).status_code == 200
    person.refresh_from_db()
    assert person.phone == "+32470778899"


def test_a_signed_in_person_adds_a_contact_through_its_link(client):
    person = UserFactory(email=None, phone="+32470121212", preferred_channel=Channel.SMS)
    client.force_login(person, backend="sesame.backends.ModelBackend")
    response = client.post("/accounts/me/contact/", {"contact": "me@example.org"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email is None
    (message,) = mail.outbox
    assert message.to == ["me@example.org"]
    link = CONFIRM_LINK.search(message.body).group(0)
    Client().post(_path(link))
    person.refresh_from_db()
    assert person.email == "me@example.org"


def test_a_contact_already_someone_elses_is_never_moved(client):
    owner = UserFactory(email="taken@example.org")
    person = UserFactory(email=None, phone="+32470131313")
    client.force_login(person, backend="sesame.backends.ModelBackend")
    client.post("/accounts/me/contact/", {"contact": "taken@example.org"})
    assert not mail.outbox  # nothing sent, and the page says the same as usual
    owner.refresh_from_db()
    person.refresh_from_db()
    assert owner.email == "taken@example.org" and person.email is None


def test_a_confirmation_link_is_refused_when_the_contact_got_taken_meanwhile(client):
    from interra.accounts import contacts

    person = UserFactory(email=None, phone="+32470141414")
    link = contacts.confirm_link(person=person, kind="email", value="late@example.org")
    UserFactory(email="late@example.org")
    response = Client().post(_path(link))
    assert response.status_code == 409
    person.refresh_from_db()
    assert person.email is None


@pytest.mark.parametrize("token", ["x", "a" * 300, "eyJwIjoxfQ:abc:def"])
def test_tampered_confirmation_links_answer_404(client, token):
    assert client.get(f"/accounts/contact/{token}/").status_code == 404
    assert client.post(f"/accounts/contact/{token}/").status_code == 404


def test_service_never_changes_an_existing_person():
    person, _ = services.person_find_or_create(display_name="A", phone="0470000002",
                                               language="ar", group=Group.NEWCOMER)
    again, created = services.person_find_or_create(
        display_name="B", phone="0470000002", email="b@example.org", language="en",
        group=Group.LOCAL)
    assert again.pk == person.pk and not created
    person.refresh_from_db()
    assert (person.display_name, person.email, person.preferred_language, person.group) == (
        "A", None, "ar", Group.NEWCOMER)
