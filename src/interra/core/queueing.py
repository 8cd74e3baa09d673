"""Queue a background task now or for later, on whichever ``django.tasks`` backend runs."""

from datetime import datetime


def enqueue(task, *args, run_after: datetime | None = None) -> None:
    """Queue ``task(*args)``; with ``run_after``, for that time. A backend that cannot
    defer (the immediate one in tests) queues nothing then: the scheduler's retry job takes
    the row when it is due, as it does for a lost task."""
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=run_after)
    task.enqueue(*args)
