"""Demo ties: the agenda demo records attendance with bulk_create, which sends no signal,
so the tie meetings are computed once everything is seeded. And the messages of the past
sessions, for the messages-by-channel table."""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from interra.agenda.models import Registration
from interra.notifications.models import Channel, Message
from interra.notifications.sms import sms_segments

from . import ties

ORDER = 90


def seed(ctx):
    ties.rebuild()
    _seed_messages(ctx)


def _reminder_text(language: str, title: str) -> str:
    with translation.override(language):
        return (f"{_('Reminder')}: {title}, 14:00, Maison des Jeunes, Rue Haute 12. "
                f"{_('Cannot come? Cancel:')} https://interra.example/agenda/r/AbCdEfGhIjKlMnOp/")


def _seed_messages(ctx):
    """The reminders the past sessions' participants got, each by the channel the person
    used (some had notifications on their phone), so that "Messages and what they cost"
    has something to show. SMS segments are counted on a reminder in the person's
    language, as the worker counts them."""
    rng = ctx.rng
    participants = [p for p in ctx.get("participants", []) if p.phone]
    # A third of the participants with a phone had notifications on their phone then (the
    # demo has no real device, so their coming messages go by their usual channel).
    chose_push = {p.pk for p in participants if rng.random() < 0.35}
    registrations = (Registration.objects
                     .filter(session__city=ctx["city"], session__starts_at__lt=timezone.now(),
                             person__isnull=False, status=Registration.Status.CONFIRMED)
                     .select_related("person", "session__workshop"))
    messages = []
    for registration in registrations:
        person, session = registration.person, registration.session
        channel = Channel.PUSH if person.pk in chose_push else person.preferred_channel
        if channel == Channel.SMS and not person.phone:
            channel = Channel.EMAIL
        language = person.preferred_language or "fr"
        title = session.workshop.title.get(language) or session.workshop.title.get("fr", "")
        segments = sms_segments(_reminder_text(language, title)) if channel == Channel.SMS else 0
        sent_at = session.starts_at - timedelta(hours=48)
        messages.append(Message(
            recipient=person, city=ctx["city"], template="session_reminder",
            context={"registration_id": registration.pk}, channel=channel,
            language=language, status=Message.Status.SENT, segments=segments,
            sent_at=sent_at))
    Message.objects.bulk_create(messages)
    # created_at is set on insert: date the demo messages when they were sent.
    Message.objects.filter(pk__in=[m.pk for m in messages]).update(created_at=F("sent_at"))
    ctx["demo_messages"] = len(messages)

