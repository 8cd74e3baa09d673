"""A local web push service for the tests, written from the RFCs, not with the library
the platform sends with: it checks the VAPID JWT (RFC 8292: ES256 signature against the
key in ``Authorization: vapid t=...,k=...``, ``aud`` the endpoint's origin, ``exp`` in
the future) and decrypts the ``aes128gcm`` payload (RFC 8291 + RFC 8188) with the
subscriber's private key and auth secret, as a browser does.

A browser subscription is made the way a browser makes it: a P-256 key pair and a 16-byte
auth secret (``BrowserKeys``)."""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hkdf(*, salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


@dataclass
class BrowserKeys:
    """What a browser's PushManager.subscribe() makes: the user agent's key pair and
    auth secret; only the public key and the secret are given to the server."""

    private: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def public_bytes(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)

    @property
    def p256dh(self) -> str:
        return b64url(self.public_bytes)

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)


class VerificationError(Exception):
    pass


def verify_vapid(authorization: str, endpoint_origin: str, *, now: float | None = None):
    """RFC 8292: ``vapid t=<JWT>, k=<public key>``; returns (claims, public key)."""
    scheme, _, params = authorization.partition(" ")
    if scheme.lower() != "vapid":
        raise VerificationError(f"not a vapid authorization: {scheme!r}")
    values = dict(part.strip().split("=", 1) for part in params.split(","))
    token, key_text = values["t"], values["k"]
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key_text))
    header_b64, claims_b64, signature_b64 = token.split(".")
    header = json.loads(unb64url(header_b64))
    if header.get("alg") != "ES256":
        raise VerificationError(f"JWT alg {header.get('alg')!r}")
    signature = unb64url(signature_b64)
    if len(signature) != 64:
        raise VerificationError("ES256 signature must be 64 bytes (r || s)")
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"),
                               int.from_bytes(signature[32:], "big"))
    # Raises InvalidSignature if the token was not signed by this key.
    public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    claims = json.loads(unb64url(claims_b64))
    now = time.time() if now is None else now
    if claims.get("aud") != endpoint_origin:
        raise VerificationError(f"aud {claims.get('aud')!r} is not {endpoint_origin!r}")
    if not now < int(claims["exp"]) <= now + 24 * 3600:
        raise VerificationError(f"exp {claims['exp']} not within the next 24 hours")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
        raise VerificationError(f"sub {claims.get('sub')!r}")
    return claims, key_text


def decrypt_aes128gcm(body: bytes, keys: BrowserKeys) -> bytes:
    """RFC 8188 header (salt, record size, key id = the server's public key), then the
    RFC 8291 key derivation, then AES-128-GCM on the single record."""
    salt, record_size, id_length = body[:16], int.from_bytes(body[16:20], "big"), body[20]
    server_public_bytes = body[21:21 + id_length]
    ciphertext = body[21 + id_length:]
    if len(ciphertext) > record_size:
        raise VerificationError("more than one record")
    server_public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(),
                                                                 server_public_bytes)
    ecdh_secret = keys.private.exchange(ec.ECDH(), server_public)
    key_info = b"WebPush: info\x00" + keys.public_bytes + server_public_bytes
    ikm = hkdf(salt=keys.auth_secret, ikm=ecdh_secret, info=key_info, length=32)
    cek = hkdf(salt=salt, ikm=ikm, info=b"Content-Encoding: aes128gcm\x00", length=16)
    nonce = hkdf(salt=salt, ikm=ikm, info=b"Content-Encoding: nonce\x00", length=12)
    padded = AESGCM(cek).decrypt(nonce, ciphertext, None)
    # The last record ends with the delimiter 0x02, then optional zero padding.
    stripped = padded.rstrip(b"\x00")
    if not stripped.endswith(b"\x02"):
        raise VerificationError("missing last-record delimiter")
    return stripped[:-1]


@dataclass
class Received:
    path: str
    headers: dict
    claims: dict
    vapid_key: str
    payload: dict


class LocalPushService:
    """An HTTP server the subscriptions point to. ``subscribe(keys)`` gives an endpoint;
    each POST is verified and decrypted into ``received``; ``answer[path]`` sets the
    status for a device (201 by default, 410 for a device that is gone...)."""

    def __init__(self):
        self.received: list[Received] = []
        self.errors: list[str] = []
        self.keys: dict[str, BrowserKeys] = {}
        self.answer: dict[str, int] = {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = service.answer.get(self.path, 201)
                if status == 201:
                    try:
                        service.receive(self.path, dict(self.headers.items()), body)
                    except Exception as exc:  # recorded: the test reads .errors
                        service.errors.append(repr(exc))
                        status = 400
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def subscribe(self, keys: BrowserKeys | None = None) -> dict:
        keys = keys or BrowserKeys()
        path = f"/push/{b64url(os.urandom(12))}"
        self.keys[path] = keys
        return {"endpoint": self.origin + path,
                "keys": {"p256dh": keys.p256dh, "auth": keys.auth}}

    def receive(self, path: str, headers: dict, body: bytes) -> None:
        headers = {k.lower(): v for k, v in headers.items()}
        if headers.get("content-encoding") != "aes128gcm":
            raise VerificationError(f"Content-Encoding {headers.get('content-encoding')!r}")
        if "ttl" not in headers:
            raise VerificationError("no TTL header (RFC 8030)")
        claims, vapid_key = verify_vapid(headers["authorization"], self.origin)
        plaintext = decrypt_aes128gcm(body, self.keys[path])
        self.received.append(Received(path, headers, claims, vapid_key,
                                      json.loads(plaintext.decode("utf-8"))))
