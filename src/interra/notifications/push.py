"""Web push: a short notification on the person's phone, without an SMS to pay for.

The browser subscribes with our VAPID public key (RFC 8292) and gives us an endpoint on
its push service and two keys; we encrypt each message for that device (RFC 8291,
``aes128gcm``) and POST it there, signed with our VAPID private key. Both are done by
``pywebpush`` (with ``py_vapid`` and ``http_ece``), from the worker.

A notification carries a title, a short text and one address. When the message has a
sign-in link it is that link, minted in the worker like an SMS's and never stored: the
payload is encrypted for the device, and only the device reads it.
"""

import base64
import json
import logging
import os
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

logger = logging.getLogger("interra.notifications")

# The push services accept 4096 bytes of encrypted payload; keep the text well under.
MAX_TEXT = 300
# How long a push service keeps a message for a phone that is off (seconds).
TIME_TO_LIVE = 24 * 3600
REQUEST_TIMEOUT = 10
# The push service's answers that say the subscription no longer exists.
GONE = (404, 410)


class PushUnavailable(Exception):
    """The person has no device that accepts push any more: send another way."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_private_key() -> str:
    """A new VAPID private key: a P-256 scalar, 32 bytes, base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    return _b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def _key_from_file(path: Path) -> str:
    """The key kept in ``path``, made on first use (dev, tests, demo)."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = generate_private_key()
    try:  # two processes may race: the first one's key wins
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


@cache
def _private_key_text(configured: str, key_file: str) -> str:
    if configured:
        return configured.strip()
    if key_file:
        return _key_from_file(Path(key_file))
    return ""


def vapid_private_key() -> str:
    """The VAPID private key (base64url), or "" when push is not configured."""
    return _private_key_text(settings.VAPID_PRIVATE_KEY, settings.VAPID_KEY_FILE)


def _private_key_object(text: str) -> ec.EllipticCurvePrivateKey:
    raw = _b64url_decode(text.replace("\n", ""))
    if len(raw) == 32:
        return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    key = serialization.load_der_private_key(raw, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ImproperlyConfigured("VAPID_PRIVATE_KEY must be a P-256 (prime256v1) key.")
    return key


@cache
def _public_key_for(private_text: str) -> str:
    public = _private_key_object(private_text).public_key()
    return _b64url(public.public_bytes(serialization.Encoding.X962,
                                       serialization.PublicFormat.UncompressedPoint))


def vapid_public_key() -> str:
    """The application server key browsers subscribe with (base64url, 65 bytes), or ""."""
    private = vapid_private_key()
    return _public_key_for(private) if private else ""


def push_enabled() -> bool:
    return bool(vapid_private_key())


def vapid_subject() -> str:
    if settings.VAPID_SUBJECT:
        return settings.VAPID_SUBJECT
    if settings.SITE_URL.startswith("https://"):
        return settings.SITE_URL
    address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip()
    return f"mailto:{address}"


def payload(*, title: str, text: str, url: str) -> str:
    """What the service worker shows: JSON with a title, a short text and an address."""
    text = " ".join(text.split())
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1].rstrip() + "…"
    return json.dumps({"title": title[:120], "body": text, "url": url},
                      ensure_ascii=False, separators=(",", ":"))


def push_send(*, person, title: str, text: str, url: str) -> int:
    """Send the notification to every device of ``person``; return how many took it.

    A device whose push service answers 404 or 410 is forgotten. No device left:
    ``PushUnavailable`` (the caller sends another way). Every remaining device failing
    for another reason: the last error is raised, and the message is tried again later.
    """
    from pywebpush import WebPushException, webpush

    from .models import PushSubscription

    private_key = vapid_private_key()
    if not private_key:
        raise PushUnavailable("Web push is not configured (VAPID_PRIVATE_KEY).")
    data = payload(title=title, text=text, url=url)
    delivered = 0
    error: Exception | None = None
    for subscription in list(PushSubscription.objects.filter(person=person)):
        endpoint = urlsplit(subscription.endpoint)
        claims = {"sub": vapid_subject(), "aud": f"{endpoint.scheme}://{endpoint.netloc}"}
        try:
            webpush(subscription_info=subscription.info, data=data,
                    vapid_private_key=private_key, vapid_claims=claims,
                    content_encoding="aes128gcm", ttl=TIME_TO_LIVE,
                    timeout=REQUEST_TIMEOUT, headers={"Urgency": "normal"})
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in GONE:
                logger.info("Push subscription %s is gone (%s): deleted.",
                            subscription.pk, status)
                subscription.delete()
                continue
            error = exc
            continue
        except Exception as exc:  # the push service unreachable, a timeout
            error = exc
            continue
        delivered += 1
        PushSubscription.objects.filter(pk=subscription.pk).update(
            last_used_at=timezone.now())
    if delivered:
        return delivered
    if error is not None:
        raise error
    raise PushUnavailable("No device accepts push notifications any more.")
