"""Two coordinators book one room at the same instant: exactly one request wins.

Real HTTP requests from many threads, released together by a barrier, against gunicorn
(several processes × threads) on the test database, on SQLite and on PostgreSQL.

The pretix way: a control first shows the race exists when the lock is off (the same
service, with ``room_lock`` replaced by no transaction at all, and on PostgreSQL with the
exclusion constraint dropped), so the main tests cannot pass by luck. Both the control and
one locked run widen the window between "is it free?" and the insert with a short sleep,
so the interleaving happens every time rather than once in a while.

Module-level imports stay stdlib + pytest: gunicorn imports this module to serve
``patched_application`` before Django is set up.
"""

import importlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import pytest

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 12
PASSWORD = "correct-horse-battery"
WINDOW_SECONDS = 0.3


# --- What gunicorn serves in the patched runs ----------------------------------------------

_application = None


def patched_application(environ, start_response):
    """The real WSGI app, with the booking service patched as VENUES_TEST_MODE says:
    "unlocked" (no transaction, no row lock) and/or a widened check-to-insert window."""
    global _application
    if _application is None:
        from contextlib import nullcontext

        from interra.config.wsgi import application
        from interra.venues import services

        mode = os.environ.get("VENUES_TEST_MODE", "")
        original_is_free = services.room_is_free

        def slow_is_free(*args, **kwargs):
            free = original_is_free(*args, **kwargs)
            time.sleep(WINDOW_SECONDS)
            return free

        services.room_is_free = slow_is_free
        if mode == "unlocked":
            services.room_lock = lambda room: nullcontext()
        _application = application
    return _application(environ, start_response)


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
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "interra.config.settings.test",
               "DATABASE_URL": _database_url(), "RATELIMIT_ENABLE": "0",
               "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
               "CONN_MAX_AGE": "0", "VENUES_TEST_MODE": mode}
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn",
             "tests.concurrency.test_bookings:patched_application",
             "--bind", f"127.0.0.1:{port}", "--workers", "4", "--threads", "8",
             "--worker-class", "gthread", "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/health/", timeout=2) as response:
                    if response.status == 200:
                        return url
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stdout.read().decode()) from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start in 180 s")

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    from django.db import connection

    connection.close()


# --- The scenario ---------------------------------------------------------------------------

@pytest.fixture
def scene(city):
    """A room open on request, a workshop and two coordinators of the city."""
    from tests.factories import (
        PartnerFactory,
        RoomFactory,
        VenueFactory,
        WorkshopFactory,
        coordinator,
    )

    room = RoomFactory(venue=VenueFactory(partner=PartnerFactory(city=city)))
    workshop = WorkshopFactory(city=city)
    return {"room": room, "workshop": workshop,
            "coordinators": [coordinator(city), coordinator(city)]}


def _signed_in_client(base_url, person):
    import httpx

    client = httpx.Client(base_url=base_url, timeout=60)
    page = client.get("/accounts/staff/sign-in/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    from tests.factories import BACKUP_CODE

    # One staff sign-in page: password and second factor together.
    response = client.post("/accounts/staff/sign-in/", data={
        "identifier": person.email, "password": PASSWORD, "token": BACKUP_CODE, "next": "/",
        "csrfmiddlewaretoken": token})
    assert response.status_code == 302, response.text[:500]
    return client


def _race(base_url, scene) -> list[int]:
    """Fire REQUESTS overlapping booking requests at once; return the status codes."""
    clients = [_signed_in_client(base_url, person) for person in scene["coordinators"]]
    base = datetime.fromisoformat("2030-01-08T15:00:00+01:00")
    barrier = threading.Barrier(REQUESTS)
    statuses: list[int] = [0] * REQUESTS

    def fire(index):
        client = clients[index % len(clients)]
        start = base + timedelta(minutes=5 * index)  # every pair of slots overlaps
        payload = {"room_id": scene["room"].pk, "workshop_id": scene["workshop"].pk,
                   "starts_at": start.isoformat(),
                   "ends_at": (start + timedelta(hours=2)).isoformat()}
        barrier.wait()
        response = client.post("/api/v1/venues/bookings", json=payload,
                               headers={"X-CSRFToken": client.cookies["csrftoken"]})
        statuses[index] = response.status_code

    threads = [threading.Thread(target=fire, args=(i,)) for i in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for client in clients:
        client.close()
    return statuses


def _active_bookings(room) -> int:
    from interra.venues.models import Booking

    return Booking.objects.filter(room=room, status__in=Booking.ACTIVE_STATUSES).count()


def test_exactly_one_of_simultaneous_overlapping_requests_wins(server_url, scene):
    statuses = _race(server_url, scene)
    assert sorted(statuses) == [201] + [409] * (REQUESTS - 1), statuses
    assert _active_bookings(scene["room"]) == 1


def test_the_lock_holds_even_with_a_widened_window(patched_server, scene):
    statuses = _race(patched_server("locked"), scene)
    assert sorted(statuses) == [201] + [409] * (REQUESTS - 1), statuses
    assert _active_bookings(scene["room"]) == 1


def test_control_without_the_lock_the_race_double_books(patched_server, scene):
    """Proves the tests above test something: same requests, lock off, several win."""
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    migration = importlib.import_module("interra.venues.migrations.0003_booking_no_overlap")
    try:
        if postgres:
            # The exclusion constraint would catch the race on its own: take it away too.
            with connection.cursor() as cursor:
                cursor.execute(migration.DROP_SQL)
        statuses = _race(patched_server("unlocked"), scene)
        assert statuses.count(201) > 1, statuses
        assert _active_bookings(scene["room"]) > 1
    finally:
        if postgres:
            from interra.venues.models import Booking

            Booking.objects.all().delete()
            with connection.cursor() as cursor:
                cursor.execute(migration.CREATE_SQL)


def test_postgresql_constraint_refuses_overlaps_without_the_service(scene):
    """The last line of defence: a raw insert that overlaps is refused by the database."""
    from django.db import IntegrityError, connection

    from interra.venues.models import Booking

    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL only; SQLite relies on the "
                    "IMMEDIATE transaction, covered by the tests above")
    start = datetime.fromisoformat("2030-01-08T15:00:00+01:00")
    Booking.objects.create(room=scene["room"], workshop=scene["workshop"], starts_at=start,
                           ends_at=start + timedelta(hours=2))
    with pytest.raises(IntegrityError):
        Booking.objects.create(room=scene["room"], workshop=scene["workshop"],
                               starts_at=start + timedelta(hours=1),
                               ends_at=start + timedelta(hours=3))
