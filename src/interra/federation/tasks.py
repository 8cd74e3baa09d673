from django.tasks import task

from . import services


@task()
def deliver(delivery_id: int) -> str:
    """Sign and post one activity to one inbox (retried with back-off by the service)."""
    return services.delivery_send(delivery_id=delivery_id).status


@task()
def retry_due_deliveries() -> int:
    """Queued by run_scheduler at each tick: deliveries whose next attempt is due."""
    return services.deliveries_retry_due()


@task()
def purge_old_deliveries() -> int:
    """Queued by run_scheduler: deliveries done more than 30 days ago go away."""
    return services.deliveries_purge_old()
