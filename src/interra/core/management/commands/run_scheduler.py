"""Queue the periodic jobs every few minutes, for the task workers to run.

Without it nothing sends the reminders (48 h and 3 h before a session), asks for feedback
after a session, gives released held seats to the waitlist, tries failed messages again or
deletes messages past their retention period. Run exactly one per
deployment, next to the workers (``make run`` starts one); cron calling
``send_due_reminders`` is the alternative. Every job is idempotent, so a tick that comes
twice (a restart, a second scheduler by mistake) wastes work but sends nothing twice.
"""

import logging
import signal
import threading

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger("interra.scheduler")


def periodic_tasks() -> list:
    """The django.tasks to queue at each tick: each app lists its own in its AppConfig
    (``periodic_tasks``, dotted paths), so core imports no app."""
    return [import_string(path) for config in apps.get_app_configs()
            for path in getattr(config, "periodic_tasks", ())]


class Command(BaseCommand):
    help = ("Every --interval seconds, queue the periodic jobs (reminders, feedback "
            "requests, released seats) for the task workers. Run one per deployment; "
            "stops cleanly on SIGTERM or Ctrl-C.")

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=300, metavar="SECONDS",
                            help="Seconds between two ticks (default: 300).")
        parser.add_argument("--once", action="store_true",
                            help="Queue the jobs once and exit (tests, cron).")

    def handle(self, *args, interval=300, once=False, **options):
        if interval < 1:
            raise CommandError("--interval must be at least 1 second.")
        if once:
            self.tick()
            return
        stop = threading.Event()
        previous = {number: signal.signal(number, lambda *_: stop.set())
                    for number in (signal.SIGTERM, signal.SIGINT)}
        logger.info("Scheduler started: periodic jobs every %d s.", interval)
        try:
            while not stop.is_set():
                try:
                    self.tick()
                except Exception:
                    # A database that is briefly away must not end the schedule: the next
                    # tick tries again (the jobs catch up on what they missed).
                    logger.exception("Scheduler tick failed; trying again in %d s.", interval)
                if stop.wait(interval):
                    break
                # Long waits outlive CONN_MAX_AGE: start the next tick on a fresh connection.
                close_old_connections()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        logger.info("Scheduler stopped.")

    def tick(self) -> None:
        queued = [f"{task.module_path} ({task.enqueue().id})" for task in periodic_tasks()]
        logger.info("Scheduler tick: queued %s.", ", ".join(queued))
