"""Secrets kept encrypted at rest (the apps' private signing keys), so that a database dump
alone holds none.

AES-256-GCM under a key derived (HKDF-SHA256) from a setting (by default ``SECRET_KEY``);
``info`` names what is sealed and binds it, so one app's token never opens as another's.
A token sealed under a ``SECRET_KEY_FALLBACKS`` entry still opens, so the secret can be
rotated. Token: URL-safe base64 of the 12-byte nonce and the ciphertext.
"""

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _secrets(setting: str) -> list[str]:
    own = getattr(settings, setting, "") or settings.SECRET_KEY
    return [own, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _aead(secret: str, info: bytes) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info)
                  .derive(secret.encode()))


def seal(data: bytes, *, info: bytes, setting: str) -> str:
    nonce = os.urandom(12)
    sealed = _aead(_secrets(setting)[0], info).encrypt(nonce, data, info)
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(token: str, *, info: bytes, setting: str) -> bytes:
    """The data, opened with the setting's secret or a fallback; RuntimeError if none opens."""
    raw = base64.urlsafe_b64decode(token.encode())
    for secret in _secrets(setting):
        try:
            return _aead(secret, info).decrypt(raw[:12], raw[12:], info)
        except InvalidTag:
            continue
    raise RuntimeError(f"Sealed data ({info.decode()}) cannot be decrypted with {setting}, "
                       "SECRET_KEY or SECRET_KEY_FALLBACKS.")
