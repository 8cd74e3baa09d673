"""SMS backends, chosen by URL like e-mail (SMS_URL):

- ``twilio://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com?from=%2B3247...`` sends through Twilio's
  REST API with its official client library (``from`` may also be a Messaging Service SID,
  ``MG...``, or an alphanumeric sender such as ``Interra``). Another host (and
  ``?scheme=http``) points the client at a stand-in server, which is how the tests run.
- ``console://`` prints messages (the worker's output during ``make run``).
- ``locmem://`` keeps them in ``outbox`` (tests).

Without SMS_URL, SMS_BACKEND names a class (a subclass of BaseSMSBackend).
"""

import logging
import sys
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SMS:
    to: str
    body: str


# Read by tests, like django.core.mail.outbox.
outbox: list[SMS] = []


class BaseSMSBackend:
    #: Whether the provider reports delivery (sent messages then wait for "delivered").
    reports_delivery = False

    def send(self, sms: SMS) -> str:
        """Send ``sms``; return the provider's id for it ("" if none). Raise on failure."""
        raise NotImplementedError("An SMS backend must implement send().")


class ConsoleSMSBackend(BaseSMSBackend):
    """Writes the message to standard output (the worker's log during `make run`)."""

    def send(self, sms: SMS) -> str:
        sys.stdout.write(f"--- SMS to {sms.to} ---\n{sms.body}\n---\n")
        sys.stdout.flush()
        return ""


class LocmemSMSBackend(BaseSMSBackend):
    def send(self, sms: SMS) -> str:
        outbox.append(sms)
        return ""


class TwilioSMSBackend(BaseSMSBackend):
    """Twilio, through its official library (``twilio``): the provider reports delivery
    to ``/notifications/sms/status/``, signed with the auth token."""

    reports_delivery = True

    def __init__(self, *, account_sid: str, auth_token: str, sender: str,
                 base_url: str = "https://api.twilio.com", timeout: float = 15):
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        if not (account_sid and auth_token and sender):
            raise ImproperlyConfigured(
                "SMS_URL for Twilio needs twilio://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com"
                "?from=SENDER"
            )
        # The library logs a dozen INFO lines per request; our own log says what matters.
        logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
        self.sender = sender
        self.client = Client(account_sid, auth_token,
                             http_client=TwilioHttpClient(timeout=timeout))
        self.client.api.base_url = base_url

    def send(self, sms: SMS) -> str:
        sender = ({"messaging_service_sid": self.sender} if self.sender.startswith("MG")
                  else {"from_": self.sender})
        created = self.client.messages.create(
            to=sms.to, body=sms.body, status_callback=status_callback_url(), **sender,
        )
        return created.sid or ""


def status_callback_url() -> str:
    """The public address the provider posts delivery reports to (and signs)."""
    return settings.SITE_URL + reverse("notifications:sms_status")


def parse_sms_url(url: str) -> dict:
    """SMS_URL -> {"scheme", "account_sid", "auth_token", "sender", "base_url"}."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    base_url = ""
    if host:
        web_scheme = query.get("scheme", ["https"])[0]
        base_url = f"{web_scheme}://{host}" + (f":{parts.port}" if parts.port else "")
    return {
        "scheme": scheme,
        "account_sid": unquote(parts.username or ""),
        "auth_token": unquote(parts.password or ""),
        "sender": query.get("from", [""])[0],
        "base_url": base_url,
    }


def backend_from_url(url: str) -> BaseSMSBackend:
    config = parse_sms_url(url)
    if config["scheme"] == "console":
        return ConsoleSMSBackend()
    if config["scheme"] == "locmem":
        return LocmemSMSBackend()
    if config["scheme"] == "twilio":
        return TwilioSMSBackend(
            account_sid=config["account_sid"], auth_token=config["auth_token"],
            sender=config["sender"], base_url=config["base_url"] or "https://api.twilio.com",
        )
    raise ImproperlyConfigured(f"SMS_URL: unknown scheme {config['scheme']!r} "
                               "(twilio://, console:// or locmem://).")


def get_sms_backend() -> BaseSMSBackend:
    url = getattr(settings, "SMS_URL", "")
    if url:
        return backend_from_url(url)
    return import_string(settings.SMS_BACKEND)()


def sms_auth_token() -> str:
    """The secret that signs the provider's delivery reports ("" without a provider)."""
    url = getattr(settings, "SMS_URL", "")
    return parse_sms_url(url)["auth_token"] if url.startswith("twilio:") else ""


def send_sms(to: str, body: str) -> str:
    return get_sms_backend().send(SMS(to=to, body=body))


# --- What an SMS costs: how many segments the provider bills -----------------------------
# GSM 03.38: the basic alphabet (one septet each) and the extension table (two: escape +
# character). A text with any other character (Arabic, Tigrinya, Ukrainian, most emoji...)
# is sent in UCS-2: 70 UTF-16 units in one SMS, 67 per segment when it is split (the
# header of a long message takes the rest); GSM-7: 160, then 153.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")


def sms_encoding(text: str) -> str:
    """"GSM-7" if every character is in the GSM alphabet, else "UCS-2"."""
    ok = GSM7_BASIC | GSM7_EXTENSION
    return "GSM-7" if all(ch in ok for ch in text) else "UCS-2"


def sms_segments(text: str) -> int:
    """How many SMS segments ``text`` is billed as (0 for an empty text)."""
    if not text:
        return 0
    if sms_encoding(text) == "GSM-7":
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
        single, part = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    if units <= single:
        return 1
    return -(-units // part)
