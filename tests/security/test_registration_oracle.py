"""Finding 6 of issue 10: the public registration must not tell an outsider who is
registered, must not hand them anybody's private link, and must not send unlimited
messages to numbers that anyone types (SMS pumping).

Each test plays the attacker's sequence: the victim acts first, then the attacker types
the victim's contact; the attacker's answers are compared with those for a new contact.
"""

import re

import pytest
from django.core import mail

from interra.agenda.models import Registration
from interra.notifications.models import Message
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

VICTIM_PHONE = "+32470123456"


def _form(**extra):
    return {"name": "Attacker", "email": "", "phone": "", "group": "", "seats": "1",
            "consent": "on", **extra}


def _answer(response) -> tuple[int, str]:
    """What an outsider sees of an answer, without the parts that differ per request."""
    body = response.content.decode() if response.status_code != 302 else ""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return response.status_code, response.get("Location", "") + body


def test_typing_a_registered_phone_answers_like_a_new_registration(client, city):
    session = SessionFactory(workshop__city=city, capacity=10)
    victim = UserFactory(display_name="Nadia Victime", phone=VICTIM_PHONE, email=None,
                         preferred_channel="sms")
    client.post(f"/agenda/{session.pk}/register/",
                _form(name="Nadia Victime", phone="0470 12 34 56"), REMOTE_ADDR="10.0.0.1")
    assert Registration.objects.filter(person=victim).count() == 1
    victim_messages = Message.objects.filter(recipient=victim).count()

    attacker = client.post(f"/agenda/{session.pk}/register/", _form(phone=VICTIM_PHONE),
                           REMOTE_ADDR="10.0.0.2")
    stranger = client.post(f"/agenda/{session.pk}/register/", _form(phone="+32470654321"),
                           REMOTE_ADDR="10.0.0.3")
    assert _answer(attacker) == _answer(stranger)
    assert attacker.status_code == 302  # not 409
    page = client.get(attacker["Location"]).content.decode()
    assert "Nadia" not in page and "/agenda/r/" not in page
    # The manage link went again, by message, to the contact on file only.
    assert Message.objects.filter(recipient=victim).count() == victim_messages + 1
    assert Message.objects.filter(recipient=victim).first().template == "registration_link"
    assert Registration.objects.filter(person=victim).count() == 1


def test_phone_and_another_persons_email_answers_like_a_new_registration(client, city):
    """Two people's contacts together used to answer "belong to two different people"."""
    session = SessionFactory(workshop__city=city, capacity=10)
    UserFactory(phone=VICTIM_PHONE, email=None)
    UserFactory(email="other@example.org", phone=None)
    mixed = client.post(f"/agenda/{session.pk}/register/",
                        _form(phone=VICTIM_PHONE, email="other@example.org"),
                        REMOTE_ADDR="10.0.0.2")
    fresh = client.post(f"/agenda/{session.pk}/register/",
                        _form(phone="+32470000111", email="fresh@example.org"),
                        REMOTE_ADDR="10.0.0.3")
    assert _answer(mixed) == _answer(fresh)


def test_the_registration_page_never_shows_the_private_link(client, city):
    session = SessionFactory(workshop__city=city, capacity=10)
    response = client.post(f"/agenda/{session.pk}/register/", _form(email="me@example.org"),
                           follow=True)
    assert response.status_code == 200
    registration = Registration.objects.get()
    assert registration.token not in response.content.decode()
    assert registration.token in mail.outbox[0].body


def test_api_answers_a_duplicate_like_a_new_registration(client, city):
    session = SessionFactory(workshop__city=city, capacity=10)
    victim = UserFactory(email="victim@example.org", phone=None)

    def post(email, ip):
        return client.post(f"/api/v1/sessions/{session.pk}/registrations",
                           {"name": "X", "email": email}, content_type="application/json",
                           REMOTE_ADDR=ip)

    first = post("victim@example.org", "10.0.0.1")
    again = post("victim@example.org", "10.0.0.2")
    new = post("new@example.org", "10.0.0.3")
    assert first.status_code == again.status_code == new.status_code == 201
    assert again.json() == new.json() == first.json()
    assert Registration.objects.filter(person=victim).count() == 1
    assert [m.template for m in Message.objects.filter(recipient=victim)
            .order_by("created_at")] == ["registration_confirmed", "registration_link"]


def test_messages_to_one_number_are_capped_whoever_asks(client, city):
    """SMS pumping: from many addresses, one number gets at most 3 messages an hour."""
    sessions = [SessionFactory(workshop__city=city, capacity=10) for _ in range(5)]
    answers = [client.post(f"/agenda/{s.pk}/register/", _form(phone="+32470111222"),
                           REMOTE_ADDR=f"10.0.1.{n}").status_code
               for n, s in enumerate(sessions)]
    assert answers == [302, 302, 302, 429, 429]
    assert len(Message.objects.filter(recipient__phone="+32470111222")) == 3
    # "Send me my link again" and the sign-in link count against the same cap.
    assert client.post("/agenda/my-link/", {"identifier": "+32470111222"},
                       REMOTE_ADDR="10.0.2.1").status_code == 429
    assert client.post("/accounts/sign-in/", {"identifier": "0470 11 12 22"},
                       REMOTE_ADDR="10.0.2.2").status_code != 302
    assert len(Message.objects.filter(recipient__phone="+32470111222")) == 3


def test_messages_from_one_address_are_capped(client, city):
    session = SessionFactory(workshop__city=city, capacity=100, max_seats_per_registration=1)
    answers = [client.post(f"/agenda/{session.pk}/register/",
                           _form(phone=f"+3247055{n:04d}"), REMOTE_ADDR="10.0.3.1").status_code
               for n in range(21)]
    assert answers[:20] == [302] * 20 and answers[20] == 429
    api = client.post(f"/api/v1/sessions/{session.pk}/registrations",
                      {"name": "X", "phone": "+32470559999"}, content_type="application/json",
                      REMOTE_ADDR="10.0.3.1")
    assert api.status_code == 429


def test_send_me_my_link_again_goes_to_the_contact_on_file(client, city):
    session = SessionFactory(workshop__city=city, capacity=10)
    client.post(f"/agenda/{session.pk}/register/", _form(name="Olena", email="olena@example.org"))
    registration = Registration.objects.get()
    mail.outbox.clear()
    known = client.post("/agenda/my-link/", {"identifier": "OLENA@example.org"},
                        REMOTE_ADDR="10.0.4.1")
    unknown = client.post("/agenda/my-link/", {"identifier": "nobody@example.org"},
                          REMOTE_ADDR="10.0.4.2")
    assert _answer(known) == _answer(unknown) and known.status_code == 200
    assert registration.token not in known.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["olena@example.org"]
    assert registration.get_absolute_url() in mail.outbox[0].body
    # The page is linked from the answer after registering.
    assert "/agenda/my-link/" in client.get(f"/agenda/{session.pk}/registered/").content.decode()


@pytest.mark.parametrize("headers, status", [
    ({"content_type": "text/plain"}, 415),
    ({"content_type": "application/x-www-form-urlencoded"}, 415),
    ({"content_type": "application/json", "HTTP_ORIGIN": "https://evil.example"}, 403),
    ({"content_type": "application/json", "HTTP_SEC_FETCH_SITE": "cross-site"}, 403),
    ({"content_type": "application/json"}, 201),  # a partner's server
    ({"content_type": "application/json", "HTTP_SEC_FETCH_SITE": "same-origin"}, 201),
])
def test_api_refuses_text_plain_and_cross_origin_browser_posts(client, city, headers, status):
    import json

    session = SessionFactory(workshop__city=city, capacity=10)
    response = client.post(f"/api/v1/sessions/{session.pk}/registrations",
                           json.dumps({"name": "X", "email": "csrf@example.org"}), **headers)
    assert response.status_code == status, response.content
    assert Registration.objects.count() == (1 if status == 201 else 0)
