"""Checking a credential the way any verifier would: the signature against the published
keys, then its bit in the published status list."""

import base64
import gzip
from dataclasses import dataclass

from joserfc import jwt
from joserfc.errors import JoseError

from . import keys
from .models import Credential


@dataclass(frozen=True)
class Verdict:
    signature_valid: bool
    revoked: bool
    claims: dict

    @property
    def valid(self) -> bool:
        return self.signature_valid and not self.revoked


def decode_status_list(encoded_list: str) -> bytes:
    """The bitstring of a BitstringStatusList's ``encodedList`` (multibase "u" prefix,
    base64url without padding, GZIP)."""
    if not encoded_list.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (prefix 'u')")
    data = encoded_list[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit_is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def check_signature(token: str) -> dict | None:
    """The claims if ``token`` is signed by one of the issuer's keys, else None."""
    try:
        return jwt.decode(token, keys.public_key_set(), algorithms=[keys.ALGORITHM]).claims
    except (JoseError, ValueError):
        return None


def verify_credential(credential: Credential) -> Verdict:
    """For the verification page: the stored document, checked like a verifier does."""
    claims = check_signature(credential.jwt) if credential.jwt else None
    return Verdict(signature_valid=claims is not None, revoked=credential.is_revoked,
                   claims=claims or {})
