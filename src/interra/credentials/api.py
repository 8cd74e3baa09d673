"""Credentials API (mounted at /api/v1/credentials).

Public: a credential's verification (what it states, whether it is valid) and the
issuer's documents (profile, public keys, revocation list). The rest follows the
platform's permissions: a signed-in person reads only their own credentials.
"""

from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.http import HttpResponse
from ninja import Router, Schema
from ninja.security import APIKeyCookie

from interra.core.api_schemas import INPUT_ERRORS, ErrorOut

from . import documents, keys, selectors, services
from .verification import verify_credential


class PersonSession(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


router = Router(tags=["credentials"])


class VerificationOut(Schema):
    id: UUID
    achievement: str
    achievement_name: str
    issued_at: datetime
    signature_valid: bool
    revoked: bool
    valid: bool
    holder: str | None = None
    credential: dict | None = None


@router.get("/verify/{credential_id}",
            response={200: VerificationOut, 404: ErrorOut, **INPUT_ERRORS}, auth=None)
def verify(request, credential_id: UUID):
    """Anyone holding a credential's id: is it genuine, is it still valid, what it says.
    A revoked credential says only that (its holder may have erased their account)."""
    credential = selectors.public_credential(credential_id)
    verdict = verify_credential(credential)
    achievement = verdict.claims.get("credentialSubject", {}).get("achievement", {})
    return {
        "id": credential.pk, "achievement": credential.achievement,
        "achievement_name": achievement.get("name") or credential.get_achievement_display(),
        "issued_at": credential.issued_at, "signature_valid": verdict.signature_valid,
        "revoked": verdict.revoked, "valid": verdict.valid,
        "holder": None if verdict.revoked else credential.subject_name,
        "credential": None if verdict.revoked else verdict.claims,
    }


@router.get("/issuer", auth=None)
def issuer(request):
    return documents.issuer_profile()


@router.get("/jwks", auth=None)
def jwks(request):
    keys.current_key()
    return keys.public_jwks()


@router.get("/status/revocation", auth=None)
def status_list(request):
    return HttpResponse(documents.signed_status_list(services.revoked_status_indexes()),
                        content_type="application/vc+jwt")


class OwnCredentialOut(Schema):
    id: UUID
    achievement: str
    issued_at: datetime
    revoked_at: datetime | None
    jwt: str


@router.get("/mine", response={200: list[OwnCredentialOut], 401: ErrorOut},
            auth=PersonSession())
def mine(request):
    """The signed-in person's own credentials, never anybody else's."""
    return list(selectors.credentials_of(request.auth))
