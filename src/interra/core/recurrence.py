"""Repeat rules (RFC 5545 RRULE) with bounded cost.

dateutil expands a rule year after year until it finds an occurrence; a rule that can
never match ("every 30 February") walks to the year 9999 first: seconds of CPU, and that
inside a room's write lock. Every expansion here therefore has an end (``until``, never
more than a window after its start) and a time budget, and a rule is checked once,
before any lock, to give at least one date within that window.
"""

import contextlib
import contextvars
import datetime as _datetime_module
import time
import types
import warnings
from datetime import datetime, timedelta

import dateutil.rrule
from dateutil.rrule import rrule as RRule
from dateutil.rrule import rrulestr
from django.utils.translation import gettext as _

from .errors import DomainError

# dateutil stops an expansion that finds nothing only at ``datetime.MAXYEAR`` (9999):
# its UNTIL is checked on dates it finds, so an impossible rule walks day by day to 9999
# (half a minute for FREQ=DAILY). Its module reads MAXYEAR from the ``datetime`` module
# at each year; we give it a view of that module whose MAXYEAR is, inside
# ``expansion_ends``, the end of our window (a context variable: per thread and per
# request), and the real one everywhere else.
_year_limit: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "rrule_year_limit", default=None)


class _DatetimeWithWindow(types.ModuleType):
    def __getattr__(self, name):
        if name == "MAXYEAR":
            limit = _year_limit.get()
            return _datetime_module.MAXYEAR if limit is None else limit
        return getattr(_datetime_module, name)


if not isinstance(dateutil.rrule.datetime, _DatetimeWithWindow):
    dateutil.rrule.datetime = _DatetimeWithWindow("datetime")


@contextlib.contextmanager
def expansion_ends(until: datetime):
    """Within this block, rule expansions give up after ``until``'s year."""
    token = _year_limit.set(min(until.year + 1, _datetime_module.MAXYEAR))
    try:
        yield
    finally:
        _year_limit.reset(token)


# No series or opening rule is planned more than two years ahead.
WINDOW = timedelta(days=2 * 366)
BUDGET_SECONDS = 0.25


def bounded(rule, until: datetime):
    """``rule`` (parsed) that stops at ``until`` at the latest."""
    if not isinstance(rule, RRule):
        return rule
    current = getattr(rule, "_until", None)
    try:
        if current is not None and current <= until:
            return rule
    except TypeError:  # one aware, one naive: the rule was refused when parsed anyway
        return rule
    with warnings.catch_warnings():  # COUNT and UNTIL together: dateutil complains, obeys
        warnings.simplefilter("ignore", DeprecationWarning)
        return rule.replace(until=until)


def parse(text: str, dtstart: datetime):
    try:
        return rrulestr(text, dtstart=dtstart)
    except (ValueError, TypeError, OverflowError, AttributeError) as exc:
        raise DomainError(_("This repeat rule cannot be read."), code="rrule") from exc


def occurrences(text: str, dtstart: datetime, *, limit: int,
                window: timedelta = WINDOW) -> list[datetime]:
    """The dates of ``text`` from ``dtstart``, at most ``limit`` (more is refused) and
    within ``window``; refuses a rule that gives none there, or that takes too long."""
    try:
        until = dtstart + window
    except OverflowError as exc:
        raise DomainError(_("This repeat rule gives no date."), code="rrule") from exc
    parsed = parse(text, dtstart)
    if isinstance(parsed, RRule) and parsed._count is None and parsed._until is None:
        # Without an end the series would be cut at the window: say so instead.
        raise DomainError(_("A series needs an end: a number of sessions (COUNT) or a last "
                            "date (UNTIL)."), code="rrule")
    rule = bounded(parsed, until)
    started = time.monotonic()
    try:
        with expansion_ends(until):
            found = _first(rule, limit + 1, started)
    except (ValueError, OverflowError) as exc:
        raise DomainError(_("This repeat rule gives no date."), code="rrule") from exc
    if len(found) > limit:
        raise DomainError(_("A series can have at most %(count)d sessions.")
                          % {"count": limit}, code="rrule")
    if time.monotonic() - started > BUDGET_SECONDS:
        raise DomainError(_("This repeat rule is too complicated."), code="rrule")
    if not found:
        raise DomainError(_("This repeat rule gives no date in the next two years."),
                          code="rrule")
    return found


def _first(rule, count: int, started: float) -> list[datetime]:
    found = []
    for occurrence in rule:
        found.append(occurrence)
        if len(found) >= count or time.monotonic() - started > BUDGET_SECONDS:
            break
    return found


def validate(text: str, dtstart: datetime) -> None:
    """A rule that can be read and gives at least one date within the window, quickly."""
    until = dtstart + WINDOW
    rule = bounded(parse(text, dtstart), until)
    started = time.monotonic()
    try:
        with expansion_ends(until):
            first = next(iter(rule), None)
    except (ValueError, OverflowError) as exc:
        raise DomainError(_("This repeat rule gives no date."), code="rrule") from exc
    if time.monotonic() - started > BUDGET_SECONDS:
        raise DomainError(_("This repeat rule is too complicated."), code="rrule")
    if first is None:
        raise DomainError(_("This repeat rule gives no date in the next two years."),
                          code="rrule")
