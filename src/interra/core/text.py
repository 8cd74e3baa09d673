"""What people may type in names and titles, and which dates make sense.

Names and titles are shown to others, in any script. Control characters and the Unicode
direction overrides and isolates (U+202A–U+202E, U+2066–U+2069) can make a name read
backwards or spill its direction onto the text around it ("Trojan Source"), so they are
refused with a clear message; pages show people-written text bidi-isolated (<bdi>,
dir="auto"). The left-to-right and right-to-left marks (U+200E, U+200F, U+061C) are
ordinary in Arabic and Hebrew text and stay allowed.
"""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_DIRECTION_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# C0 controls, DEL and C1 controls; tab, newline and carriage return only in long texts.
_SINGLE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_DIRECTION_CONTROLS}]")
_MULTI_LINE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_DIRECTION_CONTROLS}]")

# Dates the platform can mean: anything else is a typo or a probe (year 1, 9999).
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def forbidden_characters(value: str, *, multiline: bool = False) -> bool:
    pattern = _MULTI_LINE if multiline else _SINGLE_LINE
    return bool(value and pattern.search(value))


def validate_single_line(value) -> None:
    """For names and titles. Raises a translated ValidationError."""
    if isinstance(value, str) and forbidden_characters(value):
        raise ValidationError(
            _("Remove the invisible control or text-direction characters from this text."),
            code="control_characters")


def validate_multiline(value) -> None:
    """For descriptions and notes: line breaks allowed, other controls not."""
    if isinstance(value, str) and forbidden_characters(value, multiline=True):
        raise ValidationError(
            _("Remove the invisible control or text-direction characters from this text."),
            code="control_characters")


def validate_plausible_date(value) -> None:
    """Dates between 2000 and 2100 (the calendars and the database agree on those)."""
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(day, date) and not EARLIEST <= day <= LATEST:
        raise ValidationError(_("Choose a date between %(first)d and %(last)d.")
                              % {"first": EARLIEST.year, "last": LATEST.year},
                              code="date_range")


def check_bookable_times(starts_at: datetime, ends_at: datetime | None = None) -> None:
    """A session or a booking is made or moved only to plausible times in the future.

    Raises DomainError (400) with a translated message; called by the services before
    any lock is taken, so the API, the pages and the commands all refuse the same way.
    """
    from django.utils import timezone

    from .errors import DomainError

    for moment in (starts_at, ends_at):
        if moment is not None and not EARLIEST <= moment.date() <= LATEST:
            raise DomainError(_("Choose a date between %(first)d and %(last)d.")
                              % {"first": EARLIEST.year, "last": LATEST.year},
                              code="date_range")
    if starts_at <= timezone.now():
        raise DomainError(_("Choose a time in the future."), code="past")
