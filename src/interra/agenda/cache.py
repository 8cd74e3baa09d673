"""The agenda list from the shared cache, never stale after a write.

Everyone who asks for the same address in the same language sees the same list, so it is
kept in the shared cache (Redis in production: every app server and process benefits),
in two layers:

- the *page*: the list's HTML with a marker where each session's card goes (for visitors
  who are not signed in, the whole page, with placeholders for the CSRF token and the CSP
  nonce, put in per response). It depends on which sessions match, not on their seats;
- the *cards*: one per session and language, with its seat figures.

Each entry remembers the versions it was made from:

- the *listing version*, replaced after commit by any change to a session, a workshop, a
  room, a venue, a city or a leader: every page and card is then made again;
- the *seat version* of a session (and of its day), replaced after commit by any change
  to one of its registrations (or the session): only that session's cards are made again
  (a small query); the pages that show it are put together again from their cards.

Versions are read before the database, so an entry is never newer than the versions it
carries: a write that commits meanwhile makes it stale at once. A version is a random
62-bit number, replaced (never incremented): a lost version (evicted, a new cache) never
comes back to a value an old entry holds. Entries also carry the time they stop being
true with no write at all: a page when its first session starts (it then drops off the
list) or at midnight (a week without a date is this week); a card when the held seats
open to everyone.

A warm request checks its page against the listing version and the seat versions of the
days it shows (a session's registrations bump its own version and its day's). Each
process keeps the pages it read or made, and, with Redis, a mirror of the versions kept
up to date by Redis's publish/subscribe (``interra.core.cache.RedisCache``): a hit is
then no round trip at all; with another shared cache, one (``get_many``). When a day
moved, the seat versions of the page's sessions of that day are compared, and only the
cards that changed are put in again.
"""

import hashlib
import re
import secrets
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.utils import timezone, translation

LISTING_KEY = "agenda:listing"
SEATS_KEY = "agenda:seats:{}"
DAY_KEY = "agenda:seats-day:{}"
# Any seat anywhere: for small summaries of many sessions (the widget) that cannot afford
# to track days, and are cheap to make again.
ANY_SEATS_KEY = "agenda:seats-any"
CARD_KEY = "agenda:card3:{}:{}"  # language, session
# The shape of the entries: change it with them (old entries are then never read).
PAGE_KEY = "agenda:page5:{}:{}:{}"  # kind, language, address
SESSION_PAGE_KEY = "agenda:session4:{}:{}:{}"  # language, session, address
PAGE_TTL = 600
CARD_TTL = 3600
# Rendered in place of per-request values, replaced in every response.
CSRF_PLACEHOLDER = "agenda-cache-csrf-token-placeholder"
NONCE_PLACEHOLDER = "agenda-cache-csp-nonce-placeholder"
CARD_MARKER = "<!--agenda-card:{}-->"  # user texts are escaped: "<!--" cannot come from them
_CARD_MARKER_RE = re.compile(r"<!--agenda-card:(\d+)-->")


# --- Versions ---------------------------------------------------------------------------

def _fresh() -> int:
    return secrets.randbits(62)


def _current(keys: list[str], found: dict | None = None) -> dict:
    """The current value of each version key (from ``found`` when there), creating the
    missing ones. A key the cache cannot keep (a dummy cache) has no value."""
    found = dict(found or {})
    missing = [key for key in keys if key not in found]
    if missing:
        found.update(_versions(missing))
        for key in missing:
            if key not in found:
                cache.add(key, _fresh(), timeout=None)
        still = [key for key in missing if key not in found]
        if still:
            found.update(cache.get_many(still))
    return {key: found[key] for key in keys if key in found}


def _versions(keys: list[str]) -> dict:
    """The versions found, through this process's copy of them when the shared cache
    keeps one up to date (Redis: see interra.core.cache), else read from it."""
    get_versions = getattr(cache, "get_versions", None)
    return get_versions(keys) if get_versions else cache.get_many(keys)


def _set_versions(values: dict) -> None:
    set_versions = getattr(cache, "set_versions", None)
    if set_versions:
        set_versions(values)
    else:
        cache.set_many(values, timeout=None)


def _bump(key: str) -> None:
    # A new value, never an increment: no read-then-write, so two bumps at once cannot
    # land on one value, whatever the cache backend.
    _set_versions({key: _fresh()})


def version() -> int:
    """The listing version (what other caches of agenda content, e.g. PDFs, key on)."""
    return _current([LISTING_KEY]).get(LISTING_KEY, 0)


def version_with_seats() -> str:
    """The listing version and the any-seat version, in one round trip: for content that
    shows seat figures of many sessions (the widget)."""
    found = _current([LISTING_KEY, ANY_SEATS_KEY])
    return f"{found.get(LISTING_KEY, 0)}-{found.get(ANY_SEATS_KEY, 0)}"


def bump_listing(**_kwargs) -> None:
    transaction.on_commit(lambda: _bump(LISTING_KEY))


def day_key(starts_at) -> str:
    """The seat version of all the sessions of a (local) day: pages check these few keys
    rather than one per session."""
    return DAY_KEY.format(timezone.localtime(starts_at).date().isoformat())


def _bump_seats_of(session_id: int, starts_at) -> None:
    # The session's version before its day's: a page that saw the new day version checks
    # its cards against a session version at least as new (see list_html).
    keys = [SEATS_KEY.format(session_id)] + ([day_key(starts_at)] if starts_at else [])
    keys.append(ANY_SEATS_KEY)
    transaction.on_commit(lambda: _set_versions({key: _fresh() for key in keys}))


def bump_session(sender=None, instance=None, **_kwargs) -> None:
    """After a session changes: the listing, and its seats (capacity, held seats)."""
    bump_listing()
    if instance is not None and instance.pk:
        _bump_seats_of(instance.pk, instance.starts_at)


def bump_seats(sender=None, instance=None, **_kwargs) -> None:
    """After a registration changes: the seats of its session."""
    if instance is not None and instance.session_id:
        from django.core.exceptions import ObjectDoesNotExist

        try:
            starts_at = instance.session.starts_at
        except ObjectDoesNotExist:  # deleted with its session: the listing moves anyway
            starts_at = None
        _bump_seats_of(instance.session_id, starts_at)


def bump_for_person(sender=None, instance=None, created=False, update_fields=None,
                    **_kwargs) -> None:
    """Session pages show their leader's first name: a change to a leader changes the
    listing. New participants and sign-ins (``last_login`` only) change nothing shown."""
    from interra.proposals.models import Workshop

    if created or instance is None or (
            update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    if Workshop.objects.filter(leader_id=instance.pk).exists():
        bump_listing()


# --- Pages ------------------------------------------------------------------------------

def shared_page(request) -> bool:
    """A page the same for everyone: nobody signed in, no message waiting."""
    return not request.user.is_authenticated and not len(get_messages(request))


def personalise(request, html: str) -> bytes:
    """A shared page, encoded, with this request's CSRF token and CSP nonce put in.

    The page is cut at its placeholders and encoded once per process (the same string
    comes back from the process's copy of the page, its hash already known): a request
    joins the pieces with its own token and nonce."""
    pieces = _PREPARED.get(html)
    if pieces is None:
        pieces = [piece.encode() if index % 2 == 0 else piece
                  for index, piece in enumerate(_PLACEHOLDER_RE.split(html))]
        _prepared(html, pieces)
    values = {}
    for placeholder in pieces[1::2]:
        if placeholder in values:
            continue
        if placeholder == CSRF_PLACEHOLDER:
            values[placeholder] = get_token(request).encode()
        else:
            from django.middleware.csp import get_nonce

            nonce = get_nonce(request)  # lazy: false until read, so no "or" here
            values[placeholder] = b"" if nonce is None else str(nonce).encode()
    return b"".join(values[piece] if index % 2 else piece
                    for index, piece in enumerate(pieces))


_PLACEHOLDER_RE = re.compile(f"({CSRF_PLACEHOLDER}|{NONCE_PLACEHOLDER})")
# Page HTML -> its pieces, encoded (per process). Bounded by size: pages made again (a
# write, no shared cache at all) are new strings each time, and must not pile up.
_PREPARED: dict[str, list] = {}
_PREPARED_BUDGET = 24 * 1024 * 1024  # characters of HTML kept (about twice in bytes)
_prepared_size = [0]
_prepared_lock = threading.Lock()


def _prepared(html: str, pieces: list) -> None:
    with _prepared_lock:
        if html in _PREPARED:
            return
        while _PREPARED and _prepared_size[0] + len(html) > _PREPARED_BUDGET:
            oldest = next(iter(_PREPARED))
            del _PREPARED[oldest]
            _prepared_size[0] -= len(oldest)
        _PREPARED[html] = pieces
        _prepared_size[0] += len(html)


def valid_until(*moments) -> float:
    """The earliest of ``moments`` (datetimes or None) and the next local midnight, as a
    timestamp: when an entry stops being true without any write."""
    now = timezone.localtime()
    midnight = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1),
                                                    datetime.min.time()))
    return min(moment.timestamp() for moment in (*moments, midnight) if moment is not None)


class Page(NamedTuple):
    """A list page as kept: the versions it was made from, when it stops being true, and
    its HTML in pieces (``pieces[2 * i + 1]`` is the card of ``ids[i]``), so that a card
    whose seats moved is put in place without making the rest again."""

    listing: int
    until: float
    days: dict  # day key -> seat version of that day
    seats: dict  # session id -> seat version its card was made under
    day_of: dict  # session id -> day key
    ids: list
    pieces: list


_PAGE_DAYS: dict[str, list[str]] = {}  # page key -> its day keys last time (per process)
# Page key -> (entry, its HTML), per process, bounded (~30 kB each).
_PAGES: dict[str, tuple[Page, str]] = {}
_PAGES_MAX = 512


def list_html(request, *, kind: str,
              render: Callable[[], tuple[str, float | Callable[[], float], dict]],
              cards: Callable[[list[int], dict], dict[int, tuple[str, float]]]) -> str:
    """The list (``kind`` "page": the whole page; "body": what goes in ``<main>``).

    ``render()`` returns the HTML with a ``CARD_MARKER`` per session, when it stops being
    true (see ``valid_until``; or a function that says it, called only when the page is
    kept) and the sessions it shows by id; ``cards(ids, sessions)`` returns each
    session's card and when it stops being true (``sessions`` may hold some of them
    already).

    Warm: one ``get_many`` of the listing version, the seat versions of the days the page
    shows and the entry, unless this process keeps it already (each process keeps the
    entries it read or made, and checks them exactly as one from the shared cache: a hit
    then reads a few numbers, not the page). When a day's seats moved, the seat versions
    of the page's sessions of that day are read: unchanged, this process's copy takes the
    day's new version (nothing is written); changed, only those cards are put in again.
    """
    language = translation.get_language() or ""
    digest = hashlib.sha1(request.get_full_path().encode()).hexdigest()
    key = PAGE_KEY.format(kind, language, digest)
    kept = _PAGES.get(key)
    hinted = list(kept[0].days) if kept is not None else _PAGE_DAYS.get(key, [])
    # Kept here: the versions only (no round trip with a mirror of them); else the entry
    # with them.
    found = (_versions([LISTING_KEY, *hinted]) if kept is not None
             else cache.get_many([LISTING_KEY, *hinted, key]))
    listing = _current([LISTING_KEY], found).get(LISTING_KEY)
    if listing is None:  # a cache that keeps nothing (a dummy one): nothing is stored
        return _made(key, language, None, render, cards)
    now = timezone.now().timestamp()
    entry, html = kept if kept is not None else (found.get(key), None)
    if kept is not None and not _holds(entry, listing, now):
        entry, html = cache.get(key), None  # out of date here: another made it again?
    if _holds(entry, listing, now):
        if list(entry.days) != hinted:
            _remember(_PAGE_DAYS, key, list(entry.days))
            found.update(_versions([day for day in entry.days if day not in found]))
        checked = _checked(key, entry, html, found, language, now, cards)
        if checked is not None:
            return checked
    return _made(key, language, listing, render, cards)


def _holds(entry, listing: int, now: float) -> bool:
    return isinstance(entry, Page) and entry.listing == listing and now < entry.until


def _checked(key, entry: Page, html, found: dict, language, now, cards) -> str | None:
    """The page of ``entry`` with its days' versions as in ``found``: as it is, or with
    the cards whose seats moved put in again; None when it must be made again."""
    days = {day: found.get(day) for day in entry.days}
    if None in days.values():  # a day's version was lost: its cards cannot be checked
        return None
    moved = {day for day, version_ in days.items() if entry.days[day] != version_}
    if moved:
        # Did a session of this page change, or only others of the same day? (The days
        # were read before these: a write in between is seen here, or next time.)
        pks = [pk for pk, day in entry.day_of.items() if day in moved]
        now_seats = _versions([SEATS_KEY.format(pk) for pk in pks])
        changed = [pk for pk in pks
                   if now_seats.get(SEATS_KEY.format(pk)) != entry.seats.get(pk)]
        entry = entry._replace(days=days)
        if changed:
            entry = _with_new_cards(entry, changed, now_seats, language, now, cards)
            if entry is None:
                return None
            if html is None:  # read from the shared cache: put it back up to date
                cache.set(key, entry, PAGE_TTL)
            html = None  # (each process puts its own copy up to date, from the cards)
    if html is None or moved:
        html = html if html is not None else "".join(entry.pieces)
        _keep(key, entry, html)
    return html


def _with_new_cards(entry: Page, changed, found, language, now, cards) -> Page | None:
    """``entry`` with the cards of ``changed`` as their seats are now (from the shared
    cache when another process made them, else made here)."""
    found = {**found, **cache.get_many([CARD_KEY.format(language, pk) for pk in changed])}
    html_of, seats = _cards_now(language, entry.listing, changed, found, {}, cards, now)
    if set(seats) != set(changed):  # a session gone: the listing moves anyway
        return None
    pieces = list(entry.pieces)
    for pk, (card_html, _until) in html_of.items():
        pieces[2 * entry.ids.index(pk) + 1] = card_html
    return entry._replace(
        until=min(entry.until, *(until for _html, until in html_of.values())),
        seats={**entry.seats, **seats}, pieces=pieces)


def _made(key, language, listing, render, cards) -> str:
    """The page made from the database (its cards from the shared cache when they are
    still true), kept when every version it depends on is known."""
    html, until, sessions = render()
    pieces = _CARD_MARKER_RE.split(html)
    ids = [int(pk) for pk in pieces[1::2]]
    day_of = {pk: day_key(session.starts_at) for pk, session in sessions.items()}
    now = timezone.now().timestamp()
    # Day versions, then session versions, then the database: never newer than what the
    # entry records (a write meanwhile makes the entry stale, not wrong).
    day_versions = _current(sorted(set(day_of.values()))) if listing is not None else {}
    found = cache.get_many(_card_keys(language, ids)) if listing is not None else {}
    html_of, seats = _cards_now(language, listing, ids, found, sessions, cards, now)
    pieces[1::2] = [html_of[pk][0] if pk in html_of else "" for pk in ids]  # gone: no card
    html = "".join(pieces)
    if (listing is not None and len(day_versions) == len(set(day_of.values()))
            and all(pk in seats and pk in day_of for pk in ids)):
        until = min([until() if callable(until) else until,
                     *(card_until for _html, card_until in html_of.values())])
        entry = Page(listing, until, day_versions, seats, day_of, ids, pieces)
        cache.set(key, entry, PAGE_TTL)
        _remember(_PAGE_DAYS, key, list(day_versions))
        _keep(key, entry, html)
    return html


_SESSION_PAGES: dict[str, tuple] = {}  # as _PAGES, for session pages (~12 kB each)
_SESSION_PAGES_MAX = 2048


def session_html(request, session_id: int, render: Callable[[], tuple[str, float]]) -> str:
    """A session's page for visitors who are not signed in (placeholders for the CSRF
    token and nonce), kept while the listing and that session's seats are unchanged and
    until ``render()``'s second value (it starts, ends, held seats open). One round trip,
    or none when this process keeps the page and a mirror of the versions."""
    language = translation.get_language() or ""
    digest = hashlib.sha1(request.get_full_path().encode()).hexdigest()
    key = SESSION_PAGE_KEY.format(language, session_id, digest)
    seat_key = SEATS_KEY.format(session_id)
    kept = _SESSION_PAGES.get(key)
    found = (_versions([LISTING_KEY, seat_key]) if kept is not None
             else cache.get_many([LISTING_KEY, key, seat_key]))
    listing = _current([LISTING_KEY], found).get(LISTING_KEY)
    seats = _current([seat_key], found).get(seat_key) if listing is not None else None
    now = timezone.now().timestamp()

    def holds(entry) -> bool:
        return (entry is not None and seats is not None and entry[:2] == (listing, seats)
                and now < entry[2])

    if holds(kept):
        return kept[3]
    entry = found.get(key) if kept is None else cache.get(key)  # another made it again?
    if holds(entry):
        _remember(_SESSION_PAGES, key, entry, limit=_SESSION_PAGES_MAX)
        return entry[3]
    html, until = render()  # the versions were read first: never newer than the page
    if seats is not None:
        entry = (listing, seats, until, html)
        cache.set(key, entry, PAGE_TTL)
        _remember(_SESSION_PAGES, key, entry, limit=_SESSION_PAGES_MAX)
    return html


def _keep(key: str, entry: Page, html: str) -> None:
    """Keep a page's entry in this process too: a warm request then reads only the
    versions from the shared cache (a few numbers), not the page. The entry is checked
    against the versions exactly as one read from the shared cache is."""
    _remember(_PAGES, key, (entry, html), limit=_PAGES_MAX)


def _remember(memo: dict, key, value, *, limit: int = 4096) -> None:
    """A per-process memo that never grows past ``limit`` entries (the oldest go first)."""
    if key not in memo:
        while len(memo) >= limit:
            try:  # (another thread may take the same one: the next is then taken)
                memo.pop(next(iter(memo)), None)
            except (StopIteration, RuntimeError):
                break
    memo[key] = value


def _card_keys(language: str, ids) -> list[str]:
    return [key for pk in ids for key in (SEATS_KEY.format(pk), CARD_KEY.format(language, pk))]


def _cards_now(language, listing, ids, found, sessions, cards, now) -> tuple[dict, dict]:
    """The card of each of ``ids`` (html, until) and the seat version it was made under:
    from ``found`` (the shared cache) while it is true, else made now and kept."""
    html_of, seats, stale = {}, {}, []
    for pk in ids:
        card, version_ = found.get(CARD_KEY.format(language, pk)), found.get(
            SEATS_KEY.format(pk))
        if (card is not None and card[0] == listing and version_ is not None
                and card[1] == version_ and now < card[2]):
            html_of[pk], seats[pk] = (card[3], card[2]), version_
        else:
            stale.append(pk)
    if not stale:
        return html_of, seats
    # Seat versions first, then the database: a registration committed meanwhile moves
    # the version, and the card stored here is not used again.
    versions = _current([SEATS_KEY.format(pk) for pk in stale], found) if listing else {}
    made = cards(stale, sessions)
    used = {pk: versions[SEATS_KEY.format(pk)] for pk in made
            if SEATS_KEY.format(pk) in versions}
    if listing is not None and used:
        cache.set_many({CARD_KEY.format(language, pk): (listing, used[pk], made[pk][1],
                                                        made[pk][0]) for pk in used},
                       CARD_TTL)
    return {**html_of, **made}, {**seats, **used}
