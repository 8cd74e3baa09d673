"""HTTP Signatures (draft-cavage-http-signatures-12) as Mastodon signs and checks them.

Outgoing: ``rsa-sha256`` over ``(request-target) host date`` and, with a body, ``digest``
(``SHA-256=`` of the body). Incoming: the same four headers must be signed, the Digest must
match the body, the Date must be within Mastodon's window (12 hours old, 1 hour ahead),
the key is fetched from its keyId and must belong to the actor that sent the activity.
"""

import base64
import hashlib
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urldefrag, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from . import remote

REQUIRED_HEADERS = ("(request-target)", "host", "date", "digest")
MAX_AGE = timedelta(hours=12)
MAX_AHEAD = timedelta(hours=1)
_PARAM = re.compile(r'(\w+)="([^"]*)"')


class SignatureError(Exception):
    """The request is not signed, or not by whom it says."""


def digest_of(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def sign(*, method: str, url: str, key_id: str, private_key: rsa.RSAPrivateKey,
         body: bytes | None = None, now: datetime | None = None) -> dict:
    """The headers that sign a request to ``url`` (Host, Date, Digest, Signature)."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"Host": parts.netloc,
               "Date": format_datetime(now or datetime.now(UTC), usegmt=True)}
    values = {"(request-target)": f"{method.lower()} {target}", "host": headers["Host"],
              "date": headers["Date"]}
    if body is not None:
        headers["Digest"] = values["digest"] = digest_of(body)
    signed = "\n".join(f"{name}: {value}" for name, value in values.items())
    signature = private_key.sign(signed.encode(), padding.PKCS1v15(), hashes.SHA256())
    headers["Signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(values)}",'
        f'signature="{base64.b64encode(signature).decode()}"')
    return headers


def parse(header: str) -> dict:
    return dict(_PARAM.findall(header or ""))


def verify(*, method: str, path: str, headers, body: bytes, now: datetime | None = None,
           fetch=remote.fetch_json) -> dict:
    """Check the signature of an incoming request; return the signer's actor document.

    ``headers`` is a case-insensitive mapping (Django's ``request.headers``). Raises
    SignatureError for a missing, malformed, stale or false signature, a wrong digest, or
    a key that does not belong to its actor. ``fetch(url)`` gets the key's actor.
    """
    params = parse(headers.get("Signature", ""))
    if not {"keyId", "signature", "headers"} <= params.keys():
        raise SignatureError("No signature.")
    if params.get("algorithm", "rsa-sha256") not in ("rsa-sha256", "hs2019"):
        raise SignatureError("Unsupported signature algorithm.")
    names = params["headers"].lower().split()
    if not set(REQUIRED_HEADERS) <= set(names):
        raise SignatureError("The signature must cover " + " ".join(REQUIRED_HEADERS) + ".")
    try:
        date = parsedate_to_datetime(headers.get("Date", ""))
    except (TypeError, ValueError) as exc:
        raise SignatureError("No valid Date.") from exc
    now = now or datetime.now(UTC)
    if date.tzinfo is None or not (now - MAX_AGE <= date <= now + MAX_AHEAD):
        raise SignatureError("The Date is too far from now.")
    if digest_of(body) not in [part.strip() for part in headers.get("Digest", "").split(",")]:
        raise SignatureError("The Digest does not match the body.")
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {path}")
        elif headers.get(name) is None:
            raise SignatureError(f"Signed header {name} is missing.")
        else:
            lines.append(f"{name}: {headers.get(name)}")
    try:
        signature = base64.b64decode(params["signature"], validate=True)
    except ValueError as exc:
        raise SignatureError("Malformed signature.") from exc
    key_id = params["keyId"]
    key_url = urldefrag(key_id)[0]
    try:
        actor = fetch(key_url)
    except remote.RemoteError as exc:
        raise SignatureError(f"The key cannot be fetched: {exc}") from exc
    # A server speaks only for its own actors: a document that claims an actor of
    # another host is not believed.
    if urlsplit(str(actor.get("id", ""))).netloc.lower() != urlsplit(key_url).netloc.lower():
        raise SignatureError("The key's actor is on another host.")
    public_key = _public_key(actor, key_id)
    try:
        public_key.verify(signature, "\n".join(lines).encode(), padding.PKCS1v15(),
                          hashes.SHA256())
    except InvalidSignature as exc:
        raise SignatureError("The signature does not match.") from exc
    return actor


def _public_key(actor: dict, key_id: str) -> rsa.RSAPublicKey:
    keys = actor.get("publicKey")
    keys = keys if isinstance(keys, list) else [keys]
    for key in keys:
        if (isinstance(key, dict) and key.get("id") == key_id
                and key.get("owner") == actor.get("id")):
            try:
                loaded = serialization.load_pem_public_key(key.get("publicKeyPem", "").encode())
            except ValueError as exc:
                raise SignatureError("Unreadable public key.") from exc
            if isinstance(loaded, rsa.RSAPublicKey):
                return loaded
    raise SignatureError("The key does not belong to its actor.")
