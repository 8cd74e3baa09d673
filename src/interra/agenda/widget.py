"""The agenda on partners' websites: what the embeddable widget reads, and its snippet.

The widget (``static/agenda/widget.js``, a custom element ``<interra-agenda>``) holds no
words of its own: every text it shows comes from here, in the language the host page
asks for, so that translations stay in Django's catalogues. It reads only public data
(the same as the public agenda) and sets no cookie.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from interra.core.embed import (  # noqa: F401  (the widget's API, kept here)
    DEFAULT_LIMIT,
    SCRIPT_PATH,
    agenda_link_text,
    agenda_url,
    script_url,
    snippet,
)
from interra.core.i18n import is_rtl, localized

from . import cache as agenda_cache
from . import seat_texts, selectors, services

MAX_LIMIT = 20
# Browsers and shared caches may keep an answer this long; the seats move, so not long.
MAX_AGE = 60


def widget_language(wanted: str) -> str:
    """The platform's language closest to the host page's ("ar-MA" -> "ar"), else French."""
    try:
        return translation.get_supported_language_variant((wanted or "").strip().lower())
    except LookupError:
        return settings.LANGUAGE_CODE


def _session(session) -> dict:
    venue = session.room.venue if session.room_id else None
    seats = services.seat_availability(session)
    return {
        "id": session.pk,
        "title": localized(session.workshop.title),
        "theme": session.workshop.get_theme_display(),
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "place": venue.name if venue else "",
        "neighbourhood": venue.neighbourhood if venue else "",
        "seats_left": seats.seats_left,
        "full": not seats.someone_can_register,
        "seats_text": seat_texts.summary(seats),
        "url": settings.SITE_URL + session.get_absolute_url(),
    }


def _build(*, city: str, theme: str, limit: int, language: str) -> dict:
    with translation.override(language):
        sessions = selectors.upcoming_sessions(selectors.AgendaFilters(city=city, theme=theme))
        return {
            "language": language,
            "direction": "rtl" if is_rtl(language) else "ltr",
            "time_zone": settings.TIME_ZONE,
            "agenda_url": agenda_url(city),
            "texts": {
                "heading": _("Upcoming sessions"),
                "register_link": _("Register"),
                "all_sessions": agenda_link_text(),
                "empty": _("No upcoming session."),
            },
            "sessions": [_session(s) for s in sessions[:limit]],
        }


def widget_data(*, city: str = "", theme: str = "", limit: int = DEFAULT_LIMIT,
                lang: str = "") -> dict:
    """The next sessions of a city in the host page's language, with the widget's words.

    Kept in the shared cache for a minute under the agenda's listing and seat versions,
    which any change to a session or a registration replaces after commit: one database
    read per language and city, however many partner pages show it.
    """
    language = widget_language(lang)
    limit = max(1, min(limit, MAX_LIMIT))
    query = hashlib.sha1(f"{city}\n{theme}\n{limit}".encode()).hexdigest()
    key = f"agenda:widget:{agenda_cache.version_with_seats()}:{language}:{query}"
    data = cache.get(key)
    if data is None:
        data = _build(city=city, theme=theme, limit=limit, language=language)
        cache.set(key, data, MAX_AGE)
    return data
