"""On the day: attendance, walk-ins, the leader's note, feedback."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interra.core.errors import Conflict, DomainError, PermissionDenied
from interra.core.text import forbidden_characters
from interra.proposals.models import Stage as ProposalStage
from interra.proposals.services import proposal_follow_sessions

from ..models import Feedback, Registration, Session
from ..seats import normalize_group


@transaction.atomic
def attendance_mark(*, registration: Registration, attended: bool, by=None,
                    seats_came: int | None = None) -> Registration:
    """Record whether a registered person came (the leader taps their name); the first
    person marked present moves the workshop's proposal to "running".

    For a registration of several seats, ``seats_came`` says how many of them came
    (0 means nobody: not present). Refuses a number outside 0..the registration's seats.
    """
    if registration.status != Registration.Status.CONFIRMED:
        raise DomainError(_("Only confirmed people can be marked."), code="status")
    if seats_came is not None:
        try:
            seats_came = int(seats_came)
        except (TypeError, ValueError):
            seats_came = -1
        if not 0 <= seats_came <= registration.seats:
            raise DomainError(_("Choose between 0 and %(seats)d people.")
                              % {"seats": registration.seats}, code="seats")
        attended = seats_came > 0
    registration.attended = bool(attended)
    registration.attended_seats = seats_came if registration.attended else None
    registration.save(update_fields=["attended", "attended_seats"])
    if registration.attended:
        _session_took_place(registration.session, actor=by)
    return registration


def _session_took_place(session: Session, *, actor=None) -> None:
    """Someone came: the workshop is running (its proposal follows)."""
    proposal_follow_sessions(workshop=session.workshop, to_stage=ProposalStage.RUNNING,
                             actor=actor)


@transaction.atomic
def walk_in_add(*, session: Session, name: str, group: str = "", by=None) -> Registration:
    """Someone came without registering: they count as present (seats are not checked).

    The name is kept exactly as typed (spaces trimmed). Refuses an empty name."""
    name = " ".join((name or "").split())[:80]
    if not name:
        raise DomainError(_("Write the first name of the person who came."), code="name")
    registration = Registration.objects.create(
        session=session, walk_in_name=name, is_walk_in=True, seats=1,
        group=normalize_group(group), status=Registration.Status.CONFIRMED, attended=True,
    )
    _session_took_place(session, actor=by)
    return registration


def session_note_update(*, session: Session, note: str) -> Session:
    session.leader_note = (note or "").strip()[:4000]
    session.save(update_fields=["leader_note", "updated_at"])
    return session


@transaction.atomic
def feedback_submit(*, registration: Registration, rating, comment: str = "",
                    quote_consent: bool = False) -> Feedback:
    """Store a participant's rating of a session that has ended: once, and only from
    somebody the leader marked present (a link forwarded to others, or a second try,
    must not change the session's ratings). ``quote_consent`` is the participant's own
    yes to being quoted, without their name, on the leaders' portfolios (only with a
    comment: there is nothing to quote otherwise)."""
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise DomainError(_("Choose a face from 1 to 5."), code="rating")
    if registration.status != Registration.Status.CONFIRMED:
        raise DomainError(_("Only participants can give feedback."), code="status")
    if registration.session.starts_at > timezone.now():
        raise DomainError(_("You can rate the session once it has taken place."),
                          code="too_early")
    if registration.attended is not True:
        raise PermissionDenied(_("Only people who came to the session can rate it."),
                               code="not_present")
    comment = (comment or "").strip()[:2000]
    if forbidden_characters(comment, multiline=True):
        raise DomainError(_("Remove the invisible control or text-direction characters "
                            "from this text."), code="control_characters")
    try:
        with transaction.atomic():
            feedback, created = Feedback.objects.get_or_create(
                registration=registration,
                defaults={"rating": rating, "comment": comment,
                          "quote_consent": bool(quote_consent and comment)})
    except IntegrityError:
        created = False
    if not created:
        raise Conflict(_("You already gave your feedback on this session. Thank you!"),
                       code="already_rated")
    return feedback


@transaction.atomic
def feedback_quote_consent_withdraw(*, feedback: Feedback) -> Feedback:
    """The participant takes back their yes: no portfolio quotes the comment from now on
    (portfolios read the consent each time they show a quote)."""
    if feedback.quote_consent:
        feedback.quote_consent = False
        feedback.save(update_fields=["quote_consent"])
        from ..signals import quote_consent_withdrawn

        quote_consent_withdrawn.send(sender=Feedback, feedback_ids=[feedback.pk])
    return feedback
