from django.tasks import task

from . import services


@task()
def run_plan(plan_id: int) -> None:
    """Solve a plan the coordinator asked for (``services.plan_request``)."""
    services.plan_run(plan_id=plan_id)
