"""A session's card on the agenda list, in Python: the list shows 30 to 150 of them, and
a template include per card was most of a list's rendering time.

The seat figures come from ``services.seat_availability`` and their words from
``seat_texts.summary``, as everywhere else.
"""

from functools import cache, lru_cache

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from interra.core import dates, whatsapp
from interra.core.i18n import localized, pick_language
from interra.proposals.models import Theme

from . import seat_texts, services
from .seats import SeatAvailability

_PK = 987654321  # replaced by each card's own id in the session page's address


@lru_cache(maxsize=8192)
def _when_text(language: str, starts_at) -> str:
    # Pure (a language and a moment), and a list repeats the same dates in every view.
    return dates.format_local_datetime(starts_at, "MMMEd", language)


def _when(language: str, starts_at) -> str:
    return escape(_when_text(language, starts_at))


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
    shown_title = localized(title, language)
    share = whatsapp.share_url(share_text(session, url=settings.SITE_URL + url,
                                          title=shown_title, language=language))
    return (
        f'<li class="card session-card" data-seats-left="{seats.seats_left}">'
        f'<a href="{url}"><span class="when">'
        f'{_when(language, session.starts_at)}</span> '
        f'<strong lang="{escape(pick_language(title, language) or language)}" dir="auto">'
        f'{escape(shown_title)}</strong></a>\n'
        # The city: hidden by the list's style when it shows one city only.
        f'<span class="meta">{escape(theme)}<span class="city"> · {escape(session.listed_city)}'
        f'</span>{place} · '
        f'<span class="badge {state}">{escape(seat_texts.summary(seats))}</span></span> '
        # The visible word stays in the link's name (screen readers and voice control
        # users say what they see); the rest is read only: which session it shares.
        f'<a class="share-whatsapp" href="{escape(share)}">WhatsApp'
        f'<span class="visually-hidden"> · {escape(_share_label(shown_title))}</span></a></li>'
    )


def _share_label(title: str) -> str:
    return gettext("Share on WhatsApp: %(title)s") % {"title": title}


def share_text(session, *, url: str, title: str, language: str | None = None) -> str:
    """What a shared session says, in the active language: its title, its day and time,
    and its public address (``url``, absolute). Text, not HTML."""
    when = _when_text(language or translation.get_language(), session.starts_at)
    return gettext("%(title)s, %(when)s. Free, register here: %(url)s") % {
        "title": title, "when": when, "url": url}
