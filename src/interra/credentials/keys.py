"""The organisation's signing keys: created, encrypted at rest, rotated, published.

The private key is stored encrypted with AES-256-GCM under a key derived (HKDF-SHA256)
from ``CREDENTIALS_KEY_SECRET`` (by default ``SECRET_KEY``); keys encrypted under a
``SECRET_KEY_FALLBACKS`` entry still open, so the secret can be rotated too. A database
dump alone therefore holds no usable private key. The public keys, current and retired,
are published as a JWKS (RFC 7517); a retired key signs nothing new but still verifies
what it signed.
"""

import json
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from joserfc.jwk import KeySet, RSAKey

from interra.core import sealing

from .models import IssuerKey

ALGORITHM = "RS256"  # Open Badges 3.0 requires verifiers to support RS256 (section 8.2)
RSA_BITS = 2048  # what OB 3.0 names for RS256; signing stays fast
_INFO = b"interra credentials issuer key v1"
_SETTING = "CREDENTIALS_KEY_SECRET"


def encrypt_private(jwk: dict) -> str:
    return sealing.seal(json.dumps(jwk).encode(), info=_INFO, setting=_SETTING)


def decrypt_private(token: str) -> dict:
    return json.loads(sealing.unseal(token, info=_INFO, setting=_SETTING))


def _create_key(*, current: bool) -> IssuerKey:
    key = RSAKey.generate_key(RSA_BITS, private=True, auto_kid=True)
    # OB 3.0: the header's kid is a URI that dereferences to the JWK. It is fixed when the
    # key is made, so that a later change of SITE_URL does not orphan old credentials.
    kid = settings.SITE_URL + reverse("credentials:key", args=[key.thumbprint()])
    public = {**key.as_dict(private=False), "kid": kid, "alg": ALGORITHM, "use": "sig"}
    return IssuerKey.objects.create(
        kid=kid, thumbprint=key.thumbprint(), algorithm=ALGORITHM, public_jwk=public,
        private_jwk_encrypted=encrypt_private(key.as_dict(private=True)), is_current=current)


def current_key() -> IssuerKey:
    """The key that signs now; made on first use. Two first uses at once make one key:
    the database allows one current key, and the loser reads the winner's."""
    key = IssuerKey.objects.filter(is_current=True).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            return _create_key(current=True)
    except IntegrityError:
        return IssuerKey.objects.get(is_current=True)


@transaction.atomic
def rotate() -> IssuerKey:
    """A new key signs from now on; the old ones stay published (they still verify)."""
    IssuerKey.objects.select_for_update().filter(is_current=True).update(
        is_current=False, retired_at=timezone.now())
    return _create_key(current=True)


def signing_key(issuer_key: IssuerKey) -> RSAKey:
    return _signing_key(issuer_key.kid, issuer_key.private_jwk_encrypted)


@lru_cache(maxsize=8)
def _signing_key(kid: str, sealed: str) -> RSAKey:
    # Importing an RSA private key checks it (about 0.1 s): done once per process and key.
    # Keyed by the sealed text too, so a key stored anew is never served from here.
    return RSAKey.import_key(decrypt_private(sealed))


def public_jwks() -> dict:
    """Every public key ever used, current first: what a verifier needs, nothing more."""
    keys = IssuerKey.objects.order_by("-is_current", "-created_at")
    return {"keys": [{k: v for k, v in key.public_jwk.items() if k not in PRIVATE_MEMBERS}
                     for key in keys]}


# Members of an RSA JWK that only the private key has (RFC 7518, 6.3.2).
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth"}


def public_key_set() -> KeySet:
    return KeySet.import_key_set(public_jwks())
