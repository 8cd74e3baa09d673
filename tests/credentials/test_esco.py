"""The shipped ESCO subset: labels, ESCO's attribution wherever skills are listed, and the
command that checks (and replaces) our labels against ESCO's own CSV export."""

import csv
import io
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from interra.cities.models import Membership, Role
from interra.credentials import services, skills
from interra.credentials.models import Achievement
from tests.factories import CityFactory, coordinator

from .factories import held_sessions, leader

ESCO_SKILL = "http://data.europa.eu/esco/skill/c10d5d87-36cf-42f5-8a12-e560fb5f4af8"
ATTRIBUTION = "data-esco-attribution"


def test_every_concept_has_french_english_and_dutch_labels_and_an_esco_uri():
    catalogue = json.loads(skills.DATA.read_text(encoding="utf-8"))
    assert "European Union" in catalogue["attribution"]
    uris = [skill["uri"] for skill in catalogue["skills"]]
    assert len(uris) == len(set(uris))
    for skill in catalogue["skills"]:
        assert skill["uri"].startswith("http://data.europa.eu/esco/skill/")
        assert all(skill["labels"].get(code) for code in ("en", "fr", "nl")), skill
    # The languages not yet compared with ESCO's are said so, never presented as ESCO's.
    assert not set(catalogue["labels_from_esco"]) & set(catalogue.get("labels_to_check", {}))
    readme = (skills.DATA.parent / "README.md").read_text(encoding="utf-8")
    assert "© European Union" in readme


@pytest.mark.django_db
def test_the_attribution_shows_wherever_esco_skills_are_listed(client, city):
    from pypdf import PdfReader

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    person = leader(preferred_language="en")
    Membership.objects.create(person=person, city=city, role=Role.LEADER)
    held_sessions(person, 3, city=city)
    skill = services.skill_propose(person=person, esco_uri=ESCO_SKILL)
    services.skill_decide(skill=skill, by=coordinator(CityFactory()), confirm=True)
    services.portfolio_update(person=person, is_public=True, show_skills=True)
    badge = person.credentials.get(achievement=Achievement.COOKING_LEADER)

    client.force_login(person)
    own = client.get("/credentials/mine/").content.decode()
    assert ATTRIBUTION in own and "© European Union" in own
    response = client.post("/credentials/mine/attestation.pdf")
    text = " ".join(" ".join(page.extract_text() for page in
                             PdfReader(io.BytesIO(response.content)).pages).split())
    assert "© European Union" in text and "esco.ec.europa.eu" in text
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    public = client.get(f"/credentials/p/{person.portfolio.public_slug}/").content.decode()
    assert "demonstrate intercultural competence" in public and ATTRIBUTION in public
    verify = client.get(f"/credentials/verify/{badge.pk}/").content.decode()
    assert "Skills (ESCO)" in verify and ATTRIBUTION in verify
    # Without any skill listed, no attribution is needed.
    services.portfolio_update(person=person, show_skills=False, show_figures=True)
    public = client.get(f"/credentials/p/{person.portfolio.public_slug}/").content.decode()
    assert ATTRIBUTION not in public


def _esco_csv(tmp_path, rows) -> str:
    path = tmp_path / "skills_fr.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["conceptType", "conceptUri", "skillType", "preferredLabel"])
        for uri, label in rows:
            writer.writerow(["KnowledgeSkillCompetence", uri, "skill/competence", label])
    return str(path)


@pytest.fixture
def catalogue_copy(tmp_path, monkeypatch):
    """The command writes a copy, never the shipped file."""
    copy = tmp_path / "esco_skills.json"
    copy.write_text(skills.DATA.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(skills, "DATA", copy)
    skills._catalogue.cache_clear()
    yield copy
    skills._catalogue.cache_clear()


def test_the_label_check_reports_and_replaces_labels_that_are_not_escos(tmp_path,
                                                                        catalogue_copy):
    catalogue = json.loads(catalogue_copy.read_text(encoding="utf-8"))
    rows = [(s["uri"], s["labels"]["fr"]) for s in catalogue["skills"]]
    rows[0] = (rows[0][0], "libellé d’ESCO")
    path = _esco_csv(tmp_path, rows)
    out = io.StringIO()
    call_command("esco_labels", path, language="fr", stdout=out)
    assert "1 label(s) differ" in out.getvalue() and "libellé d’ESCO" in out.getvalue()
    assert json.loads(catalogue_copy.read_text(encoding="utf-8")) == catalogue  # unchanged
    call_command("esco_labels", path, language="fr", write=True, stdout=io.StringIO())
    written = json.loads(catalogue_copy.read_text(encoding="utf-8"))
    assert written["skills"][0]["labels"]["fr"] == "libellé d’ESCO"
    assert "fr" in written["labels_from_esco"] and "fr" not in written["labels_to_check"]
    assert skills.esco_label(rows[0][0], "fr") == "libellé d’ESCO"


def test_the_label_check_refuses_a_file_that_lacks_our_concepts(tmp_path, catalogue_copy):
    path = _esco_csv(tmp_path, [("http://data.europa.eu/esco/skill/other", "autre")])
    with pytest.raises(CommandError):
        call_command("esco_labels", path, language="fr", write=True, stdout=io.StringIO())
    bad = tmp_path / "bad.csv"
    bad.write_text("uri,label\nx,y\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("esco_labels", str(bad), language="fr", stdout=io.StringIO())
