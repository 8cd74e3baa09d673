import io
import json

import pytest
from django.conf import settings

from interra.cities.models import Membership, Role
from interra.credentials import services
from interra.credentials.models import Achievement
from tests.conftest import force_staff_login
from tests.factories import CityFactory, UserFactory, coordinator

from .factories import held_sessions, leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def amira(city):
    person = leader(preferred_language="fa")
    Membership.objects.create(person=person, city=city, role=Role.LEADER)
    held_sessions(person, 3, city=city)
    return person


def test_the_portfolio_speaks_the_leaders_language_and_names_no_participant(client, amira):
    client.force_login(amira)
    response = client.get("/credentials/mine/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fa"' in page and 'dir="rtl"' in page
    assert 'data-figure="sessions_held">3<' in page
    assert 'data-figure="participants_reached">6<' in page
    from interra.agenda.models import Registration

    for registration in Registration.objects.filter(session__workshop__leader=amira):
        assert registration.person.display_name not in page


def test_nothing_is_public_by_default(client, amira):
    client.force_login(amira)
    client.get("/credentials/mine/")
    amira.refresh_from_db()
    slug = amira.portfolio.public_slug
    assert not amira.portfolio.is_public
    client.logout()
    assert client.get(f"/credentials/p/{slug}/").status_code == 404
    # Turned on, but no part chosen: still nothing to show.
    services.portfolio_update(person=amira, is_public=True)
    assert client.get(f"/credentials/p/{slug}/").status_code == 404


def test_the_leader_chooses_what_is_public(client, amira):
    client.force_login(amira)
    response = client.post("/credentials/mine/", {"is_public": "on", "show_figures": "on"})
    assert response.status_code == 302
    slug = amira.portfolio.public_slug
    client.logout()
    page = client.get(f"/credentials/p/{slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-figure="sessions_held">3<' in page
    workshop = amira.workshops_led.get()
    assert workshop.title["fr"] not in page  # workshops not chosen
    services.skill_propose(person=amira, label="Cuisine persane")
    assert "Cuisine persane" not in page
    # Turning the whole portfolio off hides every part again.
    client.force_login(amira)
    client.post("/credentials/mine/", {"show_figures": "on"})
    client.logout()
    assert client.get(f"/credentials/p/{slug}/").status_code == 404


def test_a_leader_sees_only_their_own_credentials(client, amira):
    credential = amira.credentials.get()
    other = leader(display_name="Someone Else", email="else@example.org")
    for url in (f"/credentials/mine/{credential.pk}.json",
                f"/credentials/mine/{credential.pk}.png"):
        client.force_login(other)
        assert client.get(url).status_code == 404
        client.logout()
        assert client.get(url).status_code == 302  # to sign in
    client.force_login(amira)
    data = client.get(f"/credentials/mine/{credential.pk}.json").json()
    assert data["jwt"] == credential.jwt
    assert data["credential"]["id"] == f"urn:uuid:{credential.pk}"


def test_the_api_gives_a_person_only_their_own_credentials(client, amira):
    other = leader(display_name="Someone Else", email="else@example.org")
    held_sessions(other, 3)
    client.force_login(amira)
    mine = client.get("/api/v1/credentials/mine").json()
    assert [row["id"] for row in mine] == [str(amira.credentials.get().pk)]
    client.logout()
    assert client.get("/api/v1/credentials/mine").status_code == 401


def test_the_public_verification_endpoint_and_issuer_documents(client, amira):
    credential = amira.credentials.get()
    data = client.get(f"/api/v1/credentials/verify/{credential.pk}").json()
    assert data["valid"] and data["signature_valid"] and not data["revoked"]
    assert data["holder"] == amira.display_name
    assert client.get("/api/v1/credentials/jwks").json()["keys"]
    issuer = client.get("/credentials/issuer.json").json()
    assert issuer["id"] == settings.SITE_URL + "/credentials/issuer.json"
    assert issuer["type"] == ["Profile"]
    achievement = client.get("/credentials/achievements/cooking_leader.json").json()
    assert achievement["criteria"]["narrative"]
    assert client.get("/credentials/achievements/nonsense.json").status_code == 404
    services.credential_revoke(credential=credential)
    data = client.get(f"/api/v1/credentials/verify/{credential.pk}").json()
    assert data["revoked"] and not data["valid"] and data["holder"] is None
    assert data["credential"] is None


def test_the_verification_page_shows_the_facts_and_validity(client, amira):
    credential = amira.credentials.get()
    page = client.get(f"/credentials/verify/{credential.pk}/",
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-verdict="valid"' in page
    assert amira.display_name in page
    from django.utils.html import escape

    from interra.credentials.verification import verify_credential

    narrative = verify_credential(credential).claims["credentialSubject"]["narrative"]
    assert escape(narrative) in page  # the signed facts, as signed
    import uuid

    assert client.get(f"/credentials/verify/{uuid.uuid4()}/").status_code == 404


def test_the_attestation_pdf_in_french_and_the_leaders_language(client, amira):
    from pypdf import PdfReader

    boss = coordinator(CityFactory(), display_name="Julie Lambert")
    skill = services.skill_propose(
        person=amira,
        esco_uri="http://data.europa.eu/esco/skill/c10d5d87-36cf-42f5-8a12-e560fb5f4af8")
    services.skill_decide(skill=skill, by=boss, confirm=True)
    client.force_login(amira)
    assert client.get("/credentials/mine/attestation.pdf").status_code == 405  # POST only
    response = client.post("/credentials/mine/attestation.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Attestation" in text
    assert "Julie Lambert" in text
    assert "faire preuve de compétences interculturelles" in text
    attestation = amira.credentials.get(achievement=Achievement.ATTESTATION)
    assert str(attestation.pk) in text.replace("\n", "")
    # Persian and a Tigrinya name render with real glyphs: the fonts are embedded.
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Arabic" in font or "Naskh" in font for font in fonts), fonts


def test_the_attestation_renders_tigrinya(client):
    from pypdf import PdfReader

    person = leader(display_name="ሰላም ተስፋይ", preferred_language="ti",
                    email="selam@example.org")
    held_sessions(person, 1)
    client.force_login(person)
    response = client.post("/credentials/mine/attestation.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("Ethiopic" in font for font in fonts), fonts
    assert "ሰላም" in "".join(page.extract_text() for page in reader.pages)


def test_no_attestation_for_someone_who_led_no_workshop(client, amira):
    """A signed "Workshop leader at Interra" is never issued to a participant (found by
    the security matrix: any signed-in person got one, with zero figures)."""
    participant = UserFactory()
    client.force_login(participant)
    assert "attestation.pdf" not in client.get("/credentials/mine/").content.decode()
    assert client.post("/credentials/mine/attestation.pdf").status_code == 403
    assert not participant.credentials.exists()
    client.force_login(amira)
    assert "attestation.pdf" in client.get("/credentials/mine/").content.decode()


# --- Coordinators --------------------------------------------------------------------------

def test_a_coordinator_confirms_skills_of_their_cities_only(client, city, other_city, amira):
    skill = services.skill_propose(person=amira, label="Cuisine persane")
    stranger = coordinator(other_city)
    force_staff_login(client, stranger)
    assert b"Cuisine persane" not in client.get("/credentials/staff/skills/").content
    assert client.post(f"/credentials/staff/skills/{skill.pk}/decide/",
                       {"decision": "confirm"}).status_code == 404
    assert client.get(f"/credentials/staff/leaders/{amira.pk}/").status_code == 404
    own = coordinator(city)
    force_staff_login(client, own)
    assert b"Cuisine persane" in client.get("/credentials/staff/skills/").content
    client.post(f"/credentials/staff/skills/{skill.pk}/decide/", {"decision": "confirm"})
    skill.refresh_from_db()
    assert skill.status == "confirmed" and skill.decided_by == own
    from interra.core.models import AuditLogEntry

    assert AuditLogEntry.objects.filter(actor=own, action="view",
                                        subject="credentials.leaderskill:waiting").exists()
    client.get(f"/credentials/staff/leaders/{amira.pk}/")
    assert AuditLogEntry.objects.filter(
        actor=own, subject=f"accounts.user:{amira.pk}:credentials").exists()


def test_a_coordinator_awards_and_withdraws_a_badge(client, city, amira):
    own = coordinator(city)
    force_staff_login(client, own)
    response = client.post(f"/credentials/staff/leaders/{amira.pk}/",
                           {"achievement": Achievement.CO_LEADER})
    assert response.status_code == 302
    awarded = amira.credentials.get(achievement=Achievement.CO_LEADER)
    assert awarded.awarded_by == own
    again = client.post(f"/credentials/staff/leaders/{amira.pk}/",
                        {"achievement": Achievement.CO_LEADER})
    assert again.status_code == 409
    client.post(f"/credentials/staff/credentials/{awarded.pk}/revoke/")
    awarded.refresh_from_db()
    assert awarded.is_revoked


def test_staff_pages_need_the_second_factor_and_a_coordinator(client, city, amira):
    client.force_login(amira)
    assert client.get("/credentials/staff/skills/").status_code in (302, 403)
    plain = UserFactory()
    client.force_login(plain)
    assert client.get(f"/credentials/staff/leaders/{amira.pk}/").status_code in (302, 403)


def test_the_jwks_never_shows_a_private_member(client, amira):
    body = client.get("/credentials/jwks.json").content.decode()
    for member in ('"d"', '"p"', '"q"', '"dp"', '"dq"', '"qi"'):
        assert member not in body
    assert json.loads(body)["keys"][0]["kty"] == "RSA"


def test_deciding_a_skill_never_sends_the_coordinator_to_another_site(client, city, amira):
    own = coordinator(city)
    force_staff_login(client, own)
    skill = services.skill_propose(person=amira, label="Cuisine persane")
    response = client.post(f"/credentials/staff/skills/{skill.pk}/decide/",
                           {"decision": "confirm", "next": "https://evil.example/login"})
    assert response.status_code == 302
    assert response["Location"] == "/credentials/staff/skills/"
    other = services.skill_propose(person=amira, label="Couture")
    back = client.post(f"/credentials/staff/skills/{other.pk}/decide/",
                       {"decision": "confirm", "next": f"/credentials/staff/leaders/{amira.pk}/"})
    assert back["Location"] == f"/credentials/staff/leaders/{amira.pk}/"


def test_badges_shown_alone_do_not_open_the_figures_or_skills_the_leader_kept_private(
        client, amira, city):
    """Only "my badges" ticked: a badge's verification page states the figures, and the
    attestation's the confirmed skills too; the public page must not link to them."""
    skill = services.skill_propose(person=amira, label="Cuisine persane")
    services.skill_decide(skill=skill, by=coordinator(city), confirm=True)
    badge = services.credential_award(person=amira, achievement=Achievement.CO_LEADER,
                                      by=coordinator(city))
    attestation = services.attestation_issue(person=amira)
    services.portfolio_update(person=amira, is_public=True, show_badges=True)
    slug = amira.portfolio.public_slug
    page = client.get(f"/credentials/p/{slug}/").content.decode()
    assert "/credentials/verify/" not in page
    # Figures shown too: the badges link to their verification; the attestation only
    # once the skills are shown as well.
    services.portfolio_update(person=amira, is_public=True, show_badges=True,
                              show_figures=True)
    page = client.get(f"/credentials/p/{slug}/").content.decode()
    assert f"/credentials/verify/{badge.pk}/" in page
    assert f"/credentials/verify/{attestation.pk}/" not in page
    services.portfolio_update(person=amira, is_public=True, show_badges=True,
                              show_figures=True, show_skills=True)
    page = client.get(f"/credentials/p/{slug}/").content.decode()
    assert f"/credentials/verify/{attestation.pk}/" in page


def test_a_skill_decision_without_a_known_answer_changes_nothing(client, city, amira):
    """An empty or garbled decision used to decline the leader's skill silently."""
    own = coordinator(city)
    force_staff_login(client, own)
    skill = services.skill_propose(person=amira, label="Cuisine persane")
    for decision in ({}, {"decision": "yes"}, {"decision": "Confirm"}):
        response = client.post(f"/credentials/staff/skills/{skill.pk}/decide/", decision)
        assert response.status_code == 400
        skill.refresh_from_db()
        assert skill.status == "proposed"
    client.post(f"/credentials/staff/skills/{skill.pk}/decide/", {"decision": "decline"})
    skill.refresh_from_db()
    assert skill.status == "declined"
