"""Send a message to a person, in their language, through the channel they can read.

Messages are templates under ``notifications/<template>/``: ``subject.txt`` and
``body.txt`` for email, ``sms.txt`` for SMS (short; falls back to the subject and the
body). They are plain text (see ``rendering``), translated like the rest of the UI, and
rendered only in the worker, after the language has been switched to the recipient's.

Push (``push.py``): a short notification on the person's devices; a device the push
service says is gone is forgotten, and a person with no device left, or whose push keeps
failing, gets the message by SMS if they have a phone, else by e-mail.

Delivery: the worker claims the message, sends it, and records the outcome. A failure is
tried again with growing delays (1, 4, 16, 64 minutes by default); after
``MESSAGE_MAX_ATTEMPTS`` the message is "failed" and shown to the coordinators of its city,
who can resend it. An SMS provider that reports delivery moves it to "delivered" or
"not delivered".
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from interra.core import queueing
from interra.core.audit import audit_personal_data_access
from interra.core.errors import DomainError

from .models import Channel, Message, PushSubscription
from .push import PushUnavailable, push_send
from .rendering import render_message
from .sms import SMS, get_sms_backend, sms_segments

logger = logging.getLogger("interra.notifications")

# A worker that claimed a message and died: after this, another worker may take it.
CLAIM_LEASE = timedelta(minutes=10)


def _max_attempts() -> int:
    return getattr(settings, "MESSAGE_MAX_ATTEMPTS", 5)


def _city_id_of(person, city_id):
    if city_id is not None or person is None:
        return city_id
    from interra.cities.models import Membership

    cities = list(Membership.objects.filter(person=person)
                  .values_list("city_id", flat=True).distinct()[:2])
    return cities[0] if len(cities) == 1 else None


def notify(*, person, template: str, context: dict | None = None,
           city_id: int | None = None) -> Message:
    """Queue ``template`` for ``person``; it is sent after the current transaction commits.

    ``context`` must be JSON-serialisable (ids and strings): it is rendered later, in the
    worker, in the recipient's language. It never holds a sign-in link: give
    ``{"sign_in_next": "/proposals/mine/"}`` and the worker mints the link when it sends.
    ``city_id`` decides which coordinators see the message if it fails (by default the one
    city the person belongs to). Returns the queued Message.
    """
    context = dict(context or {})
    if "sesame=" in str(context):
        raise ValueError("A message context must not hold a sign-in link: use sign_in_next.")
    message = Message.objects.create(
        recipient=person,
        city_id=_city_id_of(person, city_id),
        template=template,
        context=context,
        channel=person.contact_channel,
        language=person.preferred_language or settings.LANGUAGE_CODE,
        # If the queued task is lost, the scheduler picks the message up after this.
        next_attempt_at=timezone.now() + CLAIM_LEASE,
    )
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id: int, *, run_after: datetime | None = None) -> None:
    from .tasks import deliver_message

    queueing.enqueue(deliver_message, message_id, run_after=run_after)


def _claim(message_id: int, now: datetime) -> bool:
    """Take the message for this worker: only one worker sends it, only when it is due."""
    due = Q(status=Message.Status.QUEUED) | Q(
        status__in=[Message.Status.RETRYING, Message.Status.SENDING], next_attempt_at__lte=now
    )
    return bool(
        Message.objects.filter(due, pk=message_id).update(
            status=Message.Status.SENDING, attempts=F("attempts") + 1,
            next_attempt_at=now + CLAIM_LEASE,
        )
    )


def _fallback_channel(person) -> str:
    """Where a message goes when push cannot reach the person: SMS (people without
    data), else e-mail."""
    if person.phone:
        return Channel.SMS
    return Channel.EMAIL if person.email else ""


def _send(message: Message, rendered: dict) -> str:
    person = message.recipient
    if message.channel == Channel.PUSH:
        try:
            push_send(person=person, title=rendered["subject"], text=rendered["push"],
                      url=rendered["url"])
            return ""
        except PushUnavailable:
            fallback = _fallback_channel(person)
            if not fallback:
                raise
            logger.info("Message %s: no device for push, sent by %s.", message.pk, fallback)
            message.fallback_from, message.channel = Channel.PUSH, fallback
    if message.channel == Channel.SMS:
        message.segments = sms_segments(rendered["sms"])
        return get_sms_backend().send(SMS(to=person.phone, body=rendered["sms"]))
    email = EmailMultiAlternatives(
        subject=rendered["subject"], body=rendered["body"], to=[person.email],
        headers={"Content-Language": message.language},
    )
    email.send()
    return ""


def message_deliver(*, message_id: int, now: datetime | None = None) -> Message:
    """Render and send one message if it is due; record the outcome.

    Sends at most once per claim: a message already sent, being sent by another worker,
    or not yet due is left alone, so calling this twice (a retried task, the scheduler)
    never sends twice. A failure is recorded and scheduled again; it is not raised.
    """
    now = now or timezone.now()
    message = Message.objects.select_related("recipient").get(pk=message_id)
    person = message.recipient
    if message.status == Message.Status.QUEUED and (
        person is None or not person.is_active or not message.channel
    ):
        message.status = Message.Status.SKIPPED
        message.next_attempt_at = None
        message.save(update_fields=["status", "next_attempt_at"])
        return message
    if not _claim(message_id, now):
        return message
    message.refresh_from_db()
    try:
        rendered = render_message(message)
        provider_id = _send(message, rendered)
    except Exception as exc:  # a provider failure is recorded, then tried again
        logger.warning("Message %s: attempt %s failed: %r", message.pk, message.attempts, exc)
        message.error = repr(exc)[:2000]
        fallback = _fallback_channel(person) if message.channel == Channel.PUSH else ""
        if message.attempts >= _max_attempts() and fallback:
            # Push kept failing: the message goes by SMS (or e-mail), from the first try.
            message.fallback_from, message.channel = Channel.PUSH, fallback
            message.status = Message.Status.RETRYING
            message.attempts = 0
            message.next_attempt_at = now
            message.save(update_fields=["status", "error", "next_attempt_at", "attempts",
                                        "channel", "fallback_from"])
            _enqueue(message.pk)
            return message
        queueing.fail_or_retry(message, give_up=message.attempts >= _max_attempts(),
                               now=now, enqueue=_enqueue)
        return message
    message.status = Message.Status.SENT
    message.sent_at = timezone.now()
    message.error = ""
    message.next_attempt_at = None
    message.provider_id = provider_id or ""
    message.save(update_fields=["status", "sent_at", "error", "next_attempt_at", "provider_id",
                                "segments", "channel", "fallback_from"])
    return message


def messages_retry_due(*, now: datetime | None = None) -> int:
    """Send every message whose next attempt is due (run by the scheduler). Returns how
    many were tried."""
    now = now or timezone.now()
    due = Message.objects.filter(
        status__in=[Message.Status.QUEUED, Message.Status.RETRYING, Message.Status.SENDING],
        next_attempt_at__lte=now,
    ).values_list("pk", flat=True)
    tried = 0
    for message_id in list(due[:500]):
        message_deliver(message_id=message_id, now=now)
        tried += 1
    return tried


def messages_purge_old(*, now: datetime | None = None) -> int:
    """Delete messages older than MESSAGE_RETENTION_DAYS (the data-protection register
    says so). Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MESSAGE_RETENTION_DAYS)
    deleted, _by_model = Message.objects.filter(created_at__lt=cutoff).delete()
    return deleted


RESENDABLE = (Message.Status.FAILED, Message.Status.UNDELIVERED)


@transaction.atomic
def message_resend(*, message: Message, actor) -> Message:
    """A coordinator of the message's city sends a failed message again, now.

    Refuses a message that did not fail, and a message of another city. The resend is in
    the audit log; the message goes out after commit, with a freshly minted link.
    """
    from .selectors import failed_messages_for

    message = Message.objects.select_for_update().get(pk=message.pk)
    if not failed_messages_for(actor).filter(pk=message.pk).exists():
        raise DomainError(_("This message cannot be sent again from here."), code="resend")
    message.status = Message.Status.QUEUED
    message.attempts = 0
    message.error = ""
    message.provider_id = ""
    message.next_attempt_at = timezone.now() + CLAIM_LEASE
    message.save(update_fields=["status", "attempts", "error", "provider_id",
                                "next_attempt_at"])
    audit_personal_data_access(actor=actor, action="resend message",
                               subject=f"message {message.pk}", detail=message.template)
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


# Twilio's MessageStatus values that end the story.
DELIVERY_STATUSES = {
    "delivered": Message.Status.DELIVERED,
    "undelivered": Message.Status.UNDELIVERED,
    "failed": Message.Status.UNDELIVERED,
}


def message_delivery_report(*, provider_id: str, provider_status: str,
                            error_code: str = "") -> Message | None:
    """Record what the SMS provider says happened to a message it accepted.

    Only "delivered", "undelivered" and "failed" change anything; reports about an
    unknown message are ignored. Returns the message, if known.
    """
    message = Message.objects.filter(provider_id=provider_id).first() if provider_id else None
    status = DELIVERY_STATUSES.get(provider_status)
    if message is None or status is None:
        return message
    if message.status not in (Message.Status.SENT, Message.Status.UNDELIVERED,
                              Message.Status.DELIVERED):
        return message
    message.status = status
    fields = ["status"]
    if status == Message.Status.DELIVERED:
        message.delivered_at = timezone.now()
        fields.append("delivered_at")
    else:
        message.error = f"SMS provider: {provider_status} {error_code}".strip()
        fields.append("error")
    message.save(update_fields=fields)
    return message


def personal_data_export(person) -> list[dict]:
    """The messages sent to ``person``: what, when, how, and whether it arrived."""
    return [
        {"template": m.template, "channel": m.channel, "language": m.language,
         "status": m.status, "created_at": m.created_at.isoformat(),
         "sent_at": m.sent_at.isoformat() if m.sent_at else None, "context": m.context}
        for m in Message.objects.filter(recipient=person).order_by("created_at", "pk")
    ]


# --- Erasure (registered in NotificationsConfig.ready) ----------------------------------

def _scrubbed(value, needles: list[str]):
    """``value`` with every string that contains one of ``needles`` emptied."""
    if isinstance(value, dict):
        return {key: _scrubbed(item, needles) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrubbed(item, needles) for item in value]
    if isinstance(value, str) and any(n in value.lower() for n in needles):
        return ""
    return value


def messages_scrub(texts) -> int:
    """Empty every part of stored messages (to anybody) that contains one of ``texts``:
    an erased person's name or contact, or what they wrote (a workshop title quoted in
    a reminder to a participant). Returns how many messages changed.

    Messages are few per person and erasure is rare: a scan in Python is simpler and
    exact on both databases (SQLite stores JSON with non-ASCII letters escaped)."""
    needles = sorted({t.strip().lower() for t in texts if t and len(t.strip()) >= 3})
    if not needles:
        return 0
    changed = 0
    for message in Message.objects.only("id", "context", "error").iterator():
        context = _scrubbed(message.context, needles)
        error = "" if any(n in message.error.lower() for n in needles) else message.error
        if context != message.context or error != message.error:
            Message.objects.filter(pk=message.pk).update(context=context, error=error)
            changed += 1
    return changed


def personal_data_erase(person) -> None:
    """Messages to the person keep only what counts them (template, channel, status,
    dates); what they said is emptied. Messages to others that name them are scrubbed."""
    Message.objects.filter(recipient=person).update(context={}, error="")
    messages_scrub([person.display_name, person.email or "", person.phone or ""])


# --- Push subscriptions (the person's devices) -------------------------------------------

MAX_DEVICES = 10


def _valid_endpoint(endpoint: str) -> bool:
    """A push service's address: https, a host name (not a bare IP address), no
    credentials. The worker POSTs there, so it must not point into our network. The
    tests' local push service is allowed by PUSH_ALLOW_LOCAL_ENDPOINTS."""
    import ipaddress
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
    except ValueError:
        return False
    if not host or parts.username or parts.password or len(endpoint) > 1000:
        return False
    if getattr(settings, "PUSH_ALLOW_LOCAL_ENDPOINTS", False):
        return parts.scheme in ("https", "http")
    try:
        ipaddress.ip_address(host)
        return False
    except ValueError:
        pass
    return parts.scheme == "https" and host != "localhost" and "." in host


def _valid_key(text: str, length: int) -> bool:
    import base64
    import binascii

    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return False
    return len(raw) == length


@transaction.atomic
def push_subscription_save(*, person, endpoint: str, p256dh: str, auth: str,
                           user_agent: str = "") -> PushSubscription:
    """Remember that this device accepts push for ``person`` (the browser's
    ``PushSubscription``: endpoint, P-256 public key, 16-byte auth secret).

    The same device subscribing again updates its keys; a device another account
    subscribed before now belongs to ``person`` (one phone, one owner). A person keeps at
    most MAX_DEVICES devices, the oldest are forgotten."""
    endpoint, p256dh, auth = endpoint.strip(), p256dh.strip(), auth.strip()
    if not _valid_endpoint(endpoint):
        raise DomainError(_("This push service address is not accepted."), code="endpoint")
    if not (_valid_key(p256dh, 65) and _valid_key(auth, 16)):
        raise DomainError(_("These notification keys are not valid."), code="keys")
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"person": person, "p256dh": p256dh, "auth": auth,
                  "user_agent": user_agent[:200]},
    )
    keep = list(PushSubscription.objects.filter(person=person)
                .order_by("-created_at", "-pk").values_list("pk", flat=True)[:MAX_DEVICES])
    PushSubscription.objects.filter(person=person).exclude(pk__in=keep).delete()
    return subscription


@transaction.atomic
def push_subscription_delete(*, person, endpoint: str | None = None) -> int:
    """Forget one device of ``person`` (by endpoint), or all of them. If none is left
    and push was their choice, their messages go by SMS or e-mail again. Returns how
    many were forgotten."""
    devices = PushSubscription.objects.filter(person=person)
    if endpoint is not None:
        devices = devices.filter(endpoint=endpoint.strip())
    deleted, _by_model = devices.delete()
    return deleted


def push_personal_data_export(person) -> list[dict]:
    """The person's devices: which push service, since when; not the keys (they only
    serve to encrypt messages for that device)."""
    from urllib.parse import urlsplit

    return [
        {"push_service": urlsplit(s.endpoint).hostname, "device": s.user_agent,
         "created_at": s.created_at.isoformat(),
         "last_used_at": s.last_used_at.isoformat() if s.last_used_at else None}
        for s in PushSubscription.objects.filter(person=person)
    ]


def push_personal_data_erase(person) -> None:
    PushSubscription.objects.filter(person=person).delete()
