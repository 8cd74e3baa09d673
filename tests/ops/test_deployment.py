"""The multi-server set-up of docs/deployment.md, started as documented.

The three systemd ``ExecStart`` lines are read from the document itself and run from the
repository root (standing in for /srv/interra) with the documented variables, against a
local PostgreSQL database and a Redis server started for the test. The web unit serves
pages without DEBUG, https only, an uploaded photo is served, and the worker and the
scheduler stay up.
"""

import io
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
import urllib.parse

import pytest
from PIL import Image

from .conftest import ROOT, clean_env, free_port, http_request, missing_tool

DOC = ROOT / "docs" / "deployment.md"
DATABASE = "ops_deployment"


def _units() -> dict[str, list[str]]:
    text = DOC.read_text()
    units = {}
    for name, body in re.findall(r"# /etc/systemd/system/(interra-\w+)\.service.*?\n(.*?)```",
                                 text, flags=re.S):
        command = re.search(r"^ExecStart=(.+)$", body, flags=re.M).group(1)
        units[name] = [part.replace("/srv/interra", str(ROOT)) for part in shlex.split(command)]
    return units


def _postgres_admin_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.rsplit("/", 1)[0] + "/postgres"
    return "postgres://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="module")
def postgres_url():
    psycopg = pytest.importorskip("psycopg")
    admin = _postgres_admin_url()
    try:
        connection = psycopg.connect(admin, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        missing_tool(f"no PostgreSQL at {admin}: {exc}")
    with connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    yield admin.rsplit("/", 1)[0] + f"/{DATABASE}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    server = shutil.which("redis-server")
    if server is None:
        missing_tool("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
         "no", "--dir", str(tmp_path_factory.mktemp("redis"))],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, postgres_url, redis_url):
    work = tmp_path_factory.mktemp("deployment")
    media = work / "media"
    (media / "people").mkdir(parents=True)
    photo = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(photo, "JPEG")
    (media / "people" / "f00d.jpg").write_bytes(photo.getvalue())
    env = clean_env(
        DJANGO_SETTINGS_MODULE="interra.config.settings.prod",
        SECRET_KEY="a-real-production-secret-" + "k" * 40,
        ALLOWED_HOSTS="interra.example", CSRF_TRUSTED_ORIGINS="https://interra.example",
        SITE_URL="https://interra.example", DATABASE_URL=postgres_url, CACHE_URL=redis_url,
        EMAIL_URL="smtp+tls://interra:secret@127.0.0.1:2525",
        SMS_URL="twilio://ACxxxx:token@api.twilio.com?from=%2B32460000000",
        TRUST_X_FORWARDED_FOR=1, MEDIA_ROOT=media,
        STATIC_ROOT=str(ROOT / "var" / "static"),
    )
    for step in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        done = subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", *step], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]

    units = _units()
    assert set(units) == {"interra-web", "interra-worker", "interra-scheduler"}
    port = free_port()
    units["interra-web"] = [part.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
                            for part in units["interra-web"]]
    logs, processes = {}, {}
    for name, command in units.items():
        logs[name] = (work / f"{name}.log").open("w+")
        processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=logs[name],
                                           stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            if http_request("GET", url, "/health/", headers=_https())[0] == 200:
                break
        except OSError:
            pass
        if processes["interra-web"].poll() is not None or time.monotonic() > deadline:
            logs["interra-web"].seek(0)
            pytest.fail("the web unit did not serve:\n" + logs["interra-web"].read()[-4000:])
        time.sleep(0.5)
    yield url, processes, logs
    for process in processes.values():
        os.killpg(process.pid, signal.SIGTERM)
    for process in processes.values():
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    for log in logs.values():
        log.close()


def _https():
    """What the proxy adds: the public host and the scheme it terminated."""
    return {"Host": "interra.example", "X-Forwarded-Proto": "https"}


def test_the_documented_units_start_and_serve_pages_without_debug(deployment):
    url, processes, logs = deployment
    for path in ("/", "/agenda/", "/privacy/", "/proposals/new/"):
        status, headers, body = http_request("GET", url, path, headers=_https())
        assert status == 200, (path, body[:500])
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        assert "Content-Security-Policy" in headers
    status, _headers, body = http_request("GET", url, "/nope/", headers=_https())
    assert status == 404
    assert b"Traceback" not in body and b"DEBUG" not in body
    # Plain http is sent to https.
    status, headers, _body = http_request("GET", url, "/privacy/",
                                      headers={"Host": "interra.example"})
    assert status == 301 and headers["Location"] == "https://interra.example/privacy/"
    # The worker and the scheduler are still running (they would exit on a bad setting).
    time.sleep(3)
    for name in ("interra-worker", "interra-scheduler"):
        logs[name].seek(0)
        assert processes[name].poll() is None, logs[name].read()[-3000:]


def test_an_uploaded_photo_is_served(deployment):
    url, _processes, _logs = deployment
    status, headers, body = http_request("GET", url, "/media/people/f00d.jpg", headers=_https())
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    assert body.startswith(b"\xff\xd8")


def test_the_cache_is_the_shared_redis(deployment, redis_url):
    url, _processes, _logs = deployment
    assert http_request("GET", url, "/agenda/", headers=_https())[0] == 200
    port = urllib.parse.urlsplit(redis_url).port
    keys = subprocess.run(["redis-cli", "-p", str(port), "--scan"], capture_output=True,
                          text=True, timeout=10).stdout.split()
    assert any("agenda" in key for key in keys), keys
