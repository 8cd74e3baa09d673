"""A session's card on the agenda list, in Python: the list shows 30 to 150 of them, and
a template include per card was most of a list's rendering time.

The seat figures come from ``services.seat_availability`` and their words from
``seat_texts.summary``, as everywhere else.
"""

from functools import cache, lru_cache

from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.html import escape

from interra.core import dates
from interra.core.i18n import localized, pick_language
from interra.proposals.models import Theme

from . import seat_texts, services
from .seats import SeatAvailability

_PK = 987654321  # replaced by each card's own id in the session page's address


@lru_cache(maxsize=8192)
def _when(language: str, starts_at) -> str:
    # Pure (a language and a moment), and a list repeats the same dates in every view.
    return escape(dates.format_local_datetime(starts_at, "MMMEd", language))


@cache
def _session_url(prefix: str) -> str:
    # Reversed once per script prefix (a card's address differs only by its id).
    return reverse("agenda:session", args=[_PK])


def card_html(session, seats: SeatAvailability | None = None) -> str:
    """``<li>`` of the list for ``session`` (from ``selectors.listed_sessions``, with its
    seats counted, see ``selectors.attach_seat_counts``), in the active language."""
    seats = seats if seats is not None else services.seat_availability(session)
    language = translation.get_language()
    title = session.listed_title
    try:
        theme = str(Theme(session.listed_theme).label)
    except ValueError:
        theme = session.listed_theme
    place = ""
    if session.room_id:
        place = " · " + escape(session.listed_neighbourhood or session.listed_venue)
    url = _session_url(get_script_prefix()).replace(str(_PK), str(session.pk))
    state = "ok" if seats.someone_can_register else "warn"
    return (
        f'<li class="card session-card" data-seats-left="{seats.seats_left}">'
        f'<a href="{url}"><span class="when">'
        f'{_when(language, session.starts_at)}</span> '
        f'<strong lang="{escape(pick_language(title, language) or language)}" dir="auto">'
        f'{escape(localized(title, language))}</strong></a>\n'
        f'<span class="meta">{escape(theme)}{place} · '
        f'<span class="badge {state}">{escape(seat_texts.summary(seats))}</span></span></li>'
    )
