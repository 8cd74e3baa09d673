from django.tasks import task

from . import ties


@task()
def refresh_ties_for_session(session_id: int) -> dict:
    """Bring one session's newcomer-local ties up to date after its attendance changed."""
    return ties.refresh_session(session_id)
