"""Dates and times in the reader's language, from CLDR data (Babel).

Django's own formats exist only for the languages it ships; for Tigrinya and Pashto it
falls back to French words, and its Arabic date order is the US one. Babel carries the
Unicode CLDR data for every language we serve: month and weekday names in the right
grammatical form (Ukrainian "2 грудня"), the local order (Arabic "2 ديسمبر 2026"), the
24-hour clock where it is used. Always in the platform's time zone (Brussels).

Numbers and dates that a machine reads (URLs, JSON-LD, iCalendar, CSV) never come here.
"""

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from django.conf import settings
from django.utils import timezone, translation

NAMED_FORMATS = ("short", "medium", "long", "full")


@cache
def babel_locale(language_code: str | None) -> Locale:
    code = (language_code or settings.LANGUAGE_CODE).replace("-", "_")
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(settings.LANGUAGE_CODE)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def as_local(value) -> datetime | date | None:
    """An aware datetime in Brussels time, a date, or None. Accepts ISO strings (what
    message contexts store)."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return None
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, _zone())
        return value.astimezone(_zone())
    if isinstance(value, date):
        return value
    return None


def _locale(language_code):
    return babel_locale(language_code or translation.get_language())


def format_local_date(value, fmt: str = "medium", language_code: str | None = None) -> str:
    """``fmt`` is short/medium/long/full, or a CLDR skeleton such as "MMMEd" (weekday,
    day and month, in the language's own order)."""
    local = as_local(value)
    if local is None:
        return ""
    locale = _locale(language_code)
    if fmt in NAMED_FORMATS:
        day = local.date() if isinstance(local, datetime) else local
        return babel_dates.format_date(day, fmt, locale=locale)
    return babel_dates.format_skeleton(fmt, local, locale=locale)


def format_local_time(value, language_code: str | None = None) -> str:
    local = as_local(value)
    if not isinstance(local, datetime):
        return ""
    return babel_dates.format_time(local, "short", locale=_locale(language_code))


def format_local_datetime(value, fmt: str = "medium", language_code: str | None = None) -> str:
    """The date in ``fmt`` (a named format or a skeleton) and the time (hours and
    minutes), joined the language's way."""
    local = as_local(value)
    if local is None:
        return ""
    if not isinstance(local, datetime):
        return format_local_date(local, fmt, language_code)
    locale = _locale(language_code)
    if fmt in NAMED_FORMATS:
        day = babel_dates.format_date(local.date(), fmt, locale=locale)
        pattern = locale.datetime_formats.get(fmt)
    else:  # a skeleton such as "MMMEd"
        day = babel_dates.format_skeleton(fmt, local, locale=locale)
        pattern = locale.datetime_formats.get("medium")
    return str(pattern or "{1} {0}").replace("'", "").format(
        babel_dates.format_time(local, "short", locale=locale), day)

