"""Multilingual content written by people (titles, descriptions).

A field holds one JSON object per value, keyed by language code, as pretix does:
``{"ar": "طبخ سوري", "fr": "Cuisine syrienne"}``. It renders in the reader's language and
falls back to French (the team's language), then English, then whatever exists, so a
proposal written only in Dari still shows something everywhere.
"""

from django.conf import settings
from django.db import models
from django.utils import translation

FALLBACK_ORDER = ("fr", "en")
RTL_LANGUAGES = frozenset(settings.LANGUAGES_BIDI)


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def is_rtl(language_code: str | None) -> bool:
    return (language_code or "").split("-")[0] in RTL_LANGUAGES


def pick_language(value: dict | None, language_code: str | None = None) -> str | None:
    """Which language of ``value`` a reader of ``language_code`` should see, or None."""
    if not value:
        return None
    wanted = (language_code or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for code in (wanted, *FALLBACK_ORDER):
        if (value.get(code) or "").strip():
            return code
    for code, text in value.items():
        if (text or "").strip():
            return code
    return None


def localized(value: dict | str | None, language_code: str | None = None) -> str:
    """The text of ``value`` in the reader's language, with a sensible fallback."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    code = pick_language(value, language_code)
    return value[code] if code else ""


def clean_localized(value: dict | None) -> dict:
    """Drop unknown languages and empty strings; strip whitespace."""
    known = set(language_codes())
    return {
        code: text.strip()
        for code, text in (value or {}).items()
        if code in known and isinstance(text, str) and text.strip()
    }


class LocalizedTextField(models.JSONField):
    """A JSON object {language code: text}; see the module docstring."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)


def activate_person_language(request, person) -> None:
    """Show a page in ``person``'s language (a private link opened on another browser),
    unless the visitor picked a language with the switcher: that choice wins."""
    language = getattr(person, "preferred_language", "") or ""
    if (language in language_codes()
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES):
        translation.activate(language)
        request.LANGUAGE_CODE = language
