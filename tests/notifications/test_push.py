"""Web push as a channel: a reminder and a waitlist promotion reach a phone through a local
push service that checks the VAPID signature and decrypts the RFC 8291 payload
(``push_service.py``, written with ``cryptography`` only); gone devices are forgotten and
the message falls back to SMS, then e-mail; devices are stored, exported (without keys)
and erased; SMS segments are counted."""

import json
from datetime import timedelta

import pytest
from cryptography.exceptions import InvalidSignature
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from interra.accounts.models import Channel
from interra.agenda import services as agenda
from interra.core import personal_data
from interra.notifications import push, sms
from interra.notifications.models import Message, PushSubscription
from interra.notifications.services import (
    messages_retry_due,
    notify,
    push_subscription_save,
)
from interra.notifications.sms import sms_encoding, sms_segments
from tests.factories import RegistrationFactory, SessionFactory, UserFactory

from .push_service import BrowserKeys, LocalPushService, VerificationError, verify_vapid

pytestmark = pytest.mark.django_db


@pytest.fixture
def push_service():
    with LocalPushService() as service:
        yield service


def _push_person(service, devices=1, **fields):
    person = UserFactory(**{"preferred_channel": Channel.PUSH, "preferred_language": "en",
                            **fields})
    for _ in range(devices):
        info = service.subscribe()
        push_subscription_save(person=person, endpoint=info["endpoint"],
                               p256dh=info["keys"]["p256dh"], auth=info["keys"]["auth"])
    return person


def test_a_reminder_reaches_the_phone_signed_and_encrypted(push_service, settings):
    settings.SITE_URL = "https://interra.example"
    person = _push_person(push_service, phone="+32470111222")
    assert person.contact_channel == Channel.PUSH
    session = SessionFactory(starts_at=timezone.now() + timedelta(hours=20),
                             workshop__title={"en": "Syrian pastries", "fr": "Pâtisseries"})
    RegistrationFactory(session=session, person=person)
    sms.outbox.clear()
    mail.outbox = []

    assert agenda.send_due_reminders()["reminders"] == 1

    assert push_service.errors == []
    [received] = push_service.received
    assert received.payload["title"] == "Reminder: Syrian pastries"
    assert received.payload["body"].startswith("Reminder: Syrian pastries, ")
    assert "Cannot come? Cancel:" in received.payload["body"]
    # Tapping opens the registration's page (cancel or manage), not repeated in the text.
    url = received.payload["url"]
    assert url.startswith("https://interra.example/agenda/r/")
    assert url not in received.payload["body"]
    assert received.claims["aud"] == push_service.origin
    assert received.vapid_key == push.vapid_public_key()
    assert received.headers["urgency"] == "normal"
    message = Message.objects.get(template="session_reminder")
    assert (message.channel, message.status, message.segments) == ("push", "sent", 0)
    assert "sesame" not in json.dumps(message.context)
    assert sms.outbox == [] and mail.outbox == []
    assert PushSubscription.objects.get(person=person).last_used_at is not None


def test_a_waitlist_promotion_goes_by_push_to_every_device(push_service):
    session = SessionFactory(capacity=1, newcomer_seats_percent=0, local_seats_percent=0,
                             workshop__title={"en": "Bike repair", "fr": "Réparer son vélo"})
    first = agenda.registration_create(session=session, person=UserFactory(), group="undisclosed")
    waiting = _push_person(push_service, devices=2)
    assert agenda.registration_create(session=session, person=waiting,
                                      group="undisclosed").status == "waitlisted"
    push_service.received.clear()

    agenda.registration_cancel(registration=first)

    assert push_service.errors == []
    assert len(push_service.received) == 2
    message = Message.objects.get(template="registration_promoted")
    assert (message.recipient, message.channel, message.status) == (waiting, "push", "sent")
    assert {r.payload["title"] for r in push_service.received} == {
        "A seat is yours: Bike repair"}
    assert len({r.payload["url"] for r in push_service.received}) == 1
    assert "/agenda/r/" in push_service.received[0].payload["url"]


def test_a_sign_in_link_is_minted_for_the_push_and_never_stored(push_service):
    person = _push_person(push_service)
    message = notify(person=person, template="magic_link", context={"sign_in_next": "/"})
    [received] = push_service.received
    assert "sesame=" in received.payload["url"]
    assert received.payload["url"] not in received.payload["body"]
    message.refresh_from_db()
    assert "sesame" not in json.dumps(message.context) + message.error


def test_a_gone_device_is_forgotten_and_the_message_goes_by_sms(push_service):
    person = _push_person(push_service, phone="+32470111222", email=None)
    [subscription] = PushSubscription.objects.filter(person=person)
    push_service.answer[subscription.endpoint.removeprefix(push_service.origin)] = 410
    sms.outbox.clear()

    message = notify(person=person, template="magic_link", context={"sign_in_next": "/"})

    message.refresh_from_db()
    assert not PushSubscription.objects.filter(person=person).exists()
    assert (message.channel, message.fallback_from, message.status) == ("sms", "push", "sent")
    [text] = sms.outbox
    assert "sesame=" in text.body and message.segments == sms_segments(text.body) >= 1
    # Without a device, the next message goes straight by SMS.
    person.refresh_from_db()
    assert person.contact_channel == Channel.SMS


def test_a_gone_device_without_a_phone_falls_back_to_email(push_service):
    person = _push_person(push_service)
    [subscription] = PushSubscription.objects.filter(person=person)
    push_service.answer[subscription.endpoint.removeprefix(push_service.origin)] = 404
    mail.outbox = []
    message = notify(person=person, template="magic_link", context={"sign_in_next": "/"})
    message.refresh_from_db()
    assert (message.channel, message.fallback_from, message.status) == ("email", "push", "sent")
    assert len(mail.outbox) == 1


def test_a_failing_push_service_is_retried_then_replaced_by_sms(push_service, settings):
    settings.MESSAGE_MAX_ATTEMPTS = 2
    person = _push_person(push_service, phone="+32470111222")
    [subscription] = PushSubscription.objects.filter(person=person)
    push_service.answer[subscription.endpoint.removeprefix(push_service.origin)] = 503
    sms.outbox.clear()
    message = notify(person=person, template="magic_link", context={"sign_in_next": "/"})
    message.refresh_from_db()
    assert (message.status, message.channel, message.attempts) == ("retrying", "push", 1)
    assert "503" in message.error

    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    messages_retry_due()

    message.refresh_from_db()
    assert (message.status, message.channel, message.fallback_from) == ("sent", "sms", "push")
    assert len(sms.outbox) == 1
    # A push service that is down does not mean the device is gone.
    assert PushSubscription.objects.filter(person=person).exists()


def test_the_local_service_refuses_a_forged_signature(push_service):
    """The verifier can fail: a token signed by another key is refused."""
    person = _push_person(push_service)
    notify(person=person, template="magic_link", context={"sign_in_next": "/"})
    [received] = push_service.received
    token = received.headers["authorization"]
    other = push.generate_private_key()
    forged = token.replace(received.vapid_key, push._public_key_for(other))
    with pytest.raises(InvalidSignature):
        verify_vapid(forged, push_service.origin)
    with pytest.raises(VerificationError):
        verify_vapid(token, "https://fcm.googleapis.com")


def test_subscribe_and_unsubscribe_from_my_space(client, push_service):
    person = UserFactory(preferred_language="en")
    client.force_login(person)
    client.cookies["django_language"] = "en"
    info = push_service.subscribe()
    url = reverse("notifications:push_subscribe")
    answer = client.post(url, json.dumps(info), content_type="application/json",
                         HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
    assert answer.status_code == 200
    assert answer.json() == {"devices": 1, "text": "1 device receives notifications."}
    stored = PushSubscription.objects.get(person=person)
    assert (stored.endpoint, stored.user_agent) == (info["endpoint"], "Mozilla/5.0 (iPhone)")
    # The same device again: still one.
    client.post(url, json.dumps(info), content_type="application/json")
    assert PushSubscription.objects.filter(person=person).count() == 1
    # Bad keys, or not a subscription at all.
    bad = {**info, "keys": {"p256dh": "abc", "auth": info["keys"]["auth"]}}
    assert client.post(url, json.dumps(bad), content_type="application/json").status_code == 400
    assert client.post(url, "{}", content_type="application/json").status_code == 400

    # Now push may be chosen in the profile.
    client.cookies["django_language"] = "en"
    page = client.get(reverse("accounts:profile"))
    assert b'id="push"' in page.content and b"notifications/push.js" in page.content

    gone = client.post(reverse("notifications:push_unsubscribe"),
                       json.dumps({"endpoint": info["endpoint"]}),
                       content_type="application/json")
    assert gone.json()["devices"] == 0
    assert not PushSubscription.objects.filter(person=person).exists()


def test_the_no_javascript_form_forgets_every_device(client, push_service):
    person = _push_person(push_service, devices=2)
    client.force_login(person)
    answer = client.post(reverse("notifications:push_unsubscribe"))
    assert answer.status_code == 302
    assert not PushSubscription.objects.filter(person=person).exists()


def test_push_can_be_chosen_only_with_a_device(client, push_service):
    person = UserFactory(preferred_language="en")
    client.force_login(person)
    client.cookies["django_language"] = "en"
    form = {"display_name": person.display_name, "preferred_language": "en",
            "spoken_languages": ["fr"], "group": "", "preferred_channel": "push"}
    refused = client.post(reverse("accounts:profile"), form)
    assert refused.status_code == 200
    assert b"Turn on notifications on your phone" in refused.content
    info = push_service.subscribe()
    push_subscription_save(person=person, endpoint=info["endpoint"],
                           p256dh=info["keys"]["p256dh"], auth=info["keys"]["auth"])
    assert client.post(reverse("accounts:profile"), form).status_code == 302
    person.refresh_from_db()
    assert person.preferred_channel == "push" and person.contact_channel == "push"


@pytest.mark.parametrize("endpoint", [
    "http://fcm.googleapis.com/fcm/send/x", "https://127.0.0.1/x", "https://10.0.0.5/x",
    "https://localhost/x", "https://user:pw@push.example.org/x", "ftp://push.example.org/x",
])
def test_endpoints_that_point_into_our_network_are_refused(settings, endpoint):
    from interra.core.errors import DomainError

    settings.PUSH_ALLOW_LOCAL_ENDPOINTS = False
    keys = BrowserKeys()
    with pytest.raises(DomainError):
        push_subscription_save(person=UserFactory(), endpoint=endpoint,
                               p256dh=keys.p256dh, auth=keys.auth)


def test_devices_are_exported_without_keys_and_erased(push_service):
    person = _push_person(push_service, devices=2)
    exported = personal_data.export_all(person)["push_devices"]
    assert [d["push_service"] for d in exported] == ["127.0.0.1", "127.0.0.1"]
    text = json.dumps(exported)
    for subscription in PushSubscription.objects.filter(person=person):
        assert subscription.p256dh not in text and subscription.auth not in text
        assert subscription.endpoint not in text
    personal_data.erase_all(person)
    assert not PushSubscription.objects.filter(person=person).exists()


def test_sms_segments_gsm7_and_ucs2():
    assert sms_segments("") == 0
    assert sms_encoding("Rappel : atelier à 14h, entrée libre") == "GSM-7"
    assert sms_segments("a" * 160) == 1 and sms_segments("a" * 161) == 2
    assert sms_segments("a" * 306) == 2 and sms_segments("a" * 307) == 3
    # Extension characters count twice.
    assert sms_segments("€" * 80) == 1 and sms_segments("€" * 81) == 2
    arabic = "تذكير: ورشة الحلويات السورية"
    assert sms_encoding(arabic) == "UCS-2"
    assert sms_segments("ب" * 70) == 1 and sms_segments("ب" * 71) == 2
    assert sms_segments("ب" * 134) == 2 and sms_segments("ب" * 135) == 3
    # Characters outside the BMP take two UTF-16 units.
    assert sms_segments("😀" * 35) == 1 and sms_segments("😀" * 36) == 2


def test_generate_vapid_keys_prints_a_usable_pair():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("generate_vapid_keys", stdout=out)
    private_line, public_line = out.getvalue().splitlines()
    private = private_line.removeprefix("VAPID_PRIVATE_KEY=")
    assert len(push._b64url_decode(private)) == 32
    public = public_line.rsplit(" ", 1)[1]
    assert public == push._public_key_for(private)
    assert len(push._b64url_decode(public)) == 65 and push._b64url_decode(public)[0] == 4


def test_without_a_vapid_key_push_is_not_offered(client, settings):
    from interra.notifications.push import _private_key_text

    settings.VAPID_PRIVATE_KEY, settings.VAPID_KEY_FILE = "", ""
    _private_key_text.cache_clear()
    person = UserFactory(preferred_language="en")
    client.force_login(person)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'id="push"' not in page and 'value="push"' not in page


def test_my_data_page_lists_the_devices(client, push_service):
    person = _push_person(push_service)
    client.force_login(person)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("accounts:my_data")).content.decode()
    assert "My devices that receive notifications" in html and "127.0.0.1" in html
    subscription = PushSubscription.objects.get(person=person)
    assert subscription.auth not in html and subscription.endpoint not in html
