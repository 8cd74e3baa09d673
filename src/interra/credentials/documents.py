"""The public documents of the issuer and the credentials, as Open Badges 3.0 builds them.

- the issuer profile (``Profile``), each ``Achievement`` (criteria, ESCO alignment),
- an ``OpenBadgeCredential`` (W3C VC data model 2.0) for one holder,
- the revocation list as a W3C Bitstring Status List credential.

Everything is signed as a VC-JWT (OB 3.0, section 8.2): the JWT payload is the credential
itself with the registered claims ``iss``, ``jti``, ``sub``, ``nbf`` added; the JOSE header
says ``alg`` RS256, ``typ`` JWT and ``kid`` (a URL that answers the public JWK).
"""

import base64
import gzip
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from joserfc import jwt

from . import keys
from .models import Achievement
from .skills import esco_label, esco_skill

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
STATUS_LIST_SIZE = 131_072  # bits: the minimum the Bitstring Status List spec asks (16 KB)
STATUS_LIST_ID = "revocation"


def absolute(url_name: str, *args) -> str:
    return settings.SITE_URL + reverse(url_name, args=args)


def issuer_id() -> str:
    return absolute("credentials:issuer")


# --- Achievements: what each badge means, and when it is earned ---------------------------

@dataclass(frozen=True)
class AchievementSpec:
    key: str
    criteria: str  # a lazy translation, shown and signed in the credential's language
    esco_uris: tuple[str, ...]
    achievement_type: str = "Badge"


ACHIEVEMENTS = {
    Achievement.SESSIONS_10: AchievementSpec(
        Achievement.SESSIONS_10,
        gettext_lazy("Led or co-led at least 10 workshop sessions that took place at "
                     "Interra, each for a mixed public of newcomers and locals."),
        ("http://data.europa.eu/esco/skill/699e7c26-6502-4e78-a823-3656ff5a5b8b",
         "http://data.europa.eu/esco/skill/75d8e5d9-bef3-418b-9011-01bff9f27207")),
    Achievement.COOKING_LEADER: AchievementSpec(
        Achievement.COOKING_LEADER,
        gettext_lazy("Led or co-led at least 3 cooking workshop sessions that took "
                     "place at Interra."),
        ("http://data.europa.eu/esco/skill/8bb1e784-f54f-48dd-aedd-23723e171898",
         "http://data.europa.eu/esco/skill/0ff99f51-40d9-42f1-a1ec-377b2bb5e15f")),
    Achievement.CO_LEADER: AchievementSpec(
        Achievement.CO_LEADER,
        gettext_lazy("Led a workshop session together with another leader, preparing and "
                     "running it as a team."),
        ("http://data.europa.eu/esco/skill/60c78287-22eb-4103-9c8c-28deaa460da0",
         "http://data.europa.eu/esco/skill/c10d5d87-36cf-42f5-8a12-e560fb5f4af8")),
    Achievement.ATTESTATION: AchievementSpec(
        Achievement.ATTESTATION,
        gettext_lazy("Led workshops at Interra; the figures and the skills confirmed by a "
                     "coordinator are stated in this credential."),
        (), achievement_type="Certificate"),
}

COOKING_SESSIONS_NEEDED = 3
SESSIONS_NEEDED = 10


def earned(figures) -> list[str]:
    """The automatic achievements that ``figures`` (selectors.LeaderFigures) meet."""
    result = []
    if figures.sessions_held >= SESSIONS_NEEDED:
        result.append(Achievement.SESSIONS_10)
    if figures.cooking_sessions >= COOKING_SESSIONS_NEEDED:
        result.append(Achievement.COOKING_LEADER)
    if figures.co_led_sessions >= 1:
        result.append(Achievement.CO_LEADER)
    return result


def _alignment(uri: str, language: str) -> dict:
    return {"type": ["Alignment"], "targetType": "ceasn:Competency",
            "targetFramework": "ESCO", "targetName": esco_label(uri, language),
            "targetUrl": uri}


def achievement_document(key: str, *, language: str = "fr",
                         extra_esco: tuple[str, ...] = ()) -> dict:
    spec = ACHIEVEMENTS[key]
    with translation.override(language):
        name = str(Achievement(key).label)
        criteria = str(spec.criteria)
    aligned = [uri for uri in (*spec.esco_uris, *extra_esco) if esco_skill(uri)]
    document = {
        "id": absolute("credentials:achievement", key),
        "type": ["Achievement"],
        "achievementType": spec.achievement_type,
        "name": name,
        "description": criteria,
        "criteria": {"narrative": criteria},
        "image": {"id": absolute("credentials:achievement_image", key), "type": "Image"},
        "creator": {"id": issuer_id(), "type": ["Profile"]},
        "inLanguage": language,
    }
    if aligned:
        document["alignment"] = [_alignment(uri, language) for uri in dict.fromkeys(aligned)]
    return document


def issuer_profile() -> dict:
    profile = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.ORGANISATION_NAME,
        "url": settings.SITE_URL + "/",
    }
    if settings.ORGANISATION_ADDRESS:
        profile["description"] = settings.ORGANISATION_ADDRESS
    return profile


# --- One holder's credential ---------------------------------------------------------------

def credential_document(*, credential, language: str, extra_esco=()) -> dict:
    """The unsigned OpenBadgeCredential for a Credential row (its id, holder, facts)."""
    issued = credential.issued_at.replace(microsecond=0)
    achievement = achievement_document(credential.achievement, language=language,
                                       extra_esco=tuple(extra_esco))
    subject = {
        "id": f"urn:uuid:{credential.person.portfolio.subject_id}",
        "type": ["AchievementSubject"],
        "achievement": achievement,
        # The holder's name in clear: the credential is meant to be shown by its holder to
        # an employer, who must see whose it is (OB 3.0 IdentityObject, not hashed).
        "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                        "identityHash": credential.subject_name}],
    }
    facts = credential.facts or {}
    if facts.get("first_session"):
        subject["activityStartDate"] = f"{facts['first_session']}T00:00:00Z"
    if facts.get("last_session"):
        subject["activityEndDate"] = f"{facts['last_session']}T00:00:00Z"
    with translation.override(language):
        narrative = facts_narrative(facts)
    if narrative:
        subject["narrative"] = narrative
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{credential.pk}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement["name"],
        "issuer": {"id": issuer_id(), "type": ["Profile"],
                   "name": settings.ORGANISATION_NAME, "url": settings.SITE_URL + "/"},
        "validFrom": issued.isoformat().replace("+00:00", "Z"),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{absolute('credentials:status_list')}#{credential.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(credential.status_index),
            "statusListCredential": absolute("credentials:status_list"),
        },
    }


def facts_narrative(facts: dict) -> str:
    """The figures in one translated sentence each (in the active language)."""
    from django.utils.formats import number_format
    from django.utils.translation import ngettext

    lines = []
    if facts.get("sessions_held"):
        count = facts["sessions_held"]
        lines.append(ngettext("%(count)d session held", "%(count)d sessions held", count)
                     % {"count": count})
    if facts.get("hours"):
        lines.append(_("%(hours)s hours of workshops")
                     % {"hours": number_format(facts["hours"], use_l10n=True)})
    if facts.get("participants_reached"):
        count = facts["participants_reached"]
        lines.append(ngettext("%(count)d participant reached", "%(count)d participants "
                              "reached", count) % {"count": count})
    if facts.get("returning_participants"):
        count = facts["returning_participants"]
        lines.append(ngettext("%(count)d participant came back for another session",
                              "%(count)d participants came back for another session", count)
                     % {"count": count})
    if facts.get("average_rating") is not None:
        lines.append(_("average feedback %(rating)s / 5")
                     % {"rating": number_format(facts["average_rating"], use_l10n=True)})
    if facts.get("skills"):
        lines.append(_("skills confirmed by a coordinator: %(skills)s")
                     % {"skills": ", ".join(facts["skills"])})
    return "; ".join(lines)


def sign(payload: dict, issuer_key) -> str:
    header = {"alg": issuer_key.algorithm, "typ": "JWT", "kid": issuer_key.kid}
    return jwt.encode(header, payload, keys.signing_key(issuer_key))


def signed_credential(document: dict, issuer_key) -> str:
    claims = {**document, "iss": document["issuer"]["id"], "jti": document["id"],
              "nbf": int(datetime.fromisoformat(document["validFrom"]).timestamp())}
    subject_id = document["credentialSubject"].get("id")
    if subject_id:
        claims["sub"] = subject_id
    return sign(claims, issuer_key)


# --- Revocation: a Bitstring Status List --------------------------------------------------

def encode_bitstring(revoked_indexes) -> str:
    """Bit i set for each revoked index (bit 0 is the left-most bit of the first byte),
    GZIP-compressed, then base64url without padding, with the multibase prefix "u"."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same list always gives the same bytes.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def status_list_document(revoked_indexes) -> dict:
    url = absolute("credentials:status_list")
    now = timezone.now().replace(microsecond=0)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": now.isoformat().replace("+00:00", "Z"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(revoked_indexes),
        },
    }


def signed_status_list(revoked_indexes) -> str:
    document = status_list_document(revoked_indexes)
    claims = {**document, "iss": document["issuer"], "jti": document["id"],
              "nbf": int(timezone.now().timestamp())}
    return sign(claims, keys.current_key())
