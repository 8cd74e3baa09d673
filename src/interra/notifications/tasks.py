from django.tasks import task

from . import services


@task()
def deliver_message(message_id: int) -> None:
    services.message_deliver(message_id=message_id)


@task()
def retry_due_messages() -> int:
    """Messages whose next attempt is due (failed sends, lost tasks); run every few minutes."""
    return services.messages_retry_due()


@task()
def purge_old_messages() -> int:
    """Forget messages older than MESSAGE_RETENTION_DAYS; run by the scheduler."""
    return services.messages_purge_old()
