"""A small fediverse server for the tests, written the way Mastodon works and without
Interra's code: its own actor (alice) and RSA key, WebFinger-free lookups, an inbox that
keeps what it receives, requests it signs itself, and Mastodon's signature check
(app/controllers/concerns/signature_verification.rb): the Signature header's keyId,
algorithm, headers and signature; Date and Host signed, and Digest on a POST; the Date
within 12 hours (plus an hour of clock skew); the SHA-256 Digest of the body; the key
fetched from the keyId's actor; RSA PKCS#1 v1.5 with SHA-256 over the signing string.
"""

import base64
import hashlib
import json
import re
import threading
import urllib.request
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urldefrag, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

ACTIVITY_JSON = "application/activity+json"


class Rejected(AssertionError):
    """What Mastodon would answer 401 to."""


class FakeMastodon:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.received: list[dict] = []
        self.answer_status = 202  # what the inbox answers (a 500 to test retries)
        # Mastodon's AUTHORIZED_FETCH: alice's actor only to signed GETs (checked below).
        self.authorized_fetch = False
        self.fetch_refusals: list[str] = []
        self.arrived = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.actor_id = self.base + "/users/alice"
        self.key_id = self.actor_id + "#main-key"
        self.inbox = self.actor_id + "/inbox"
        self.shared_inbox = self.base + "/inbox"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    # --- what alice publishes ------------------------------------------------------------

    def actor_document(self) -> dict:
        pem = self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        return {
            "@context": ["https://www.w3.org/ns/activitystreams",
                         "https://w3id.org/security/v1"],
            "id": self.actor_id, "type": "Person", "preferredUsername": "alice",
            "inbox": self.inbox, "outbox": self.actor_id + "/outbox",
            "endpoints": {"sharedInbox": self.shared_inbox},
            "publicKey": {"id": self.key_id, "owner": self.actor_id,
                          "publicKeyPem": pem.decode()},
        }

    def _handler(self):
        mastodon = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path == "/users/alice" and mastodon.authorized_fetch:
                    try:
                        verify_like_mastodon({
                            "path": self.path, "method": "GET", "body": b"",
                            "headers": {k.lower(): v for k, v in self.headers.items()}})
                    except (Rejected, KeyError) as exc:
                        mastodon.fetch_refusals.append(repr(exc))
                        self.send_response(401)
                        self.end_headers()
                        return
                if self.path in ("/users/alice", "/impostor"):
                    document = mastodon.actor_document()
                    if self.path == "/impostor":  # claims to be someone on another host
                        document["id"] = document["publicKey"]["owner"] = (
                            "https://elsewhere.example/users/alice")
                        document["publicKey"]["id"] = mastodon.base + "/impostor#main-key"
                    body = json.dumps(document).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", ACTIVITY_JSON)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    self.send_response(404)
                    self.end_headers()

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with mastodon.arrived:
                    mastodon.received.append({
                        "path": self.path, "method": "POST", "body": body,
                        "headers": {k.lower(): v for k, v in self.headers.items()}})
                    mastodon.arrived.notify_all()
                self.send_response(mastodon.answer_status)
                self.end_headers()

        return Handler

    def wait_for(self, count: int, timeout: float = 10) -> list[dict]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout=timeout)
        assert len(self.received) >= count, f"{len(self.received)} received, {count} awaited"
        return self.received[:count]

    # --- what alice sends ----------------------------------------------------------------

    def signed_headers(self, url: str, body: bytes, *, date: datetime | None = None,
                       key=None, key_id: str | None = None) -> dict:
        parts = urlsplit(url)
        digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        date_header = format_datetime(date or datetime.now(UTC), usegmt=True)
        signing = (f"(request-target): post {parts.path}\nhost: {parts.netloc}\n"
                   f"date: {date_header}\ndigest: {digest}")
        signature = (key or self.key).sign(signing.encode(), padding.PKCS1v15(),
                                           hashes.SHA256())
        return {
            "Host": parts.netloc, "Date": date_header, "Digest": digest,
            "Content-Type": ACTIVITY_JSON,
            "Signature": (f'keyId="{key_id or self.key_id}",algorithm="rsa-sha256",'
                          f'headers="(request-target) host date digest",'
                          f'signature="{base64.b64encode(signature).decode()}"'),
        }

    def post(self, url: str, activity: dict) -> int:
        body = json.dumps(activity).encode()
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers=self.signed_headers(url, body))
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def fetch_actor(url: str) -> dict:
    request = urllib.request.Request(url, headers={"Accept": ACTIVITY_JSON})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.headers["Content-Type"].startswith(ACTIVITY_JSON)
        return json.loads(response.read())


def verify_like_mastodon(received: dict, *, now: datetime | None = None) -> dict:
    """Check one received POST as Mastodon does; return the activity it carried."""
    headers, body = received["headers"], received["body"]
    params = dict(re.findall(r'(\w+)="([^"]*)"', headers.get("signature", "")))
    if not {"keyId", "signature"} <= params.keys():
        raise Rejected("Incompatible request signature: keyId and signature are required")
    if params.get("algorithm", "hs2019") not in ("rsa-sha256", "hs2019"):
        raise Rejected("Unsupported signature algorithm")
    signed = params.get("headers", "date").lower().split()
    if "date" not in signed and "(created)" not in signed:
        raise Rejected("Mastodon requires the Date header or (created) to be signed")
    if "(request-target)" not in signed and "digest" not in signed:
        raise Rejected("Mastodon requires the Digest header or (request-target) signed")
    if "host" not in signed:
        raise Rejected("Mastodon requires the Host header to be signed")
    if received["method"] == "POST" and "digest" not in signed:
        raise Rejected("Mastodon requires the Digest header to be signed on a POST")
    sent = parsedate_to_datetime(headers["date"])
    if abs((now or datetime.now(UTC)) - sent) > timedelta(hours=12) + timedelta(hours=1):
        raise Rejected("Signed request date outside acceptable time window")
    if "digest" in signed or received["method"] == "POST":
        digests = dict(part.strip().split("=", 1) for part in headers["digest"].split(","))
        expected = base64.b64encode(hashlib.sha256(body).digest()).decode()
        if digests.get("SHA-256") != expected:
            raise Rejected("Invalid Digest value")
    lines = []
    for name in signed:
        if name == "(request-target)":
            lines.append(f"(request-target): {received['method'].lower()} {received['path']}")
        else:
            lines.append(f"{name}: {headers[name]}")
    actor = fetch_actor(urldefrag(params["keyId"])[0])
    key = actor["publicKey"]
    if key["id"] != params["keyId"] or key["owner"] != actor["id"]:
        raise Rejected("The key does not belong to the actor")
    public_key = serialization.load_pem_public_key(key["publicKeyPem"].encode())
    try:
        public_key.verify(base64.b64decode(params["signature"]), "\n".join(lines).encode(),
                          padding.PKCS1v15(), hashes.SHA256())
    except Exception as exc:
        raise Rejected("Verification failed") from exc
    if not body:
        return actor  # a signed GET: who fetched
    activity = json.loads(body)
    if activity.get("actor") != actor["id"]:
        raise Rejected("The activity's actor is not the signer")
    return activity
