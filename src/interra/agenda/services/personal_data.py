"""A person's agenda data: export and erasure (registered in AgendaConfig.ready)."""

from django.utils import timezone

from ..models import Feedback, Registration, Session, SessionLogEntry
from .registrations import registration_cancel
from .sessions import session_cancel


def personal_data_export(person) -> list[dict]:
    from interra.core.i18n import localized

    rows = (Registration.objects.filter(person=person)
            .select_related("session__workshop", "feedback").order_by("created_at"))
    result = []
    for registration in rows:
        feedback = getattr(registration, "feedback", None)
        result.append({
            "workshop": localized(registration.session.workshop.title),
            "starts_at": registration.session.starts_at.isoformat(),
            "seats": registration.seats,
            "newcomer_or_local": registration.group,
            "status": registration.status,
            "attended": registration.attended,
            "registered_at": registration.created_at.isoformat(),
            "feedback": ({"rating": feedback.rating, "comment": feedback.comment,
                          "quote_consent": feedback.quote_consent}
                         if feedback else None),
        })
    return result


def personal_data_erase(person) -> None:
    """Free future seats, drop comments; keep counts (seats, mark, attendance, ratings)."""
    upcoming = Registration.objects.filter(person=person, session__starts_at__gt=timezone.now()
                                           ).exclude(status=Registration.Status.CANCELLED)
    for registration in upcoming:
        registration_cancel(registration=registration)
    # Consent to be quoted goes with the comment: portfolios drop the quotes.
    quoted = list(Feedback.objects.filter(registration__person=person, quote_consent=True)
                  .values_list("pk", flat=True))
    Feedback.objects.filter(registration__person=person).update(comment="",
                                                               quote_consent=False)
    if quoted:
        from ..signals import quote_consent_withdrawn

        quote_consent_withdrawn.send(sender=Feedback, feedback_ids=quoted)
    # A leader who leaves: their coming sessions are cancelled (participants are told,
    # without the erased title) and their notes go; past sessions stay for the counts.
    led = Session.objects.filter(workshop__leader=person)
    for session in led.filter(status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()):
        session_cancel(session=session)
    led.update(leader_note="")
    # What somebody typed when registering them (name, contact) goes too.
    Registration.objects.filter(person=person).update(name_as_typed="", contact_as_typed="")
    # What staff wrote about a phone call may name the person: keep the entry, not the why.
    SessionLogEntry.objects.filter(registration__person=person).update(reason="")
