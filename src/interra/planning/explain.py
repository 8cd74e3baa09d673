"""Why a workshop was not placed, and the smallest change that would place it.

``diagnose`` works on the solver's dataclasses and returns codes with JSON-serialisable
parameters (stored on the plan); ``describe`` turns them into sentences in the reader's
language. The diagnosis checks the workshop alone, relaxing one need at a time in the
order a coordinator would ask the leader: another day or time, another neighbourhood, a
smaller group.
"""

from datetime import datetime

from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .solver import (
    GRID_MINUTES,
    Problem,
    WorkshopNeed,
    _leader_windows,
    candidate_ranges,
    room_fits,
)


def _first_start(problem: Problem, need: WorkshopNeed, rooms, availability=None,
                 busy=None):
    """(room, start offset) of the first place and time where ``need`` fits alone, or None.

    ``busy`` maps a room key to offsets already used by the plan, so a suggestion does not
    point at a slot the plan has just given to someone else."""
    windows = _leader_windows(problem, need, availability)
    best = None
    for room in rooms:
        for spans in candidate_ranges(problem, need, room, windows).values():
            for low, high in spans:
                for start in range(low, high + 1, GRID_MINUTES):
                    end = start + need.duration_minutes
                    taken = (busy or {}).get(room.key, ())
                    if any(a < end + room.cleanup_minutes and start - room.setup_minutes < b
                           for a, b in taken):
                        continue
                    if best is None or start < best[1]:
                        best = (room, start)
                    break
    return best


def _where(problem, room, start) -> dict:
    return {"room": room.name, "neighbourhood": room.neighbourhood,
            "at": problem.moment(start).isoformat()}


def diagnose(problem: Problem, need: WorkshopNeed, missing: int, placements=()) -> dict:
    """{"workshop", "missing", "blocker": {"code", ...}, "suggestion": {"code", ...} | None}."""
    busy = {}
    for placement in placements:
        busy.setdefault(placement.room, []).append(
            (problem.offset(placement.starts_at), problem.offset(placement.ends_at)))
    entry = {"workshop": need.key, "missing": missing, "suggestion": None}
    wants = {"room_kind": need.room_kind, "equipment": sorted(need.equipment),
             "accessibility": sorted(need.accessibility), "group": need.group_size,
             "neighbourhoods": sorted(need.neighbourhoods) if need.neighbourhoods_required
             else [],
             "availability": {str(day): [(a.strftime("%H:%M"), b.strftime("%H:%M"))
                                         for a, b in ranges]
                              for day, ranges in sorted(need.availability.items())}}
    of_kind = [r for r in problem.rooms
               if room_fits(need, r, check_capacity=False, check_neighbourhood=False)]
    if not of_kind:
        entry["blocker"] = {"code": "no_room_with", **wants}
        entry["suggestion"] = {"code": "ask_partner"}
        return entry
    big_enough = [r for r in of_kind if r.capacity >= need.group_size]
    in_place = [r for r in big_enough if room_fits(need, r)]
    fitting = _first_start(problem, need, in_place)
    if fitting is None:
        if not big_enough:
            entry["blocker"] = {"code": "too_big", **wants,
                                "largest": max(r.capacity for r in of_kind)}
        elif not in_place:
            entry["blocker"] = {"code": "none_in_neighbourhood", **wants}
        else:
            entry["blocker"] = {"code": "not_open_when_free", **wants}
        # The smallest change: another day or time, then another neighbourhood, then a
        # smaller group.
        other_time = _first_start(problem, need, in_place, availability={}, busy=busy)
        if other_time:
            entry["suggestion"] = {"code": "other_time", **_where(problem, *other_time)}
            return entry
        elsewhere = [r for r in big_enough if r not in in_place]
        other_place = _first_start(problem, need, elsewhere, busy=busy)
        if other_place:
            entry["suggestion"] = {"code": "other_neighbourhood",
                                   **_where(problem, *other_place)}
            return entry
        smaller = [r for r in of_kind if r.capacity < need.group_size
                   and room_fits(need, r, check_capacity=False)]
        for room in sorted(smaller, key=lambda r: -r.capacity):
            found = _first_start(problem, need, [room], busy=busy)
            if found:
                entry["suggestion"] = {"code": "smaller_group", "size": room.capacity,
                                       **_where(problem, *found)}
                return entry
        return entry
    # It fits alone: the plan gave its places and times to others (or a city policy).
    entry["blocker"] = {"code": "taken", **wants}
    free_now = _first_start(problem, need, in_place, busy=busy)
    if free_now:
        entry["suggestion"] = {"code": "policy", **_where(problem, *free_now)}
        return entry
    other_time = _first_start(problem, need, in_place, availability={}, busy=busy)
    if other_time:
        entry["suggestion"] = {"code": "other_time", **_where(problem, *other_time)}
    return entry


# --- In words ------------------------------------------------------------------------------


def _labels(codes, choices) -> str:
    labels = dict(choices)
    return ", ".join(str(labels.get(code, code)) for code in codes)


def _what(blocker) -> str:
    from interra.proposals.models import RoomKind
    from interra.venues.models import Accessibility, Equipment

    parts = []
    if blocker.get("equipment"):
        parts.append(_labels(blocker["equipment"], Equipment.choices))
    if blocker.get("accessibility"):
        parts.append(_labels(blocker["accessibility"], Accessibility.choices))
    needs = ", ".join(parts)
    if blocker.get("room_kind"):
        kind = _labels([blocker["room_kind"]], RoomKind.choices)
        if needs:
            return _("no room of the kind “%(kind)s” with %(needs)s") % {"kind": kind,
                                                                     "needs": needs}
        return _("no room of the kind “%(kind)s”") % {"kind": kind}
    if needs:
        return _("no room with %(needs)s") % {"needs": needs}
    return _("no room")


def _when(blocker) -> str:
    spans = []
    for day, ranges in blocker.get("availability", {}).items():
        for begin, finish in ranges:
            spans.append(_("%(day)s %(from)s–%(until)s") % {
                "day": WEEKDAYS[int(day)], "from": begin, "until": finish})
    return ", ".join(spans)


def _at(suggestion) -> str:
    moment = datetime.fromisoformat(suggestion["at"])
    from django.utils import timezone

    local = timezone.localtime(moment)
    return _("%(day)s %(date)s at %(time)s, %(room)s (%(place)s)") % {
        "day": WEEKDAYS[local.weekday()], "date": date_format(local, "SHORT_DATE_FORMAT"),
        "time": local.strftime("%H:%M"), "room": suggestion["room"],
        "place": suggestion["neighbourhood"] or "?"}


def describe(entry: dict) -> tuple[str, str]:
    """(what blocks, the smallest change) in the active language."""
    blocker = entry.get("blocker") or {}
    code = blocker.get("code")
    what = _what(blocker)
    when = _when(blocker)
    where = ", ".join(blocker.get("neighbourhoods") or [])
    if code == "no_room_with":
        reason = _("The city has %(what)s.") % {"what": what}
    elif code == "too_big":
        reason = _("The largest suitable room takes %(largest)s people; the group is "
                   "%(group)s.") % {"largest": blocker["largest"], "group": blocker["group"]}
    elif code == "none_in_neighbourhood":
        reason = _("There is %(what)s for %(group)s people in %(where)s.") % {
            "what": what, "group": blocker["group"], "where": where}
    elif code == "not_open_when_free":
        reason = _("There is %(what)s for %(group)s people open when the leader is free "
                   "(%(when)s)") % {"what": what, "group": blocker["group"],
                                    "when": when or _("any time")}
        reason += (_(" in %(where)s.") % {"where": where}) if where else "."
    elif code == "taken":
        reason = _("The rooms and times that fit are given to other workshops in this plan, "
                   "or a city rule (sessions per evening, one theme at a time) keeps it out.")
    else:
        reason = ""
    if entry.get("missing", 0) > 0:
        reason = ngettext("%(count)s session not placed. ", "%(count)s sessions not placed. ",
                          entry["missing"]) % {"count": entry["missing"]} + reason
    suggestion = entry.get("suggestion") or {}
    change = ""
    if suggestion.get("code") == "other_time":
        change = _("Another day or time: %(at)s.") % {"at": _at(suggestion)}
    elif suggestion.get("code") == "other_neighbourhood":
        change = _("Another neighbourhood: %(at)s.") % {"at": _at(suggestion)}
    elif suggestion.get("code") == "smaller_group":
        change = _("A smaller group (%(size)s people): %(at)s.") % {
            "size": suggestion["size"], "at": _at(suggestion)}
    elif suggestion.get("code") == "policy":
        change = _("Free if a city rule is relaxed or another session moves: %(at)s.") % {
            "at": _at(suggestion)}
    elif suggestion.get("code") == "ask_partner":
        change = _("Ask a partner for such a room, or change the needs.")
    return reason, change
