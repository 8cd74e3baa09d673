"""Queue a background task now or for later, on whichever ``django.tasks`` backend runs;
try again after a failure, with back-off."""

from datetime import datetime, timedelta

RETRY_BASE_DELAY = timedelta(minutes=1)
RETRY_FACTOR = 4


def enqueue(task, *args, run_after: datetime | None = None) -> None:
    """Queue ``task(*args)``; with ``run_after``, for that time. A backend that cannot
    defer (the immediate one in tests) queues nothing then: the scheduler's retry job takes
    the row when it is due, as it does for a lost task."""
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=run_after)
    task.enqueue(*args)


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 4, 16, 64... minutes."""
    return RETRY_BASE_DELAY * RETRY_FACTOR ** max(attempts - 1, 0)


def fail_or_retry(row, *, give_up: bool, now: datetime, enqueue) -> None:
    """After a failed attempt (``row.error`` set, ``row.attempts`` counted): give up
    (``FAILED``) or wait ``retry_delay`` and queue ``enqueue(row.pk, run_after=...)``
    (``RETRYING``). The row's model has those two statuses and ``next_attempt_at``."""
    statuses = type(row).Status
    if give_up:
        row.status, row.next_attempt_at = statuses.FAILED, None
    else:
        row.status = statuses.RETRYING
        row.next_attempt_at = now + retry_delay(row.attempts)
    row.save(update_fields=["status", "error", "next_attempt_at"])
    if not give_up:
        enqueue(row.pk, run_after=row.next_attempt_at)
