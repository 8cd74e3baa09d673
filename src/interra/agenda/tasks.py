from django.tasks import task

from . import services


@task()
def send_due_reminders() -> dict:
    """Reminders, feedback links and released seats; run every few minutes."""
    return services.send_due_reminders()
