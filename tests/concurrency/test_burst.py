"""A burst on `make run`: the server a newcomer starts answers everyone.

``scripts/run.sh`` (what `make run` runs: production settings with ONE_SERVER=1, SQLite,
the cache in the database, gunicorn with interra.config.gunicorn, the task worker and
the scheduler, the Liège demo) is started as is, on a fresh database. Then, as when a
workshop is shared on WhatsApp: 200 simultaneous page loads, and 40 people registering
at the same moment, each from their own address. Every request gets an answer: no
connection reset, no 5xx. The rate limit, counted in the shared cache, holds across the
server's processes: 25 registrations from one address at once, 20 pass.

The figures (wall time, latency percentiles) are printed: run with ``-s`` to read them.
"""

import os
import re
import signal
import statistics
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.ops.conftest import clean_env, free_port, http_request

pytestmark = pytest.mark.concurrency

ROOT = Path(__file__).resolve().parents[2]
PAGE_LOADS = 200
REGISTRATIONS = 40
SAME_ADDRESS = 25
REGISTRATION_LIMIT = 20  # agenda.views.session_register: 20 per address per 10 minutes


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    """`make run`'s server on a free port and a fresh SQLite file; its log on failure."""
    work = tmp_path_factory.mktemp("make-run")
    port = free_port()
    env = clean_env(PORT=port, DATABASE_URL=f"sqlite:///{work / 'interra.sqlite3'}",
                    MEDIA_ROOT=str(work / "media"),
                    SECRET_KEY="burst-test-secret-" + "s" * 40)
    for name in ("RATELIMIT_ENABLE", "WEB_CONCURRENCY", "GUNICORN_THREADS", "BIND"):
        env.pop(name, None)
    log = (work / "run.log").open("w+")
    process = subprocess.Popen([str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while True:
        try:
            if http_request("GET", url, "/health/")[0] == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            pytest.fail("make run did not serve /health/:\n" + log.read()[-4000:])
        time.sleep(1)
    yield url, log
    os.killpg(process.pid, signal.SIGTERM)  # the script, gunicorn, the worker, the scheduler
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    log.close()


def _burst(calls):
    """Run every call at the same instant, each in its own thread with its own connection;
    return (result or exception, seconds) per call and the wall time."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        start.wait()
        began = time.perf_counter()
        try:
            outcome = call()
        except Exception as exc:  # a reset or a timeout is what this test looks for
            outcome = exc
        results[index] = (outcome, time.perf_counter() - began)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - began


def _figures(label, results, wall):
    times = sorted(seconds for _outcome, seconds in results)
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"\n{label}: {len(results)} requests in {wall:.2f} s; latency median "
          f"{statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
          f"max {times[-1] * 1000:.0f} ms")


def _failures(results, expected):
    return [repr(outcome) if isinstance(outcome, Exception) else outcome[0]
            for outcome, _seconds in results
            if isinstance(outcome, Exception) or outcome[0] not in expected]


def _open_sessions(url) -> list[int]:
    status, _headers, body = http_request("GET", url, "/agenda/")
    assert status == 200
    ids = sorted({int(x) for x in re.findall(r'href="/agenda/(\d+)/"', body.decode())})
    assert len(ids) >= 5
    return ids


def _registration(url, session_id, number, source):
    """A registration form as a browser posts it, from ``source``; a fresh person each."""
    status, headers, body = http_request("GET", url, f"/agenda/{session_id}/", source=source)
    assert status == 200
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
    form = urllib.parse.urlencode({
        "csrfmiddlewaretoken": token, "name": f"Personne {number}",
        "email": f"burst{number}@example.org", "phone": "", "group": "", "seats": "1",
        "consent": "on"})
    return lambda: http_request(
        "POST", url, f"/agenda/{session_id}/register/", body=form, source=source,
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Cookie": f"csrftoken={cookie}"})


def test_200_simultaneous_page_loads_are_all_answered(make_run):
    url, _log = make_run
    sessions = _open_sessions(url)
    paths = ["/", "/agenda/", "/agenda/?view=week", "/privacy/", "/proposals/new/",
             *[f"/agenda/{pk}/" for pk in sessions[:10]]]
    languages = ["fr", "ar", "uk", "en", "ti"]
    loads = [(paths[i % len(paths)], languages[i % len(languages)]) for i in range(PAGE_LOADS)]
    calls = [(lambda p=path, lang=language: http_request("GET", url, p,
                                                     headers={"Accept-Language": lang}))
             for path, language in loads]
    results, wall = _burst(calls)
    _figures(f"{PAGE_LOADS} simultaneous page loads", results, wall)
    assert _failures(results, {200}) == []


def test_40_simultaneous_registrations_are_all_answered(make_run):
    url, _log = make_run
    session_id = _open_sessions(url)[0]
    # Forty people, forty addresses (the whole 127.0.0.0/8 is this machine).
    calls = [_registration(url, session_id, n, f"127.0.0.{10 + n}")
             for n in range(REGISTRATIONS)]
    results, wall = _burst(calls)
    _figures(f"{REGISTRATIONS} simultaneous registrations", results, wall)
    assert _failures(results, {302}) == []
    for (_status, headers, _body), _seconds in results:
        # The same answer for everyone ("check your messages"): no private link in it.
        assert re.search(r"/agenda/\d+/registered/", headers["Location"]), headers["Location"]


def test_the_rate_limit_holds_across_the_server_processes(make_run):
    url, _log = make_run
    if 600 - time.time() % 600 < 90:  # stay inside one 10-minute window of the limit
        time.sleep(600 - time.time() % 600 + 1)
    session_id = _open_sessions(url)[1]
    calls = [_registration(url, session_id, 1000 + n, "127.0.0.250")
             for n in range(SAME_ADDRESS)]
    results, wall = _burst(calls)
    _figures(f"{SAME_ADDRESS} registrations from one address", results, wall)
    statuses = sorted(outcome[0] for outcome, _seconds in results
                      if not isinstance(outcome, Exception))
    assert statuses == [302] * REGISTRATION_LIMIT + [429] * (SAME_ADDRESS - REGISTRATION_LIMIT)
