"""The done-when of issue 13: a verifier with only the published documents checks a
credential offline with a standard JOSE library (joserfc), as an employer's tool would."""

import base64
import gzip
import json
from pathlib import Path

import jsonschema
import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet

from interra.credentials import services
from interra.credentials.models import Achievement

from .factories import held_sessions, leader

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "ob_v3p0_achievementcredential_schema.json")
                    .read_text())


def published(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def verifier_key_set(client) -> KeySet:
    """What a verifier downloads once: the JWKS, nothing else."""
    return KeySet.import_key_set(published(client, "/credentials/jwks.json").json())


def decode_status_bit(client, status_entry, keyset) -> bool:
    """Follow credentialStatus like a verifier: fetch the signed list, check its
    signature, decode the bitstring (multibase 'u' + base64url + GZIP), read the bit."""
    path = status_entry["statusListCredential"].split("://", 1)[1].split("/", 1)[1]
    token = published(client, "/" + path).content.decode()
    status_list = jwt.decode(token, keyset, algorithms=["RS256"]).claims
    assert "BitstringStatusListCredential" in status_list["type"]
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    raw = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    bits = gzip.decompress(raw)
    assert len(bits) * 8 >= 131_072  # the spec's minimum size, for herd privacy
    index = int(status_entry["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


@pytest.fixture
def badge(db):
    person = leader()
    held_sessions(person, 3)  # attendance marked: the badge is issued on commit
    return person.credentials.get(achievement=Achievement.COOKING_LEADER)


def test_a_verifier_with_the_published_keys_validates_a_credential_offline(client, badge):
    keyset = verifier_key_set(client)
    token = jwt.decode(badge.jwt, keyset, algorithms=["RS256"])
    claims = token.claims
    assert token.header["kid"] in {key["kid"] for key in keyset.as_dict()["keys"]}
    assert claims["id"] == f"urn:uuid:{badge.pk}"
    assert "OpenBadgeCredential" in claims["type"]
    assert claims["iss"] == claims["issuer"]["id"]
    assert claims["credentialSubject"]["identifier"][0]["identityHash"] == "Amira Haddad"
    assert claims["credentialSubject"]["achievement"]["alignment"][0]["targetUrl"].startswith(
        "http://data.europa.eu/esco/skill/")
    assert decode_status_bit(client, claims["credentialStatus"], keyset) is False
    # No private member of any key is ever published.
    for key in published(client, "/credentials/jwks.json").json()["keys"]:
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


def test_a_tampered_credential_fails(client, badge):
    keyset = verifier_key_set(client)
    header, payload, signature = badge.jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Somebody Else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(BadSignatureError):
        jwt.decode(f"{header}.{forged}.{signature}", keyset, algorithms=["RS256"])


def test_a_revoked_credential_fails_through_the_status_list(client, badge):
    keyset = verifier_key_set(client)
    claims = jwt.decode(badge.jwt, keyset, algorithms=["RS256"]).claims
    assert decode_status_bit(client, claims["credentialStatus"], keyset) is False
    services.credential_revoke(credential=badge)
    # The signature still holds; the published list now says revoked.
    assert decode_status_bit(client, claims["credentialStatus"], keyset) is True
    page = client.get(f"/credentials/verify/{badge.pk}/")
    assert b'data-verdict="revoked"' in page.content


def test_a_credential_issued_before_a_key_rotation_still_verifies(client, badge):
    from django.core.management import call_command

    before = verifier_key_set(client)
    call_command("rotate_credential_key", stdout=open("/dev/null", "w"))
    newcomer = leader(display_name="Oleh Kovalenko", email="oleh@example.org")
    held_sessions(newcomer, 3)
    after = newcomer.credentials.get(achievement=Achievement.COOKING_LEADER)
    old_header = jwt.decode(badge.jwt, before, algorithms=["RS256"]).header
    new_header = jwt.decode(after.jwt, verifier_key_set(client), algorithms=["RS256"]).header
    assert old_header["kid"] != new_header["kid"]
    # A verifier who downloads the JWKS only now still validates the old credential.
    jwt.decode(badge.jwt, verifier_key_set(client), algorithms=["RS256"])
    # ... and the new one is not signed by the old key.
    with pytest.raises(Exception):  # noqa: B017 (no key with that kid in the old set)
        jwt.decode(after.jwt, before, algorithms=["RS256"])


def test_the_credential_validates_against_the_open_badges_3_schema(badge):
    claims = jwt.decode(badge.jwt, KeySet.import_key_set(_jwks()), algorithms=["RS256"]).claims
    document = {k: v for k, v in claims.items() if k not in {"iss", "jti", "sub", "nbf"}}
    jsonschema.Draft201909Validator(
        SCHEMA, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    ).validate(document)


def test_the_schema_check_can_fail(badge):
    """The schema really constrains: without its issuer the document is refused."""
    claims = jwt.decode(badge.jwt, KeySet.import_key_set(_jwks()), algorithms=["RS256"]).claims
    del claims["issuer"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft201909Validator(SCHEMA).validate(claims)


def test_the_baked_image_carries_the_credential(client, badge):
    from interra.credentials.images import unbake

    client.force_login(badge.person)
    response = client.get(f"/credentials/mine/{badge.pk}.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    png = response.content
    assert unbake(png) == badge.jwt
    # The chunk is an uncompressed iTXt with the OB 3.0 keyword.
    assert b"iTXtopenbadgecredential\x00\x00\x00" in png


def test_private_keys_are_stored_encrypted(badge):
    from interra.credentials.models import IssuerKey

    stored = IssuerKey.objects.get(pk=badge.key_id)
    assert '"d"' not in stored.private_jwk_encrypted
    assert "d" not in stored.public_jwk


def _jwks():
    from interra.credentials.keys import public_jwks

    return public_jwks()


def test_one_current_key_at_a_time(db):
    """The constraint behind current_key(): a second current key is refused."""
    from django.db import IntegrityError, transaction

    from interra.credentials import keys
    from interra.credentials.models import IssuerKey

    first = keys.current_key()
    assert keys.current_key() == first
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuerKey.objects.create(kid="x", thumbprint="x", public_jwk={},
                                 private_jwk_encrypted="", is_current=True)
    rotated = keys.rotate()
    assert keys.current_key() == rotated
    assert IssuerKey.objects.filter(is_current=True).count() == 1


def test_stored_keys_open_with_an_old_secret_key_kept_as_fallback(db, settings):
    from interra.credentials import keys

    key = keys.current_key()
    keys._signing_key.cache_clear()
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = [old]
    assert keys.signing_key(key).as_dict(private=False)["n"] == key.public_jwk["n"]
    settings.SECRET_KEY_FALLBACKS = []
    keys._signing_key.cache_clear()
    with pytest.raises(RuntimeError):
        keys.signing_key(key)


def test_after_a_key_rotation_the_verification_page_still_says_valid(client, badge):
    from django.core.management import call_command

    call_command("rotate_credential_key", stdout=open("/dev/null", "w"))
    page = client.get(f"/credentials/verify/{badge.pk}/")
    assert b'data-verdict="valid"' in page.content
    data = client.get(f"/api/v1/credentials/verify/{badge.pk}").json()
    assert data["valid"] and data["signature_valid"]


def test_a_tampered_stored_credential_shows_as_not_to_be_trusted(client, badge):
    header, payload, signature = badge.jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["narrative"] = "500 sessions held"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    type(badge).objects.filter(pk=badge.pk).update(jwt=f"{header}.{forged}.{signature}")
    page = client.get(f"/credentials/verify/{badge.pk}/").content.decode()
    assert 'data-verdict="invalid"' in page and "500 sessions" not in page


def test_the_attestation_with_skills_and_returning_participants_validates_too(client, db):
    """The attestation (an OB 3.0 Certificate with the confirmed ESCO skills aligned and
    all the figures, returning participants included) against the same schema."""
    from tests.factories import RegistrationFactory, UserFactory

    person = leader()
    _workshop, sessions = held_sessions(person, 2)
    regular = UserFactory()
    for session in sessions:
        RegistrationFactory(session=session, person=regular, attended=True)
    skill = services.skill_propose(
        person=person,
        esco_uri="http://data.europa.eu/esco/skill/2de4572a-4724-4f76-afc2-72a568a264ac")
    services.skill_decide(skill=skill, by=leader(display_name="Coord", email="c@example.org"),
                          confirm=True)
    attestation = services.attestation_issue(person=person)
    assert attestation.facts["returning_participants"] == 1
    claims = jwt.decode(attestation.jwt, verifier_key_set(client), algorithms=["RS256"]).claims
    document = {k: v for k, v in claims.items() if k not in {"iss", "jti", "sub", "nbf"}}
    jsonschema.Draft201909Validator(
        SCHEMA, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    ).validate(document)
    alignment = document["credentialSubject"]["achievement"]["alignment"]
    assert [a["targetUrl"] for a in alignment] == [skill.esco_uri]
