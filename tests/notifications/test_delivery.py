"""Messages that arrive: Twilio and SMTP against local servers speaking their protocols,
retries with back-off, delivery reports, and failed messages that coordinators resend."""

import runpy
import socket
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from twilio.request_validator import RequestValidator

from interra.accounts.models import Channel
from interra.cities.models import Role
from interra.core.models import AuditLogEntry
from interra.core.queueing import retry_delay
from interra.notifications.models import Message
from interra.notifications.services import messages_retry_due, notify
from tests.conftest import sign_in_staff
from tests.factories import UserFactory, coordinator, member

from .fake_twilio import AUTH_TOKEN, FakeTwilio

pytestmark = pytest.mark.django_db

BASE_SETTINGS = Path(__file__).resolve().parents[2] / "src/interra/config/settings/base.py"


def _sms_person(city=None, **extra):
    fields = {"email": None, "phone": "+32470111222", "preferred_channel": Channel.SMS,
              **extra}
    if city is not None:
        return member(city, Role.LEADER, **fields)
    return UserFactory(**fields)


def _time_passes(message):
    """The next attempt is due (as if the back-off delay had gone by)."""
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_sms_goes_through_the_twilio_client_to_the_provider(settings):
    with FakeTwilio() as provider:
        settings.SMS_URL = provider.sms_url
        person = _sms_person()
        message = notify(person=person, template="magic_link",
                         context={"sign_in_next": "/"})
    [sent] = provider.delivered
    assert sent["To"] == "+32470111222" and sent["From"] == "+32470000000"
    assert "/accounts/link/?sesame=" in sent["Body"]
    assert sent["StatusCallback"] == "http://127.0.0.1:8000/notifications/sms/status/"
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.provider_id == "SM" + "1".zfill(32)


def test_a_provider_that_fails_twice_then_succeeds_delivers_exactly_once(settings):
    with FakeTwilio(fail_first=2) as provider:
        settings.SMS_URL = provider.sms_url
        message = notify(person=_sms_person(), template="magic_link",
                         context={"sign_in_next": "/"})
        message.refresh_from_db()
        assert message.status == Message.Status.RETRYING and message.attempts == 1
        assert message.next_attempt_at > timezone.now() + timedelta(seconds=50)
        assert messages_retry_due() == 0  # not due yet: nothing is sent early
        for _ in range(5):  # the scheduler ticks again and again
            _time_passes(message)
            messages_retry_due()
            message.refresh_from_db()
            if message.status == Message.Status.SENT:
                messages_retry_due()  # one more tick after success
    assert provider.attempts == 3
    assert len(provider.delivered) == 1
    assert message.status == Message.Status.SENT and message.attempts == 3


def test_back_off_grows():
    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 4, 16, 64]


def test_a_provider_that_keeps_failing_leaves_a_failed_message_a_coordinator_resends(
        settings, city, client):
    settings.MESSAGE_MAX_ATTEMPTS = 3
    person = _sms_person(city, display_name="Amira Haddad")
    with FakeTwilio(always_fail=True) as provider:
        settings.SMS_URL = provider.sms_url
        message = notify(person=person, template="magic_link", context={"sign_in_next": "/"})
        for _ in range(4):
            _time_passes(message)
            messages_retry_due()
        message.refresh_from_db()
        assert message.status == Message.Status.FAILED and message.attempts == 3
        assert provider.attempts == 3 and provider.delivered == []

    boss = coordinator(city)
    sign_in_staff(client, boss)
    page = client.get("/notifications/failed/")
    assert page.status_code == 200
    assert "Amira Haddad" in page.content.decode()
    assert AuditLogEntry.objects.filter(actor=boss, subject="notifications.message:failed"
                                        ).exists()

    with FakeTwilio() as provider:  # the provider is back
        settings.SMS_URL = provider.sms_url
        response = client.post(f"/notifications/failed/{message.pk}/resend/")
        assert response.status_code == 302
    assert len(provider.delivered) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert AuditLogEntry.objects.filter(actor=boss, action="resend message").count() == 1
    assert "Amira Haddad" not in client.get("/notifications/failed/").content.decode()


def test_failed_messages_are_for_coordinators_of_that_city_only(city, other_city, client):
    person = _sms_person(city)
    message = Message.objects.create(recipient=person, city=city, template="magic_link",
                                     channel="sms", status=Message.Status.FAILED)
    outsider = coordinator(other_city)
    sign_in_staff(client, outsider)
    assert str(person.display_name) not in client.get("/notifications/failed/").content.decode()
    assert client.post(f"/notifications/failed/{message.pk}/resend/").status_code == 404
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED


def test_the_failed_page_needs_a_coordinator_with_a_second_factor(city, client):
    leader = member(city, Role.LEADER)
    client.force_login(leader)
    assert client.get("/notifications/failed/").status_code in (302, 403)
    boss = coordinator(city)
    client.force_login(boss)  # no password + second factor in this session
    response = client.get("/notifications/failed/")
    assert response.status_code == 302 and "/accounts/staff/" in response["Location"]
    assert client.get("/notifications/failed/1/resend/").status_code == 405


def _signed_post(client, settings, data, token=AUTH_TOKEN):
    url = settings.SITE_URL + "/notifications/sms/status/"
    signature = RequestValidator(token).compute_signature(url, data)
    return client.post("/notifications/sms/status/", data,
                       headers={"X-Twilio-Signature": signature})


def test_delivery_reports_with_a_valid_signature_update_the_message(settings, client):
    with FakeTwilio() as provider:
        settings.SMS_URL = provider.sms_url
        message = notify(person=_sms_person(), template="magic_link",
                         context={"sign_in_next": "/"})
    message.refresh_from_db()
    report = {"MessageSid": message.provider_id, "MessageStatus": "delivered",
              "AccountSid": "AC" + "0" * 32}
    assert _signed_post(client, settings, report, token="wrong").status_code == 403
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert _signed_post(client, settings, report).status_code == 204
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED and message.delivered_at


def test_undelivered_report_shows_the_message_as_failed(settings, client, city):
    with FakeTwilio() as provider:
        settings.SMS_URL = provider.sms_url
        message = notify(person=_sms_person(city), template="magic_link",
                         context={"sign_in_next": "/"})
        message.refresh_from_db()
        report = {"MessageSid": message.provider_id, "MessageStatus": "undelivered",
                  "ErrorCode": "30003"}
        assert _signed_post(client, settings, report).status_code == 204
    message.refresh_from_db()
    assert message.status == Message.Status.UNDELIVERED
    assert "30003" in message.error


def test_unsigned_report_is_refused(settings, client):
    settings.SMS_URL = "twilio://AC1:tok@api.twilio.com?from=Interra"
    response = client.post("/notifications/sms/status/",
                           {"MessageSid": "SM1", "MessageStatus": "delivered"})
    assert response.status_code == 403


def test_email_goes_through_smtp_configured_from_email_url(settings, monkeypatch):
    """A real SMTP conversation with a local server; the mailer comes from EMAIL_URL
    through the project's own settings code."""
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:  # a free port, never a fixed one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("EMAIL_URL", f"smtp://127.0.0.1:{port}")
        configured = runpy.run_path(str(BASE_SETTINGS))
        settings.MAILERS = configured["MAILERS"]
        assert configured["MAILERS"]["default"]["BACKEND"].endswith("smtp.EmailBackend")
        person = UserFactory(email="amira@example.org", preferred_language="ar")
        message = notify(person=person, template="magic_link",
                         context={"sign_in_next": "/proposals/mine/"})
    finally:
        controller.stop()
    [envelope] = received
    assert envelope.rcpt_tos == ["amira@example.org"]
    import email
    from email import policy

    parsed = email.message_from_bytes(envelope.content, policy=policy.default)
    text = parsed.get_body(("plain",)).get_content()
    assert "/accounts/link/?sesame=" in text and "&next=/proposals/mine/" in text
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert mail.outbox == []  # it really went through SMTP


def test_with_the_database_worker_a_failed_send_is_queued_again_for_later(settings):
    """With django-tasks-db (the default worker), the retry is a deferred task due when
    the back-off ends; the scheduler's retry job is the safety net."""
    from django_tasks_db.models import DBTaskResult

    from interra.notifications.services import message_deliver

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}
    with FakeTwilio(always_fail=True) as provider:
        settings.SMS_URL = provider.sms_url
        message = notify(person=_sms_person(), template="magic_link",
                         context={"sign_in_next": "/"})
        assert provider.attempts == 0  # queued for the worker, not sent in the request
        message_deliver(message_id=message.pk)  # what the worker does
    message.refresh_from_db()
    assert message.status == Message.Status.RETRYING
    queued = DBTaskResult.objects.order_by("enqueued_at")
    assert queued.count() == 2  # the first send, then the retry
    deferred = queued.filter(run_after__gt=timezone.now(),  # "no date" is stored as max
                             run_after__lt=timezone.now() + timedelta(days=1))
    assert [(r.task_path, r.args_kwargs["args"]) for r in deferred] == [
        ("interra.notifications.tasks.deliver_message", [message.pk])]
    assert deferred.get().run_after == message.next_attempt_at


def test_sms_url_chooses_the_backend(settings):
    from django.core.exceptions import ImproperlyConfigured

    from interra.notifications import sms

    settings.SMS_URL = "console://"
    assert isinstance(sms.get_sms_backend(), sms.ConsoleSMSBackend)
    settings.SMS_URL = "locmem://"
    assert isinstance(sms.get_sms_backend(), sms.LocmemSMSBackend)
    settings.SMS_URL = "twilio://AC1:secret@api.twilio.com?from=%2B32470000000"
    backend = sms.get_sms_backend()
    assert isinstance(backend, sms.TwilioSMSBackend)
    assert backend.client.api.base_url == "https://api.twilio.com"
    assert backend.sender == "+32470000000" and sms.sms_auth_token() == "secret"
    settings.SMS_URL = "twilio://AC1:secret@api.twilio.com"  # no sender
    with pytest.raises(ImproperlyConfigured):
        sms.get_sms_backend()
    settings.SMS_URL = "pigeon://"
    with pytest.raises(ImproperlyConfigured):
        sms.get_sms_backend()
    settings.SMS_URL = ""
    settings.SMS_BACKEND = "interra.notifications.sms.LocmemSMSBackend"
    assert isinstance(sms.get_sms_backend(), sms.LocmemSMSBackend)


def test_coordinators_find_the_failed_messages_from_the_team_page(city, client):
    sign_in_staff(client, coordinator(city))
    assert "/notifications/failed/" in client.get("/staff/").content.decode()
