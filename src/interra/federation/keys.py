"""Each city actor's RSA key: made on first use, its private half encrypted at rest.

The private key is sealed with AES-256-GCM under a key derived (HKDF-SHA256) from
``FEDERATION_KEY_SECRET`` (by default ``SECRET_KEY``); a key sealed under a
``SECRET_KEY_FALLBACKS`` entry still opens, so the secret can be rotated. The same scheme
as the credentials' issuer key, written again here because the two apps share a layer
and neither may import the other.
"""

import base64
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction

from .models import ActorKey

RSA_BITS = 2048  # what Mastodon makes for its own actors
_INFO = b"interra federation actor key v1"


def _secrets() -> list[str]:
    own = getattr(settings, "FEDERATION_KEY_SECRET", "") or settings.SECRET_KEY
    return [own, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _aead(secret: str) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO)
                  .derive(secret.encode()))


def seal(private_pem: bytes) -> str:
    nonce = os.urandom(12)
    return base64.urlsafe_b64encode(
        nonce + _aead(_secrets()[0]).encrypt(nonce, private_pem, _INFO)).decode()


def unseal(token: str) -> bytes:
    raw = base64.urlsafe_b64decode(token.encode())
    for secret in _secrets():
        try:
            return _aead(secret).decrypt(raw[:12], raw[12:], _INFO)
        except Exception:  # noqa: BLE001, S112 (InvalidTag: try the next secret)
            continue
    raise RuntimeError("A city's fediverse key cannot be decrypted with SECRET_KEY "
                       "or SECRET_KEY_FALLBACKS.")


def actor_key(city) -> ActorKey:
    """The city's key, made on first use. Two first uses at once make one key: the
    database allows one per city, and the loser reads the winner's."""
    key = ActorKey.objects.filter(city=city).first()
    if key is not None:
        return key
    private = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    private_pem = private.private_bytes(serialization.Encoding.PEM,
                                        serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    try:
        with transaction.atomic():
            return ActorKey.objects.create(city=city, public_pem=public_pem,
                                           private_pem_encrypted=seal(private_pem))
    except IntegrityError:
        return ActorKey.objects.get(city=city)


def private_key(key: ActorKey) -> rsa.RSAPrivateKey:
    return _load_private(key.private_pem_encrypted)


@lru_cache(maxsize=16)
def _load_private(sealed: str) -> rsa.RSAPrivateKey:
    # Loading checks the key (tens of milliseconds): once per process and key.
    return serialization.load_pem_private_key(unseal(sealed), password=None)
