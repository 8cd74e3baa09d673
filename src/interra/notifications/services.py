"""Send a message to a person, in their language, through the channel they can read.

Messages are templates under ``notifications/<template>/``: ``subject.txt`` and
``body.txt`` for email, ``sms.txt`` for SMS (short; falls back to the subject and the
first link). They are translated like the rest of the UI, rendered only in the worker,
after the language has been switched to the recipient's.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from interra.accounts.models import Channel

from .models import Message
from .sms import send_sms


def notify(*, person, template: str, context: dict | None = None) -> Message:
    """Queue ``template`` for ``person``; it is sent after the current transaction commits.

    ``context`` must be JSON-serialisable (ids and strings): it is rendered later, in the
    worker, in the recipient's language. Returns the queued Message.
    """
    message = Message.objects.create(
        recipient=person,
        template=template,
        context=context or {},
        channel=person.contact_channel,
        language=person.preferred_language or settings.LANGUAGE_CODE,
    )
    from .tasks import deliver_message

    transaction.on_commit(lambda: deliver_message.enqueue(message.pk))
    return message


def render_message(message: Message) -> dict[str, str]:
    """The subject, text body and SMS text of ``message`` in its language."""
    context = {
        **message.context,
        "recipient": message.recipient,
        "site_url": settings.SITE_URL,
    }
    base = f"notifications/{message.template}"
    with translation.override(message.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{base}/subject.txt", context).split())
        body = render_to_string(f"{base}/body.txt", context).strip()
        try:
            sms = render_to_string(f"{base}/sms.txt", context).strip()
        except TemplateDoesNotExist:
            sms = f"{subject}\n{body}"
    return {"subject": subject, "body": body, "sms": sms}


def message_deliver(*, message_id: int) -> Message:
    """Render and send one queued message; record the outcome. Safe to call twice."""
    message = Message.objects.select_related("recipient").get(pk=message_id)
    if message.status == Message.Status.SENT:
        return message
    person = message.recipient
    if person is None or not person.is_active or not message.channel:
        message.status = Message.Status.SKIPPED
        message.save(update_fields=["status"])
        return message
    rendered = render_message(message)
    try:
        if message.channel == Channel.SMS:
            send_sms(person.phone, rendered["sms"])
        else:
            email = EmailMultiAlternatives(
                subject=rendered["subject"], body=rendered["body"], to=[person.email],
                headers={"Content-Language": message.language},
            )
            email.send()
    except Exception as exc:  # a provider failure is recorded, and the task retried later
        message.status = Message.Status.FAILED
        message.error = repr(exc)[:2000]
        message.save(update_fields=["status", "error"])
        raise
    message.status = Message.Status.SENT
    message.sent_at = timezone.now()
    message.error = ""
    message.save(update_fields=["status", "sent_at", "error"])
    return message


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
