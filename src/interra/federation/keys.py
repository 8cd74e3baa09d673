"""Each city actor's RSA key: made on first use, its private half encrypted at rest.

The private key is sealed with AES-256-GCM under a key derived (HKDF-SHA256) from
``FEDERATION_KEY_SECRET`` (by default ``SECRET_KEY``); a key sealed under a
``SECRET_KEY_FALLBACKS`` entry still opens, so the secret can be rotated (``core.sealing``,
as the credentials' issuer key).
"""

from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction

from interra.core import sealing

from .models import ActorKey

RSA_BITS = 2048  # what Mastodon makes for its own actors
_INFO = b"interra federation actor key v1"
_SETTING = "FEDERATION_KEY_SECRET"


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
                                           private_pem_encrypted=sealing.seal(
                                               private_pem, info=_INFO, setting=_SETTING))
    except IntegrityError:
        return ActorKey.objects.get(city=city)


def private_key(key: ActorKey) -> rsa.RSAPrivateKey:
    return _load_private(key.private_pem_encrypted)


@lru_cache(maxsize=16)
def _load_private(sealed: str) -> rsa.RSAPrivateKey:
    # Loading checks the key (tens of milliseconds): once per process and key.
    return serialization.load_pem_private_key(
        sealing.unseal(sealed, info=_INFO, setting=_SETTING), password=None)
