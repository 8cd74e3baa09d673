"""SMS backends. A provider plugs in by subclassing BaseSMSBackend and naming it in
the SMS_BACKEND setting; the platform ships a console and an in-memory backend."""

import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SMS:
    to: str
    body: str


# Read by tests, like django.core.mail.outbox.
outbox: list[SMS] = []


class BaseSMSBackend:
    def send(self, sms: SMS) -> None:
        raise NotImplementedError("An SMS backend must implement send().")


class ConsoleSMSBackend(BaseSMSBackend):
    """Writes the message to standard output (the worker's log during `make run`)."""

    def send(self, sms: SMS) -> None:
        sys.stdout.write(f"--- SMS to {sms.to} ---\n{sms.body}\n---\n")
        sys.stdout.flush()


class LocmemSMSBackend(BaseSMSBackend):
    def send(self, sms: SMS) -> None:
        outbox.append(sms)


def get_sms_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(to: str, body: str) -> None:
    get_sms_backend().send(SMS(to=to, body=body))
