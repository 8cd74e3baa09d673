"""``run_scheduler`` queues the periodic jobs; the test settings run tasks at once."""

import logging
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from interra.agenda.models import Registration, ReminderSent, Session
from interra.notifications.models import Message
from tests.factories import RegistrationFactory, SessionFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_one_tick_sends_the_due_reminder_and_logs_one_line(caplog):
    session = SessionFactory(starts_at=timezone.now() + timedelta(hours=47))
    person = UserFactory(email="amina@example.org")
    registration = RegistrationFactory(session=session, person=person)
    later = RegistrationFactory(
        session=SessionFactory(starts_at=timezone.now() + timedelta(hours=72)))

    with caplog.at_level(logging.INFO, logger="interra.scheduler"):
        call_command("run_scheduler", "--once")

    assert [r.hours_before for r in ReminderSent.objects.filter(registration=registration)
            ] == [48]
    assert not ReminderSent.objects.filter(registration=later).exists()  # not due yet
    assert Message.objects.filter(template="session_reminder").count() == 1
    assert [message.to for message in mail.outbox] == [["amina@example.org"]]
    lines = [r.getMessage() for r in caplog.records if r.name == "interra.scheduler"]
    assert len(lines) == 1 and "interra.agenda.tasks.send_due_reminders" in lines[0]

    call_command("run_scheduler", "--once")  # the next tick sends nothing twice
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_one_tick_asks_for_feedback_and_gives_released_seats_to_the_waitlist():
    ended = SessionFactory()
    came = RegistrationFactory(session=ended, attended=True)  # only who came is asked
    Session.objects.filter(pk=ended.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1))
    released = SessionFactory(capacity=1, hold_release_at=timezone.now() - timedelta(minutes=5))
    waiting = RegistrationFactory(session=released, status=Registration.Status.WAITLISTED)

    call_command("run_scheduler", "--once")

    came.refresh_from_db()
    waiting.refresh_from_db()
    assert came.feedback_requested_at is not None
    assert Message.objects.filter(template="feedback_request", recipient=came.person).exists()
    assert waiting.status == Registration.Status.CONFIRMED


def test_an_interval_below_one_second_is_refused():
    with pytest.raises(CommandError):
        call_command("run_scheduler", "--interval", "0")


@pytest.mark.django_db(transaction=True)
def test_sigterm_stops_the_loop_cleanly():
    """A real process: ticks at once, then waits; SIGTERM ends it with status 0."""
    from tests.concurrency.conftest import _database_url

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "interra.config.settings.test",
           "DATABASE_URL": _database_url(), "PYTHONPATH": str(ROOT / "src"),
           "LOG_LEVEL": "INFO"}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler", "--interval", "3600"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any("tick" in line for line in lines):
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
        assert any("Scheduler tick: queued" in line for line in lines), lines
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "Scheduler stopped." in output
