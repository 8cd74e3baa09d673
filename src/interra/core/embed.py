"""The code a partner pastes in their website to show Interra's agenda (the
``<interra-agenda>`` element of ``agenda/static/agenda/widget.js``).

It lives in core because the partner portal (venues) shows it and venues sits below the
agenda (tests/test_architecture.py); it needs nothing of the agenda but its URL name.
"""

from html import escape
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

SCRIPT_PATH = "agenda/widget.js"
DEFAULT_LIMIT = 5


def script_url() -> str:
    """The script's stable address (not the hashed one), so partners get every update."""
    return f"{settings.SITE_URL}{settings.STATIC_URL}{SCRIPT_PATH}"


def agenda_url(city: str = "") -> str:
    url = settings.SITE_URL + reverse("agenda:list")
    return f"{url}?{urlencode({'city': city})}" if city else url


def agenda_link_text() -> str:
    """The link to the whole agenda, named with the platform: it sits on another site."""
    return f"Interra · {_('Agenda')}"


def snippet(*, city: str, language: str, limit: int = DEFAULT_LIMIT) -> str:
    """The HTML a partner pastes in their page: the element, a plain link for browsers
    without JavaScript (or when the platform cannot be reached), and the script."""
    with translation.override(language):
        fallback = agenda_link_text()
    attributes = f'city="{escape(city)}" lang="{escape(language)}" limit="{limit}"'
    return (
        f'<interra-agenda {attributes}>\n'
        f'  <a href="{escape(agenda_url(city))}">{escape(fallback)}</a>\n'
        f'</interra-agenda>\n'
        f'<script src="{escape(script_url())}" async></script>'
    )
