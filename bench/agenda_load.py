"""Load benchmark: the public agenda list and session pages, cold and warm, on SQLite and
PostgreSQL, against a bare Django view measured in the same server and the same run.

    .venv/bin/python bench/agenda_load.py [--quick] [--databases sqlite,postgres]
        [--sessions 10000] [--clients 32] [--seconds 8] [--workers 4] [--threads 4]

For each database it builds 10,000 upcoming sessions (two cities, registrations), then:

1. server time of a cold agenda list of 30 sessions, in-process (Django's test client with
   no cache, the production settings, many requests over varied filters and languages);
2. gunicorn with the production settings (several workers with threads) and NO cache
   (cold), then again with a shared Redis cache (warm); in each server, 32 clients load
   the agenda list (varied filters, pages and Accept-Language), session pages (300
   distinct ones, in six languages) and /bare/ (a constant string, from a bench-only
   URLconf), while a writer registers people through the real form all along. Each
   page case is compared with /bare/ measured in the same server just before and after.

Nothing fails on a number: the script prints figures. The machine may be shared; compare
the ratios, which are measured under the same load.
"""

import argparse
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
POSTGRES_DB = os.environ.get("BENCH_POSTGRES_DB", "perf_bench")

LANGUAGES = ["fr", "en", "ar", "uk", "fa", "nl"]
SESSION_PAGES = 300
# Filter combinations people use; each is crossed with languages and a few pages.
FILTERS = [
    {},
    {"city": "liege"},
    {"city": "namur", "theme": "cooking"},
    {"theme": "music"},
    {"language": "ar"},
    {"city": "liege", "neighbourhood": "Outremeuse"},
    {"beginner_french": "on"},
    {"family": "on", "city": "liege"},
    {"accessible": "on"},
    {"view": "week"},
    {"city": "liege", "language": "uk", "beginner_french": "on"},
]


def _list_urls() -> list[str]:
    urls = []
    for filters in FILTERS:
        for page in (1, 2, 5) if "view" not in filters else (1,):
            query = {**filters, **({"page": page} if page > 1 else {})}
            urls.append("/agenda/" + ("?" + urlencode(query) if query else ""))
    return urls


def _env(database_url: str, cache_url: str, tmp: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "SECRET_KEY": "bench-" + "k" * 50,
        "EMAIL_URL": "smtp://localhost:25",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "BENCH_CACHE_PREFIX": f"bench{os.getpid()}",
        "RATELIMIT_ENABLE": "0",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT / "src")]),
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
from interra.proposals.models import Audience, Theme, Workshop
from interra.venues.models import Partner, Room, Venue

count = int(sys.argv[1])
rng = random.Random(7)
cities = [City.objects.create(name="Liège", slug="liege",
                              neighbourhoods=["Centre", "Outremeuse", "Sainte-Marguerite"]),
          City.objects.create(name="Namur", slug="namur", neighbourhoods=["Centre", "Jambes"])]
people = User.objects.bulk_create([
    User(email=f"p{i}@bench.example", display_name=f"Person {i}", group=rng.choice(
        ["newcomer", "local", "undisclosed"])) for i in range(600)])
rooms = {}
for city in cities:
    partner = Partner.objects.create(city=city, name=f"Maison {city.name}")
    venues = [Venue.objects.create(
        partner=partner, city=city, name=f"Centre {city.slug} {i}", address=f"Rue {i}",
        neighbourhood=rng.choice(city.neighbourhoods)) for i in range(8)]
    rooms[city.pk] = [Room.objects.create(
        venue=rng.choice(venues), name=f"Salle {i}", capacity=20,
        accessibility=rng.choice([[], [], ["step_free"], ["step_free", "lift"]]))
        for i in range(15)]
workshops = Workshop.objects.bulk_create([
    Workshop(city=rng.choice(cities), leader=people[i], theme=rng.choice(Theme.values),
             title={"fr": f"Atelier d'échange {i}", "ar": f"ورشة {i}", "en": f"Workshop {i}"},
             description={"fr": "Un atelier pour se rencontrer. " * 5},
             audience=rng.choice(Audience.values), beginner_french_welcome=rng.random() < 0.6,
             languages=["fr", rng.choice(["ar", "uk", "fa", "en"])]) for i in range(120)])
now = timezone.now()
sessions = []
for i in range(count):
    starts = now + timedelta(hours=2 + i * 0.9)
    workshop = rng.choice(workshops)
    session = Session(workshop=workshop, city_id=workshop.city_id,
                      room=rng.choice(rooms[workshop.city_id]),
                      starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=15)
    session.city = next(c for c in cities if c.pk == workshop.city_id)
    session.apply_defaults()
    sessions.append(session)
sessions = Session.objects.bulk_create(sessions, batch_size=2000)
registrations = []
for session in sessions:
    for person in rng.sample(people, rng.randint(0, 8)):
        registrations.append(Registration(session=session, person=person, group=person.group,
                                          status="confirmed"))
Registration.objects.bulk_create(registrations, batch_size=5000)
from django.db import connection
with connection.cursor() as cursor:  # planner statistics, as autovacuum would gather them
    cursor.execute("ANALYZE")
print(f"data: {len(sessions)} sessions, {len(registrations)} registrations, "
      f"{len(workshops)} workshops, 2 cities")
'''

# Server time of the cold list, in-process: the view alone, no network, no cache.
SERVER_TIME = r'''
import json, random, sys, time, cProfile, pstats
import django
django.setup()
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

urls, langs, rounds, profile_to = json.loads(sys.argv[1])
client = Client()
rng = random.Random(3)
plan = [(rng.choice(urls), rng.choice(langs)) for _ in range(rounds)]
for url, lang in plan[:20]:  # imports, template loading, connections
    assert client.get(url, headers={"accept-language": lang}).status_code == 200
timings, cpu, database, queries = [], [], [], []
for url, lang in plan:
    with CaptureQueriesContext(connection) as captured:
        started, started_cpu = time.perf_counter(), time.thread_time()
        response = client.get(url, headers={"accept-language": lang})
        timings.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - started_cpu)
    assert response.status_code == 200, (url, response.status_code)
    queries.append(len(captured))
    database.append(sum(float(query["time"]) for query in captured.captured_queries))
if profile_to:  # a separate pass: the profiler's overhead stays out of the figures
    profiler = cProfile.Profile()
    profiler.enable()
    for url, lang in plan[:100]:
        client.get(url, headers={"accept-language": lang})
    profiler.disable()
    profiler.dump_stats(profile_to)
timings.sort()
mean = lambda values: 1000 * sum(values) / len(values)
print(json.dumps({"mean_ms": mean(timings), "p50_ms": 1000 * timings[len(timings) // 2],
                  "p95_ms": 1000 * timings[int(len(timings) * 0.95) - 1],
                  "cpu_ms": mean(cpu), "database_ms": mean(database),
                  "queries": max(queries), "requests": len(timings)}))
'''


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, int(len(sorted_values) * fraction) - 1)]


def _load(port: int, paths: list[str], clients: int, seconds: float) -> dict:
    """``clients`` threads, each on its own keep-alive connection, GET random paths from
    ``paths`` with a random Accept-Language, as fast as the server answers."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(seed: int):
        rng = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while time.monotonic() < deadline:
            path = rng.choice(paths)
            headers = {"Host": "127.0.0.1", "Accept-Language": rng.choice(LANGUAGES)}
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    with lock:
                        errors[0] += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {"requests": len(latencies), "rps": len(latencies) / elapsed,
            "p50_ms": 1000 * _percentile(latencies, 0.5),
            "p95_ms": 1000 * _percentile(latencies, 0.95), "errors": errors[0]}


def _visit_all(port: int, requests: list[tuple[str, str]], clients: int = 8):
    todo = list(requests)
    lock = threading.Lock()

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if not todo:
                    break
                path, language = todo.pop()
            connection.request("GET", path, headers={"Host": "127.0.0.1",
                                                     "Accept-Language": language})
            connection.getresponse().read()
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class Writer(threading.Thread):
    """Registers new people through the public form (GET the page, POST the form), at
    about ``rate`` registrations per second, on sessions the readers are looking at."""

    def __init__(self, port: int, session_ids: list[int], rate: float):
        super().__init__(daemon=True)
        self.port, self.session_ids, self.rate = port, session_ids, rate
        self.stop = threading.Event()
        self.done = self.failed = 0
        self.serial = 0
        self.run_id = time.time_ns()  # new people in every run

    def run(self):
        rng = random.Random(11)
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                self._register(rng.choice(self.session_ids))
            except (OSError, http.client.HTTPException, AssertionError):
                self.failed += 1
            self.stop.wait(max(0.0, 1 / self.rate - (time.monotonic() - started)))

    def _register(self, session_id: int):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("GET", f"/agenda/{session_id}/", headers={"Host": "127.0.0.1"})
            page = connection.getresponse()
            html = page.read().decode()
            assert page.status == 200, page.status
            cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
            if cookie is None or token is None:  # the session has started or is closed
                return
            self.serial += 1
            body = urlencode({"csrfmiddlewaretoken": token.group(1),
                              "name": f"Writer {self.serial}", "phone": "",
                              "email": f"w{self.run_id}-{self.serial}@bench.example",
                              "group": random.choice(["newcomer", "local", "undisclosed"]),
                              "seats": "1", "consent": "on"})
            connection.request("POST", f"/agenda/{session_id}/register/", body=body, headers={
                "Host": "127.0.0.1", "Cookie": f"csrftoken={cookie.group(1)}",
                "Content-Type": "application/x-www-form-urlencoded"})
            response = connection.getresponse()
            response.read()
            assert response.status in (302, 409), response.status
            self.done += 1
        finally:
            connection.close()


def _wait_for(port: int):
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/bare/", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def _line(name: str, result: dict, bare: dict | None = None) -> str:
    text = (f"  {name:14s} {result['requests']:6d} req  {result['rps']:7.1f} req/s  "
            f"p50 {result['p50_ms']:6.1f} ms  p95 {result['p95_ms']:7.1f} ms  "
            f"errors {result['errors']}")
    if bare:
        text += (f"  | vs bare: {100 * result['rps'] / bare['rps']:5.1f} % req/s, "
                 f"p95 {result['p95_ms'] / bare['p95_ms']:4.1f}x")
    return text


def _mean_bare(before: dict, after: dict) -> dict:
    return {"rps": (before["rps"] + after["rps"]) / 2,
            "p95_ms": (before["p95_ms"] + after["p95_ms"]) / 2}


def _serve(env: dict, args, label: str, session_ids: list[int]) -> dict:
    port = _free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "interra.config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--worker-class", "gthread", "--threads", str(args.threads),
         "--backlog", "2048", "--log-level", "warning"],
        env=env, cwd=ROOT)
    results = {}
    try:
        _wait_for(port)
        lists = _list_urls()
        # Readers open the sessions of the first ten pages of the list.
        pages = [f"/agenda/{pk}/" for pk in session_ids[:SESSION_PAGES]]
        writer = Writer(port, session_ids[:SESSION_PAGES], args.writes_per_second)
        # Every worker imports its code and opens its connections; every list page and
        # session page, in every language, is asked once (warm: it is then in the cache;
        # without a cache this changes nothing).
        _load(port, pages[:50] + ["/bare/"], args.clients, 2)
        _visit_all(port, [(url, lang) for url in lists + pages for lang in LANGUAGES])
        if args.writes_per_second > 0:
            writer.start()
        print(f"{label}:")
        bare_before = _load(port, ["/bare/"], args.clients, args.seconds)
        print(_line("bare", bare_before))
        results["list"] = _load(port, lists, args.clients, args.seconds)
        results["session"] = _load(port, pages, args.clients, args.seconds)
        bare_after = _load(port, ["/bare/"], args.clients, args.seconds)
        writer.stop.set()
        if writer.is_alive():
            writer.join(timeout=30)
        bare = _mean_bare(bare_before, bare_after)
        print(_line("agenda list", results["list"], bare))
        print(_line("session page", results["session"], bare))
        print(_line("bare (again)", bare_after))
        print(f"  writer: {writer.done} registrations during the run, {writer.failed} failed")
        results["bare"] = bare
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def _prepare_database(kind: str, tmp: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'agenda.sqlite3'}"
    import psycopg

    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DB}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{POSTGRES_DB}"')
    return f"{POSTGRES_URL}/{POSTGRES_DB}"


def _drop_database(kind: str):
    if kind == "postgres":
        import psycopg

        with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DB}" WITH (FORCE)')


def _reachable(kind: str) -> str:
    """Why ``kind`` (postgres, redis) cannot be used here, or "" when it can."""
    try:
        if kind == "postgres":
            import psycopg

            psycopg.connect(f"{POSTGRES_URL}/postgres", connect_timeout=3).close()
        else:
            import redis

            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001 (any failure means: skip it, say why)
        return f"{type(exc).__name__}: {str(exc).strip()[:120]}"
    return ""


def _run_database(kind: str, args) -> dict:
    with tempfile.TemporaryDirectory(prefix="interra-bench-") as tmp_name:
        tmp = Path(tmp_name)
        database_url = _prepare_database(kind, tmp)
        cold_env = _env(database_url, "dummycache://", tmp)
        warm_env = _env(database_url, REDIS_URL, tmp)
        manage = [PYTHON, str(ROOT / "manage.py")]
        try:
            started = time.monotonic()
            subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=cold_env, check=True,
                           cwd=ROOT)
            collected = subprocess.run([*manage, "collectstatic", "--no-input", "-v0"],
                                       env=cold_env, cwd=ROOT, capture_output=True, text=True)
            if collected.returncode:
                print("note: collectstatic failed, static names are not hashed in this run:",
                      (collected.stderr.strip().splitlines() or [""])[-1][:160])
                for env in (cold_env, warm_env):
                    env["BENCH_PLAIN_STATIC"] = "1"
            subprocess.run([PYTHON, "-c", GENERATE, str(args.sessions)], env=cold_env,
                           check=True, cwd=ROOT)
            session_ids = json.loads(subprocess.run(
                [PYTHON, "-c", "import django, json; django.setup(); "
                 "from interra.agenda.selectors import upcoming_sessions; "
                 "print(json.dumps(list(upcoming_sessions().values_list('pk', flat=True)"
                 "[:1000])))"], env=cold_env, check=True, cwd=ROOT, capture_output=True,
                text=True).stdout)
            print(f"[{kind}] database ready in {time.monotonic() - started:.0f} s")

            list_urls = [url for url in _list_urls() if "view=week" not in url]
            profile_to = str(args.profile) + f".{kind}" if args.profile else ""
            timed = json.loads(subprocess.run(
                [PYTHON, "-c", SERVER_TIME,
                 json.dumps([list_urls, LANGUAGES, 60 if args.quick else 300, profile_to])],
                env=cold_env, check=True, cwd=ROOT, capture_output=True, text=True
            ).stdout.strip().splitlines()[-1])
            # The load on this machine stretches wall time; CPU time is the request's own
            # work. SQLite runs in the process (its work is in the CPU time); PostgreSQL's
            # is in another process, so its queries' time is added.
            timed["server_ms"] = timed["cpu_ms"] + (
                timed["database_ms"] if kind == "postgres" else 0)
            print(f"[{kind}] server time, cold agenda list of 30 sessions (in-process, no cache, "
                  f"{timed['requests']} requests, varied filters and languages):\n"
                  f"    wall mean {timed['mean_ms']:.1f} ms, p50 {timed['p50_ms']:.1f} ms, "
                  f"p95 {timed['p95_ms']:.1f} ms; CPU {timed['cpu_ms']:.1f} ms, in queries "
                  f"{timed['database_ms']:.1f} ms; server time {timed['server_ms']:.1f} ms; "
                  f"at most {timed['queries']} queries")
            if profile_to:
                print(f"[{kind}] profile written to {profile_to}")
            results = {"server_time": timed}
            if "cold" in args.modes:
                results["cold"] = _serve(cold_env, args, f"[{kind}] COLD (no cache)",
                                         session_ids)
            if "warm" not in args.modes:
                pass
            elif why := _reachable("redis"):
                print(f"[{kind}] WARM skipped: Redis not reachable at {REDIS_URL} ({why})")
            else:
                results["warm"] = _serve(warm_env, args,
                                         f"[{kind}] WARM (shared Redis cache)", session_ids)
            return results
        finally:
            _drop_database(kind)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--writes-per-second", type=float, default=2)
    parser.add_argument("--modes", default="cold,warm")
    parser.add_argument("--quick", action="store_true", help="3 s per case")
    parser.add_argument("--profile", type=Path, default=None,
                        help="write a cProfile of the in-process cold list to this path")
    args = parser.parse_args()
    if args.quick:
        args.seconds = min(args.seconds, 3)
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} at start; "
          f"gunicorn {args.workers} workers x {args.threads} threads, {args.clients} clients, "
          f"{args.seconds:.0f} s per case, writer {args.writes_per_second}/s")
    summary = {}
    for kind in (name.strip() for name in args.databases.split(",")):
        if kind == "postgres" and (why := _reachable("postgres")):
            print(f"[postgres] skipped: not reachable at {POSTGRES_URL} ({why})")
            continue
        summary[kind] = _run_database(kind, args)
    print("\nsummary (ratios against /bare/ measured in the same server and run):")
    for kind, results in summary.items():
        timed = results["server_time"]
        print(f"  {kind:8s} cold list of 30, server time {timed['server_ms']:.1f} ms "
              f"(wall {timed['mean_ms']:.1f} ms under this machine's load)")
        for mode in ("cold", "warm"):
            for case in ("list", "session") if mode in results else ():
                result, bare = results[mode][case], results[mode]["bare"]
                print(f"  {kind:8s} {mode} {case:8s} {result['rps']:7.1f} req/s "
                      f"({100 * result['rps'] / bare['rps']:5.1f} % of bare), "
                      f"p50 {result['p50_ms']:6.1f} ms, p95 {result['p95_ms']:7.1f} ms "
                      f"({result['p95_ms'] / bare['p95_ms']:4.1f}x bare)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
