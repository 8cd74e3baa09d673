"""200 simultaneous registrations through the API for 20 seats, on a real server.

Run on SQLite (default) and on PostgreSQL (DATABASE_URL=postgres://...): exactly the
capacity is confirmed, everyone else is waitlisted, held seats stay with their group,
and no request fails with a server error.

The pretix way: a control shows the race exists without the protection, so the main test
cannot pass by luck. gunicorn then serves ``patched_application`` (below; no switch in
production code), which widens the window between "count the confirmed seats" and "insert
the registration" with a short sleep and, in the control, also takes the protection away:
``_lock_session`` becomes a plain read, and neither ``registration_create`` nor the API
view runs in a transaction, so on SQLite no IMMEDIATE transaction serialises the writers
either; the count and the insert are separate autocommit steps. The same sleep with the
real lock still confirms exactly the capacity.

Module-level imports stay stdlib + pytest: gunicorn imports this module to serve
``patched_application`` before Django is set up.
"""

import importlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 200
CAPACITY = 20
# The server runs 4 processes x 8 threads; 32 clients keep every thread busy on 2 cores.
CLIENTS = 32
# The patched runs: fewer requests, as the locked one pays the widened window once per
# request, one request after the other (20 x 0.8 s). The window is wide so that the
# control overbooks even when a busy machine staggers the requests.
RACE_REQUESTS = 20
RACE_CAPACITY = 4
WINDOW_SECONDS = 0.8


# --- What gunicorn serves in the patched runs ----------------------------------------------

_application = None
_patching = threading.Lock()


def patched_application(environ, start_response):
    """The real WSGI app with a widened count-to-insert window; with AGENDA_TEST_MODE
    "unlocked", also without the session lock and without any transaction around it."""
    global _application
    with _patching:  # the threads of a worker may all arrive at once
        if _application is None:
            _application = _patch()
    return _application(environ, start_response)


def _patch():
    from contextlib import nullcontext
    from types import SimpleNamespace

    from interra.config.wsgi import application

    # Only now that the WSGI module has set Django up can the agenda be imported.
    api = importlib.import_module("interra.agenda.api")
    # registration_create and what it calls are looked up in this module.
    services = importlib.import_module("interra.agenda.services.registrations")
    Session = importlib.import_module("interra.agenda.models").Session

    counted = services.seat_counts

    def slow_seat_counts(session):
        counts = counted(session)
        time.sleep(WINDOW_SECONDS)
        return counts

    services.seat_counts = slow_seat_counts
    if os.environ.get("AGENDA_TEST_MODE") == "unlocked":
        services._lock_session = lambda session_id: (
            Session.objects.select_related("workshop", "city", "room__venue")
            .get(pk=session_id))
        # The service without its @transaction.atomic, and the view without its atomic
        # block: every query commits on its own (the insert keeps its inner savepoint,
        # now a short transaction of its own).
        services.registration_create = services.registration_create.__wrapped__
        api.transaction = SimpleNamespace(atomic=nullcontext)
        # registration_request (the anonymous entry point) opens its own atomic block
        # around the lookup and the insert: gone too, so nothing serialises the race.
        from django.db import transaction as real_transaction

        services.transaction = SimpleNamespace(atomic=nullcontext,
                                               on_commit=real_transaction.on_commit)
    _warm_up(application)
    return application


def _warm_up(application):
    """One request (a 404: no session 0) through the whole stack, so that what Django
    loads on the first request (URL resolvers, the API, translations) is loaded once,
    before gunicorn forks; otherwise the first requests of each worker lag by a second
    or two and no longer overlap. No connection may cross the fork: close them."""
    import io

    from django.db import connections

    body = json.dumps({"name": "Warm up", "email": "warm@up.example", "seats": 1}).encode()
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/sessions/0/registrations",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
               "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
               "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http",
               "wsgi.errors": sys.stderr}
    statuses = []
    response = application(environ, lambda status, headers: statuses.append(status))
    b"".join(response)
    response.close()
    connections.close_all()
    assert statuses == ["404 Not Found"], statuses


if os.environ.get("AGENDA_TEST_MODE"):
    # Imported by gunicorn (never by pytest, which does not set it): patch and warm up now,
    # with --preload before the workers fork, so that every worker is ready at once.
    _application = _patch()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def patched_server(transactional_db):
    """Factory: start gunicorn serving ``patched_application`` in a given mode."""
    from tests.concurrency.conftest import _database_url

    processes = []

    def start(mode: str) -> str:
        port = _free_port()
        # A file, not a pipe: nobody reads a pipe while the server runs (see conftest).
        output = tempfile.TemporaryFile()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "interra.config.settings.test",
               "DATABASE_URL": _database_url(), "RATELIMIT_ENABLE": "0",
               "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
               "CONN_MAX_AGE": "0", "AGENDA_TEST_MODE": mode,
               # On SQLite the locked requests queue for the write lock, one window each.
               "SQLITE_TIMEOUT": "120"}
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn",
             "tests.concurrency.test_registrations:patched_application",
             "--bind", f"127.0.0.1:{port}", "--workers", "4", "--threads", "8",
             "--worker-class", "gthread", "--timeout", "60", "--log-level", "warning",
             "--preload"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
        processes.append((process, output))
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/health/", timeout=2) as response:
                    if response.status == 200:
                        return url
            except OSError:
                if process.poll() is not None:
                    output.seek(0)
                    raise RuntimeError(output.read().decode()) from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start in 60 s")

    yield start
    for process, output in processes:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        output.close()
    from django.db import connection

    connection.close()


# --- Firing -----------------------------------------------------------------------------------

def _post(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {"body": error.read().decode(errors="replace")[:300]}


def _fire(server_url: str, session, groups: list[str]) -> list[tuple[int, dict]]:
    url = f"{server_url}/api/v1/sessions/{session.pk}/registrations"
    bodies = [{"name": f"Person {n}", "email": f"person{n}@load.example", "group": group,
               "seats": 1} for n, group in enumerate(groups)]
    in_flight, peak, lock = [0], [0], threading.Lock()

    def send(body):
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        try:
            return _post(url, body)
        finally:
            with lock:
                in_flight[0] -= 1

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(send, bodies))
    print(f"{len(bodies)} registrations in {time.monotonic() - started:.1f} s, "
          f"up to {peak[0]} at once")
    # The harness really overlaps requests, so a missing lock could not pass by luck.
    assert peak[0] >= CLIENTS // 2
    return results


def _confirmed_seats(session, **filters) -> int:
    from django.db.models import Sum

    from interra.agenda.models import Registration

    return Registration.objects.filter(session=session, status="confirmed", **filters
                                       ).aggregate(total=Sum("seats"))["total"] or 0


def _open_session(capacity: int):
    """A session whose held seats are already released: first come, first served."""
    from django.utils import timezone

    from tests.factories import SessionFactory

    return SessionFactory(capacity=capacity, max_seats_per_registration=1,
                          hold_release_at=timezone.now() - timedelta(hours=1))


def test_never_overbooked_and_held_seats_hold(server_url):
    """Both scenarios share one server: starting gunicorn is the slow part."""
    _held_seats_scenario(server_url)
    _released_scenario(server_url)


def _held_seats_scenario(server_url):
    from django.utils import timezone

    from interra.agenda.models import Registration
    from tests.factories import SessionFactory

    session = SessionFactory(capacity=CAPACITY, newcomer_seats_percent=40,
                             local_seats_percent=40, max_seats_per_registration=1)
    assert session.hold_release_at > timezone.now()  # held seats are in force
    groups = ["newcomer"] * 90 + ["local"] * 60 + ["undisclosed"] * 50
    random.Random(5).shuffle(groups)
    results = _fire(server_url, session, groups)
    codes = Counter(code for code, _body in results)
    assert codes == {201: REQUESTS}, [r for r in results if r[0] != 201][:3]
    answered = Counter(body["status"] for _code, body in results)
    assert answered == {"confirmed": CAPACITY, "waitlisted": REQUESTS - CAPACITY}
    assert _confirmed_seats(session) == CAPACITY
    assert Registration.objects.filter(session=session, status="waitlisted").count() == 180
    newcomers = _confirmed_seats(session, group="newcomer")
    locals_ = _confirmed_seats(session, group="local")
    undisclosed = _confirmed_seats(session, group="undisclosed")
    # 8 seats held for each group; the 4 open seats went to whoever came first.
    assert newcomers >= 8 and locals_ >= 8
    assert max(0, newcomers - 8) + max(0, locals_ - 8) + undisclosed == 4


def _released_scenario(server_url):
    from interra.agenda.models import Registration

    session = _open_session(CAPACITY)
    groups = ["undisclosed", "newcomer", "local", "undisclosed"] * (REQUESTS // 4)
    results = _fire(server_url, session, groups)
    assert all(code == 201 for code, _body in results), [r for r in results if r[0] != 201][:3]
    assert sum(1 for _c, body in results if body["status"] == "confirmed") == CAPACITY
    assert _confirmed_seats(session) == CAPACITY
    assert Registration.objects.filter(session=session).count() == REQUESTS


def test_the_lock_holds_even_with_a_widened_window(patched_server):
    session = _open_session(RACE_CAPACITY)
    results = _fire(patched_server("locked"), session, ["undisclosed"] * RACE_REQUESTS)
    assert all(code == 201 for code, _body in results), [r for r in results if r[0] != 201][:3]
    answered = Counter(body["status"] for _code, body in results)
    print(f"locked: {answered['confirmed']} confirmed for {RACE_CAPACITY} seats")
    assert answered == {"confirmed": RACE_CAPACITY,
                        "waitlisted": RACE_REQUESTS - RACE_CAPACITY}
    assert _confirmed_seats(session) == RACE_CAPACITY


def test_control_without_the_lock_the_race_overbooks(patched_server):
    """Proves the tests above test something: same requests, protection off, overbooked."""
    session = _open_session(RACE_CAPACITY)
    results = _fire(patched_server("unlocked"), session, ["undisclosed"] * RACE_REQUESTS)
    assert all(code == 201 for code, _body in results), [r for r in results if r[0] != 201][:3]
    confirmed = sum(1 for _code, body in results if body["status"] == "confirmed")
    print(f"control: {confirmed} confirmed for {RACE_CAPACITY} seats")
    assert confirmed > RACE_CAPACITY
    assert _confirmed_seats(session) == confirmed
