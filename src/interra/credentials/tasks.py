from django.tasks import task

from . import services


@task()
def award_earned_for_session(session_id: int) -> int:
    """Issue the badges the session's leaders have now earned; returns how many."""
    return len(services.credentials_award_for_session(session_id=session_id))
