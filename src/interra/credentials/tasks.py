from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from . import services


@task()
def award_earned_for_session(session_id: int) -> int:
    """Issue the badges the session's leaders have now earned; returns how many."""
    return len(services.credentials_award_for_session(session_id=session_id))


@task()
def award_earned_recently_held() -> int:
    """Queued by run_scheduler at each tick: the reminders job marks ended sessions held
    with a queryset update, which sends no signal; their leaders are checked here.
    Idempotent (a held badge is never issued twice)."""
    from interra.agenda.models import Session

    now = timezone.now()
    recent = (Session.objects.filter(ends_at__lte=now, ends_at__gt=now - timedelta(days=8))
              .exclude(status=Session.Status.CANCELLED).values_list("pk", flat=True))
    return sum(len(services.credentials_award_for_session(session_id=pk)) for pk in recent)
