"""Gunicorn settings for every Interra app server: `make run`, the systemd unit and the
burst test all use this file (`--config python:interra.config.gunicorn`).

Several processes, each with several threads (gthread): a process per core keeps the
Python work parallel, threads keep a process busy while another request waits on the
database. Requests beyond the threads queue in the worker or in the listen backlog;
none is refused, so a burst (a workshop shared on WhatsApp) is answered a little later
instead of reset. Environment variables adjust it without editing the file.
"""

import multiprocessing
import os

bind = os.environ.get("BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:" \
    f"{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(max(multiprocessing.cpu_count(), 2), 8))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 8)
# Connections a process accepts and queues for its threads; the kernel's backlog holds
# the rest.
worker_connections = 1000
backlog = 2048
# A request slower than this is a bug (reports and PDFs run in the task worker).
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
keepalive = 5
# Recycle processes now and then, so that a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
# Errors to the terminal or journald; access lines only when asked (ACCESS_LOG=-).
errorlog = "-"
accesslog = os.environ.get("ACCESS_LOG") or None
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "interra-web"
# No control socket: its default path is per user, so two servers on one machine (a test
# next to `make run`) would fight over it; systemd and signals manage the processes.
control_socket_disable = True


def post_worker_init(worker):
    """OR-Tools takes seconds to import: load it beside the first requests, once per
    process, rather than during a trusted leader's first tap (autonomy slots)."""
    import threading

    def warm():
        import ortools.sat.python.cp_model  # noqa: F401

    threading.Thread(target=warm, name="warm-ortools", daemon=True).start()
