"""Printable A4 posters (PDF through WeasyPrint) in French plus chosen languages.

Each carries a QR code (segno) to the session's registration page, so that reception
centres, schools and shops can pin them up and people register from their phone.
"""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from interra.core.i18n import is_rtl, localized

from .models import Session

POSTER_LANGUAGES_MAX = 3


def poster_languages(requested: list[str]) -> list[str]:
    """French first (the team's language), then up to three others that exist."""
    known = {code for code, _name in settings.LANGUAGES}
    chosen = [code for code in requested if code in known and code != "fr"]
    return ["fr", *list(dict.fromkeys(chosen))[:POSTER_LANGUAGES_MAX]]


def qr_data_uri(url: str) -> str:
    # PNG (not SVG) so the image can be pulled out of the PDF and decoded in tests.
    return segno.make(url, error="m").png_data_uri(scale=8, border=4)


def _session_block(session: Session, language: str) -> dict:
    with translation.override(language):
        starts = timezone.localtime(session.starts_at)
        return {
            "language": language,
            "dir": "rtl" if is_rtl(language) else "ltr",
            "title": localized(session.workshop.title, language),
            "description": localized(session.workshop.description, language)[:300],
            "when": formats.date_format(starts, "DATETIME_FORMAT"),
            "free": _("Free, for newcomers and locals together"),
            "register": _("Scan to register"),
            "led_by": _("Led by %(name)s") % {"name": session.workshop.leader.first_name},
        }


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.SRC_DIR)).write_pdf()


def session_poster_pdf(session: Session, languages: list[str]) -> bytes:
    url = settings.SITE_URL + session.get_absolute_url()
    place = ""
    if session.room_id:
        place = f"{session.room.venue.name}, {session.room.venue.address}"
    city = session.city
    html = render_to_string("agenda/poster.html", {
        "session": session, "url": url, "qr": qr_data_uri(url), "place": place,
        # The city's branding, from its settings page (cities.views.city_settings).
        "antenna": f"Interra {city.name}" + (f" · {city.address}" if city.address else ""),
        "footer": city.poster_footer,
        "blocks": [_session_block(session, code) for code in poster_languages(languages)],
    })
    return _pdf(html)


def programme_pdf(city, year: int, month: int, sessions, languages: list[str]) -> bytes:
    from django.urls import reverse

    url = settings.SITE_URL + reverse("agenda:list") + f"?city={city.slug}"
    codes = poster_languages(languages)
    rows = []
    for session in sessions:
        rows.append({
            "session": session,
            "titles": [(code, "rtl" if is_rtl(code) else "ltr",
                        localized(session.workshop.title, code)) for code in codes],
            "when": formats.date_format(timezone.localtime(session.starts_at),
                                        "SHORT_DATETIME_FORMAT"),
        })
    html = render_to_string("agenda/programme.html", {
        "city": city, "year": year, "month": month, "rows": rows, "url": url,
        "qr": qr_data_uri(url),
    })
    return _pdf(html)
