"""Time arithmetic for rooms: when a room is open, and what is left once bookings are out.

Pure functions over half-open intervals [start, end) of aware datetimes; no queries here,
so the room finder can work on prefetched rows and the services can reuse the same rules.
"""

from datetime import datetime, timedelta
from functools import lru_cache

from dateutil.rrule import rrulestr
from django.utils import timezone

from interra.core import recurrence

Interval = tuple[datetime, datetime]


@lru_cache(maxsize=2048)
def _parsed_rule(rule: str, dtstart: datetime):
    return rrulestr(rule, dtstart=dtstart)


def validate_rrule(rule: str, dtstart: datetime | None = None) -> None:
    """Raise DomainError when ``rule`` is not an RFC 5545 RRULE dateutil understands, or
    gives no date within two years of ``dtstart`` (cheaply: see core.recurrence)."""
    recurrence.validate(rule, dtstart or datetime(2020, 1, 1))


# Rules whose occurrences do not depend on their first date (no COUNT, no INTERVAL > 1,
# weekdays given or every day): those can be expanded from the window on, instead of from
# a start date months or years ago, which is most of the cost otherwise.
_SHIFTABLE_KEYS = {"FREQ", "BYDAY", "INTERVAL", "UNTIL", "WKST", "BYMONTH", "BYHOUR"}


@lru_cache(maxsize=2048)
def _shiftable(rule: str) -> bool:
    parts = dict(part.split("=", 1) for part in rule.upper().split(";") if "=" in part)
    return (set(parts) <= _SHIFTABLE_KEYS and parts.get("INTERVAL", "1") == "1"
            and (parts.get("FREQ") == "DAILY"
                 or (parts.get("FREQ") == "WEEKLY" and "BYDAY" in parts)))


def _rule_intervals(rule, start: datetime, end: datetime, tz) -> list[Interval]:
    local_start = timezone.localtime(start, tz).replace(tzinfo=None)
    local_end = timezone.localtime(end, tz).replace(tzinfo=None)
    first = datetime.combine(rule.valid_from, rule.opens_at)
    # An occurrence that starts before the window may still be open inside it.
    search_from = max(first, local_start - timedelta(days=1))
    search_to = local_end
    if rule.valid_until:
        search_to = min(search_to, datetime.combine(rule.valid_until, rule.closes_at))
    if search_to < search_from:
        return []
    dtstart = first
    if _shiftable(rule.rrule):
        dtstart = max(first, datetime.combine(search_from.date(), rule.opens_at))
    duration = (datetime.combine(rule.valid_from, rule.closes_at)
                - datetime.combine(rule.valid_from, rule.opens_at))
    intervals = []
    # Bounded at the window's end: a rule that never matches would otherwise be walked
    # to the year 9999 (seconds, under the room lock).
    parsed = recurrence.bounded(_parsed_rule(rule.rrule, dtstart), search_to)
    with recurrence.expansion_ends(search_to):
        occurrences = parsed.between(search_from, search_to, inc=True)
    for occurrence in occurrences:
        opens = timezone.make_aware(occurrence, tz)
        closes = timezone.make_aware(occurrence + duration, tz)
        if closes > start and opens < end:
            intervals.append((max(opens, start), min(closes, end)))
    return intervals


def opening_intervals(rules, start: datetime, end: datetime, *,
                      cache: dict | None = None) -> list[Interval]:
    """The intervals, within [start, end), in which at least one of ``rules`` opens the room.

    Rules hold wall-clock times in the current time zone; each occurrence is made aware
    on its own date, so a rule "14:00–21:00" stays 14:00 across daylight-saving changes.
    ``cache`` (a dict for one window) shares the expansion of identical rules between
    rooms: many rooms open "weekdays 9:00–17:00".
    """
    tz = timezone.get_current_timezone()
    intervals = []
    for rule in rules:
        if cache is None:
            intervals += _rule_intervals(rule, start, end, tz)
            continue
        key = (rule.rrule, rule.valid_from, rule.valid_until, rule.opens_at, rule.closes_at)
        if key not in cache:
            cache[key] = _rule_intervals(rule, start, end, tz)
        intervals += cache[key]
    return merge(intervals)


def merge(intervals) -> list[Interval]:
    merged: list[list[datetime]] = []
    for begin, finish in sorted(intervals):
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], finish)
        else:
            merged.append([begin, finish])
    return [(begin, finish) for begin, finish in merged]


def subtract(intervals, busy) -> list[Interval]:
    """``intervals`` minus every interval of ``busy``."""
    result = []
    busy = merge(busy)
    for begin, finish in intervals:
        cursor = begin
        for busy_begin, busy_end in busy:
            if busy_end <= cursor or busy_begin >= finish:
                continue
            if busy_begin > cursor:
                result.append((cursor, busy_begin))
            cursor = max(cursor, busy_end)
            if cursor >= finish:
                break
        if cursor < finish:
            result.append((cursor, finish))
    return result


def covers(intervals, start: datetime, end: datetime) -> bool:
    """Whether one of ``intervals`` (merged) contains the whole of [start, end)."""
    return any(begin <= start and end <= finish for begin, finish in merge(intervals))


def slot_starts(free, *, duration: timedelta, before: timedelta, after: timedelta,
                step: timedelta = timedelta(minutes=30), limit: int = 3) -> list[datetime]:
    """Up to ``limit`` start times, on ``step`` boundaries, where the session plus its
    buffers fits in one free interval; spread out (at most one per free interval first)."""
    step_seconds = int(step.total_seconds())
    per_interval = []
    for begin, finish in free:
        earliest = begin + before
        epoch = int(earliest.timestamp())
        aligned = earliest + timedelta(seconds=(-epoch) % step_seconds)
        if aligned + duration + after <= finish:
            per_interval.append(aligned)
    return per_interval[:limit]
