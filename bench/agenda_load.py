"""Load benchmark: the public agenda page against a bare Django view, same server, same run.

    .venv/bin/python bench/agenda_load.py [--sessions 10000] [--clients 32] [--seconds 15]

Builds a temporary SQLite database with 10,000 upcoming sessions (and registrations),
starts gunicorn with the production settings, then loads /agenda/ and /bare/ (a view that
returns a constant string) with 32 concurrent clients, one after the other. Prints
requests per second and p95 latency for both, and the ratio agenda/bare.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def _env(database: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "interra.config.settings.prod",
        "SECRET_KEY": "bench-" + "k" * 50,
        "EMAIL_URL": "smtp://localhost:25",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",
        "RATELIMIT_ENABLE": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
    }


GENERATE = r'''
import random, sys
from datetime import timedelta
import django
django.setup()
from django.utils import timezone
from interra.accounts.models import User
from interra.agenda.models import Registration, Session
from interra.cities.models import City
from interra.proposals.models import Theme, Workshop
from interra.venues.models import Partner, Room, Venue

count = int(sys.argv[1])
rng = random.Random(7)
city = City.objects.create(name="Liège", slug="liege", neighbourhoods=["Centre", "Outremeuse"])
people = User.objects.bulk_create([
    User(email=f"p{i}@bench.example", display_name=f"Person {i}", group=rng.choice(
        ["newcomer", "local", "undisclosed"])) for i in range(600)])
partner = Partner.objects.create(city=city, name="Maison")
venues = [Venue.objects.create(partner=partner, city=city, name=f"Centre {i}",
                               address=f"Rue {i}", neighbourhood=rng.choice(city.neighbourhoods))
          for i in range(10)]
rooms = [Room.objects.create(venue=rng.choice(venues), name=f"Salle {i}", capacity=20)
         for i in range(20)]
themes = Theme.values
workshops = Workshop.objects.bulk_create([
    Workshop(city=city, leader=people[i], theme=rng.choice(themes),
             title={"fr": f"Atelier {i}", "ar": f"ورشة {i}"},
             description={"fr": "Un atelier pour se rencontrer. " * 5},
             languages=["fr", rng.choice(["ar", "uk", "fa"])]) for i in range(60)])
now = timezone.now()
sessions = []
for i in range(count):
    starts = now + timedelta(hours=2 + i * 0.9)
    session = Session(workshop=rng.choice(workshops), city=city, room=rng.choice(rooms),
                      starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=15)
    session.apply_defaults()
    sessions.append(session)
sessions = Session.objects.bulk_create(sessions, batch_size=2000)
registrations = []
for session in sessions:
    for person in rng.sample(people, rng.randint(0, 8)):
        registrations.append(Registration(session=session, person=person, group=person.group,
                                          status="confirmed"))
Registration.objects.bulk_create(registrations, batch_size=5000)
print(f"{len(sessions)} sessions, {len(registrations)} registrations")
'''


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _load(port: int, path: str, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p95_ms": p95 * 1000,
            "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
            "errors": errors[0]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="interra-bench-") as tmp:
        env = _env(Path(tmp) / "agenda.sqlite3")
        manage = [PYTHON, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
        # The production storage serves hashed static names from a manifest.
        collected = subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env,
                                   cwd=ROOT, capture_output=True, text=True)
        if collected.returncode:
            # Static files do not change what is measured (HTML pages); keep production
            # settings but without the manifest, and say so.
            print("note: collectstatic failed, static names are not hashed in this run:",
                  collected.stderr.strip().splitlines()[0][:160])
            Path(tmp, "bench_settings.py").write_text(
                "from interra.config.settings.prod import *  # noqa\n"
                "STORAGES['staticfiles'] = {'BACKEND': "
                "'django.contrib.staticfiles.storage.StaticFilesStorage'}\n")
            env["DJANGO_SETTINGS_MODULE"] = "bench_settings"
            env["PYTHONPATH"] = f"{tmp}{os.pathsep}{env['PYTHONPATH']}"
        subprocess.run([PYTHON, "-c", GENERATE, str(args.sessions)], env=env, check=True,
                       cwd=ROOT)
        port = _free_port()
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "interra.config.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--worker-class", "gthread", "--threads", "4", "--log-level", "warning"],
            env=env, cwd=ROOT,
        )
        try:
            for _ in range(200):
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    connection.request("GET", "/bare/", headers={"Host": "127.0.0.1"})
                    if connection.getresponse().status == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                raise SystemExit("gunicorn did not start")
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/agenda/", headers={"Host": "127.0.0.1"})
            page = connection.getresponse()
            body = page.read()
            assert page.status == 200, page.status
            print(f"/agenda/ page: {len(body) / 1024:.1f} KB")
            _load(port, "/agenda/", args.clients, 2)  # warm up every worker
            results = {}
            for name, path in (("agenda", "/agenda/"), ("bare", "/bare/")):
                results[name] = _load(port, path, args.clients, args.seconds)
                r = results[name]
                print(f"{name:7s} {r['requests']:6d} requests  {r['rps']:8.1f} req/s  "
                      f"median {r['median_ms']:6.1f} ms  p95 {r['p95_ms']:7.1f} ms  "
                      f"errors {r['errors']}")
            print(f"ratio agenda/bare: throughput {results['agenda']['rps'] /
                                                  results['bare']['rps']:.2f}, "
                  f"p95 {results['agenda']['p95_ms'] / results['bare']['p95_ms']:.1f}x")
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
