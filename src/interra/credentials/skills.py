"""The curated ESCO skills Interra offers (data/esco_skills.json; see data/README.md)."""

import json
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA = Path(__file__).parent / "data" / "esco_skills.json"


@cache
def _catalogue() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def esco_skills() -> list[dict]:
    return _catalogue()["skills"]


def esco_skill(uri: str) -> dict | None:
    return next((skill for skill in esco_skills() if skill["uri"] == uri), None)


def esco_label(uri: str, language: str | None = None) -> str:
    """The label in ``language`` (the active one by default), else English."""
    skill = esco_skill(uri)
    if skill is None:
        return uri
    language = (language or get_language() or "fr").split("-")[0]
    return skill["labels"].get(language) or skill["labels"]["en"]


def skill_label(skill, language: str | None = None) -> str:
    """A LeaderSkill's label: the ESCO label in the reader's language, or the leader's
    own words."""
    return esco_label(skill.esco_uri, language) if skill.esco_uri else skill.label


def esco_choices(language: str | None = None) -> list[tuple[str, str]]:
    return sorted(((skill["uri"], esco_label(skill["uri"], language))
                   for skill in esco_skills()), key=lambda pair: pair[1].casefold())
