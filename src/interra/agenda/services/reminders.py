"""Periodic work: reminders before a session, feedback requests after, released seats."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from interra.notifications.services import notify

from ..models import Registration, ReminderSent, Session
from .attendance import _session_took_place
from .common import _message_context
from .registrations import waitlist_promote


def send_due_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Send what is due now; safe to run as often as wanted (each message goes once).

    - a reminder before each confirmed registration at each of the city's reminder hours
      (only the nearest one if several are due at once, e.g. after the worker was down);
    - after a session, a feedback link to each participant (who came, when attendance
      was taken; otherwise everyone confirmed), and the session is marked held;
    - once held seats are released, free seats go to the waitlist.
    """
    now = now or timezone.now()
    sent = {"reminders": 0, "feedback": 0, "promoted": 0}
    upcoming = (Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now,
                                       starts_at__lte=now + timedelta(days=8))
                .select_related("workshop", "city", "room__venue"))
    for session in upcoming:
        hours = sorted(session.city.get_reminder_hours())
        due = [h for h in hours if session.starts_at - timedelta(hours=h) <= now]
        if not due:
            continue
        registrations = (Registration.objects
                         .filter(session=session, status=Registration.Status.CONFIRMED,
                                 person__isnull=False)
                         .select_related("person"))
        for registration in registrations:
            registration.session = session
            if _reminder_record(registration, due, session.starts_at):
                notify(person=registration.person, template="session_reminder",
                       context=_message_context(registration),
                       city_id=session.city_id)
                sent["reminders"] += 1
    ended = (Session.objects.filter(status__in=[Session.Status.SCHEDULED, Session.Status.HELD],
                                    ends_at__lte=now, ends_at__gt=now - timedelta(days=7))
             .select_related("workshop", "city", "room__venue"))
    for session in ended:
        if session.status == Session.Status.SCHEDULED:
            Session.objects.filter(pk=session.pk).update(status=Session.Status.HELD)
            _session_took_place(session)
        # Only people marked present may rate (feedback_submit): only they are asked.
        confirmed = Registration.objects.filter(session=session, person__isnull=False,
                                                status=Registration.Status.CONFIRMED,
                                                attended=True)
        for registration in confirmed.filter(feedback_requested_at__isnull=True).select_related(
                "person"):
            claimed = Registration.objects.filter(
                pk=registration.pk, feedback_requested_at__isnull=True
            ).update(feedback_requested_at=now)
            if claimed:
                registration.session = session
                notify(person=registration.person, template="feedback_request",
                       context=_message_context(registration),
                       city_id=session.city_id)
                sent["feedback"] += 1
    released = Session.objects.filter(
        status=Session.Status.SCHEDULED, hold_release_at__lte=now, starts_at__gt=now,
        registrations__status=Registration.Status.WAITLISTED,
    ).distinct()
    for session in released:
        sent["promoted"] += len(waitlist_promote(session=session))
    return sent


@transaction.atomic
def _reminder_record(registration: Registration, due_hours: list[int], starts_at) -> bool:
    """Record the due reminders; True if the nearest one had not been sent yet."""
    nearest = min(due_hours)
    try:
        with transaction.atomic():
            _row, created = ReminderSent.objects.get_or_create(
                registration=registration, hours_before=nearest, starts_at=starts_at)
    except IntegrityError:
        return False
    if created:
        # The earlier reminders are now pointless: mark them as done too.
        ReminderSent.objects.bulk_create(
            [ReminderSent(registration=registration, hours_before=h, starts_at=starts_at)
             for h in due_hours if h != nearest],
            ignore_conflicts=True,
        )
    return created
