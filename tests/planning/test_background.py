"""The coordinator's "make a plan" runs as a background task: the request only queues it,
the page says "planning…" and reloads itself until the plan is there."""

from datetime import time, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from interra.planning import services, solver
from interra.planning.models import Plan
from interra.venues.models import Booking

from .factories import MONDAY, ready_workshop, room_open

pytestmark = pytest.mark.django_db

FORM = {"starts_on": MONDAY.isoformat(), "weeks": 1, "time_limit": 3}


@pytest.fixture
def db_tasks(settings):
    """The production backend: tasks wait in the database for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}


@pytest.fixture
def real_on_commit():
    """Callbacks wait for the commit (tests/conftest.py runs them at once by default)."""
    from django.db import connections

    real = connections["default"]  # not the proxy: the patched attribute lives here
    immediate = real.__dict__.pop("on_commit", None)
    yield
    if immediate is not None:
        real.on_commit = immediate


def ready_city(city):
    room_open(city, byday="TU", opens=time(17), closes=time(22))
    return ready_workshop(city)


def test_the_request_only_queues_the_plan_and_the_task_is_enqueued_on_commit(
        coordinator_client, city, db_tasks, real_on_commit,
        django_capture_on_commit_callbacks):
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # over theirs (fr)
    from django_tasks_db.models import DBTaskResult

    ready_city(city)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = coordinator_client.post("/planning/", {"city": city.pk, **FORM})
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/planning/{plan.pk}/"
    assert plan.state == Plan.State.QUEUED and plan.time_limit == 3
    runs = DBTaskResult.objects.filter(task_path="interra.planning.tasks.run_plan")
    assert not runs.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    assert [r.args_kwargs["args"] for r in runs] == [[plan.pk]]
    assert not plan.items.exists()  # the request did not solve anything

    page = coordinator_client.get(f"/planning/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert 'id="plan-progress"' in body and 'hx-trigger="every 3s"' in body
    assert 'name="items"' not in body
    # The box polls (htmx): itself again while the task has not run...
    poll = coordinator_client.get(f"/planning/{plan.pk}/", HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and "<html" not in poll.content.decode()
    assert 'id="plan-progress"' in poll.content.decode()

    services.plan_run(plan_id=plan.pk)  # what the worker does
    poll = coordinator_client.get(f"/planning/{plan.pk}/", HTTP_HX_REQUEST="true")
    assert poll.status_code == 204 and poll["HX-Refresh"] == "true"  # ...then the page
    plan.refresh_from_db()
    assert plan.state == Plan.State.DONE and plan.items.count() == 1
    assert plan.started_at is not None and plan.finished_at >= plan.started_at
    page = coordinator_client.get(f"/planning/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert 'hx-trigger' not in body
    assert f'name="items" value="{plan.items.get().pk}"' in body


def test_a_rolled_back_request_enqueues_nothing(city, real_on_commit,
                                                django_capture_on_commit_callbacks):
    from django.db import transaction

    ready_city(city)
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.plan_request(city=city, starts_on=MONDAY, days=7, time_limit=2)
            raise RuntimeError
    assert callbacks == [] and not Plan.objects.exists()


def test_running_plan_shows_its_progress_against_the_time_limit(coordinator_client, city):
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # over theirs (fr)
    plan = services.plan_request(city=city, starts_on=MONDAY, days=7, time_limit=30)
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.RUNNING,
                                           started_at=timezone.now() - timedelta(seconds=12))
    page = coordinator_client.get(f"/planning/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert 'value="12" max="30"' in body
    assert "at most 30 seconds" in body


def test_a_failure_is_kept_and_shown(coordinator_client, city, monkeypatch,
                                     django_capture_on_commit_callbacks):
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # over theirs (fr)
    ready_city(city)

    def broken(*args, **kwargs):
        raise MemoryError("solver ran out of memory")

    monkeypatch.setattr(solver, "solve", broken)
    with django_capture_on_commit_callbacks(execute=True):  # immediate backend: runs now
        coordinator_client.post("/planning/", {"city": city.pk, **FORM})
    plan = Plan.objects.get()
    assert plan.state == Plan.State.FAILED
    assert "MemoryError" in plan.failure and plan.finished_at is not None
    page = coordinator_client.get(f"/planning/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert 'id="plan-failed"' in body and "solver ran out of memory" in body
    assert 'hx-trigger' not in body  # no endless polling
    # A failed plan blocks nothing: the next request is queued.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post("/planning/", {"city": city.pk, **FORM})
    assert Plan.objects.filter(state=Plan.State.DONE).count() == 1


def test_a_second_request_while_one_runs_shows_the_running_one(
        coordinator_client, city, db_tasks, real_on_commit,
        django_capture_on_commit_callbacks):
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # over theirs (fr)
    ready_city(city)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post("/planning/", {"city": city.pk, **FORM})
    first = Plan.objects.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = coordinator_client.post("/planning/", {"city": city.pk, **FORM},
                                           HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert callbacks == []  # nothing queued twice
    assert Plan.objects.count() == 1
    assert response.redirect_chain[-1][0] == f"/planning/{first.pk}/"
    assert "already being made" in response.content.decode()
    # Once it is done, the next request is accepted.
    services.plan_run(plan_id=first.pk)
    with django_capture_on_commit_callbacks(execute=False):
        coordinator_client.post("/planning/", {"city": city.pk, **FORM})
    assert Plan.objects.count() == 2


def test_a_plan_whose_worker_died_no_longer_blocks(city):
    lost = services.plan_request(city=city, starts_on=MONDAY, days=7, time_limit=10)
    Plan.objects.filter(pk=lost.pk).update(
        state=Plan.State.RUNNING,
        created_at=timezone.now() - services.STALE_AFTER - timedelta(seconds=11))
    fresh = services.plan_request(city=city, starts_on=MONDAY, days=7, time_limit=10)
    lost.refresh_from_db()
    assert lost.state == Plan.State.FAILED and lost.failure
    assert fresh.state == Plan.State.QUEUED


def test_a_task_delivered_twice_solves_once(city, real_on_commit):
    ready_city(city)
    plan = services.plan_request(city=city, starts_on=MONDAY, days=7, time_limit=2)
    assert services.plan_run(plan_id=plan.pk) is not None
    assert services.plan_run(plan_id=plan.pk) is None
    assert plan.items.count() == 1


def test_the_time_limit_is_bounded(coordinator_client, city):
    response = coordinator_client.post("/planning/", {"city": city.pk, **FORM,
                                                      "time_limit": 121})
    assert response.status_code == 200 and not Plan.objects.exists()
    with pytest.raises(services.DomainError):
        services.plan_request(city=city, starts_on=MONDAY, days=7, time_limit=0)


def test_a_plan_not_ready_cannot_be_accepted(coordinator_client, city, real_on_commit):
    ready_city(city)
    plan = services.plan_request(city=city, starts_on=MONDAY, days=7, time_limit=2)
    response = coordinator_client.post(f"/planning/{plan.pk}/accept/", {"items": ["1"]})
    assert response.status_code == 404
    assert not Booking.objects.exists()
