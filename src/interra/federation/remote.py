"""Talking to other fediverse servers without becoming a way into our own network.

Every address comes from a stranger (a keyId, an inbox in an actor document), so each
request: resolves the host once and connects to the address it checked (no second DNS
answer in between), refuses private, loopback, link-local and reserved addresses unless
``FEDERATION_ALLOW_PRIVATE_ADDRESSES`` (tests, a local instance) says otherwise, needs
https in that case too, follows no redirect, gives up after ``FEDERATION_TIMEOUT`` seconds
and reads at most ``FEDERATION_MAX_BYTES``.
"""

import http.client
import ipaddress
import json
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

ACTIVITY_JSON = "application/activity+json"
ACCEPT = f'{ACTIVITY_JSON}, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


class RemoteError(Exception):
    """A remote server could not be reached safely, or answered something unusable."""


@dataclass
class Answer:
    status: int
    body: bytes


def _allow_private() -> bool:
    return getattr(settings, "FEDERATION_ALLOW_PRIVATE_ADDRESSES", False)


def max_bytes() -> int:
    return getattr(settings, "FEDERATION_MAX_BYTES", 256 * 1024)


def _timeout() -> float:
    return getattr(settings, "FEDERATION_TIMEOUT", 5.0)


def check_url(url: str) -> None:
    """Refuse what is not an absolute http(s) URL we may call (https only in production)."""
    parts = urlsplit(url)
    allowed = {"https", "http"} if _allow_private() else {"https"}
    if parts.scheme not in allowed or not parts.hostname or parts.username or parts.password:
        raise RemoteError(f"Refused address: {url[:200]}")


def _public_address(host: str, port: int) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise RemoteError(f"Unknown host {host}") from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise RemoteError(f"Unknown host {host}")
    if not _allow_private():
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise RemoteError(f"{host} is a private or reserved address")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, *, address, **kwargs):
        super().__init__(host, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, *, address, **kwargs):
        super().__init__(host, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def request(method: str, url: str, *, headers: dict, body: bytes | None = None) -> Answer:
    check_url(url)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _public_address(parts.hostname, port)
    connection_class = (_PinnedHTTPSConnection if parts.scheme == "https"
                        else _PinnedHTTPConnection)
    connection = connection_class(parts.hostname, port=port, address=address,
                                  timeout=_timeout())
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(method, path, body=body, headers={
            "User-Agent": f"Interra (+{settings.SITE_URL})", **headers})
        response = connection.getresponse()
        data = response.read(max_bytes() + 1)
        if len(data) > max_bytes():
            raise RemoteError(f"{url[:200]} answered more than {max_bytes()} bytes")
        return Answer(status=response.status, body=data)
    except (OSError, http.client.HTTPException) as exc:
        raise RemoteError(f"{url[:200]}: {exc!r}") from exc
    finally:
        connection.close()


def fetch_json(url: str, *, headers: dict | None = None) -> dict:
    """The ActivityPub document at ``url`` (an actor, a key), or RemoteError.
    ``headers``: a signature, for servers that answer only signed fetches (Mastodon's
    "authorized fetch")."""
    answer = request("GET", url, headers={"Accept": ACCEPT, **(headers or {})})
    if answer.status != 200:
        raise RemoteError(f"{url[:200]} answered {answer.status}")
    try:
        document = json.loads(answer.body)
    except ValueError as exc:
        raise RemoteError(f"{url[:200]} did not answer JSON") from exc
    if not isinstance(document, dict):
        raise RemoteError(f"{url[:200]} did not answer a JSON object")
    return document
