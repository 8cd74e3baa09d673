"""Newcomer-local ties, kept in ``TieMeeting`` rows so the dashboard only has to count.

A *meeting* is one (newcomer, local) pair in one held session that both attended (marks as
registered, active registrations, registered people only): exactly the pairs the
definition in ``selectors.py`` joins. Each meeting links to the pair's previous and next
meeting, network-wide and within its city, so that for a period [start, end):

- the *new* ties are the meetings in the period without a previous meeting (a pair's
  first meeting is unique);
- the *lasting* ties are the meetings in the period that have a previous meeting and no
  next one before ``end`` (the pair's last meeting in the period, when it is not their
  first): at least one session in the period and at least two up to its end.

Both are COUNTs over a range of a covering index. A selection of several cities that is not
the whole network (rare) groups that selection's meetings by pair instead.

Maintenance:

- ``refresh_session`` recomputes one session's pairs and relinks the pairs that changed;
  it is idempotent and runs from ``tasks.refresh_ties_for_session``, which the signal
  handlers in ``signals.py`` enqueue on commit when a registration or a session changes;
- ``sync_stale`` catches sessions changed without a signal (queryset updates, such as the
  reminders job marking ended sessions as held), comparing them with ``TieSessionState``;
- ``rebuild`` recomputes everything (or some cities) in SQL, for data loaded without
  signals (``bulk_create``: the demo, the bench, imports): ``manage.py rebuild_ties``.

Writers take one lock (a transaction-level advisory lock on PostgreSQL; SQLite serialises
writers already), so two refreshes cannot relink the same pair from different snapshots.
"""

from collections import defaultdict
from itertools import product

from django.db import connection, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q

from interra.accounts.models import Group
from interra.agenda.models import Registration, Session
from interra.cities.models import City

from .models import TieMeeting, TieSessionState

ACTIVE_STATUSES = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
LINK_FIELDS = ("previous_at", "next_at", "previous_in_city_at", "next_in_city_at")
# Above this many stale sessions a full rebuild in SQL is faster than refreshing each.
STALE_REBUILD_THRESHOLD = 200
ADVISORY_LOCK_KEY = 7_201_844_113  # "impact ties": any constant unique to this lock


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


# --- Maintenance ------------------------------------------------------------------------

def _session_pairs(session_id: int) -> set[tuple[int, int]]:
    rows = Registration.objects.filter(
        session_id=session_id, attended=True, status__in=ACTIVE_STATUSES,
        person__isnull=False, group__in=(Group.NEWCOMER, Group.LOCAL),
    ).values_list("person_id", "group")
    newcomers = {person for person, group in rows if group == Group.NEWCOMER}
    locals_ = {person for person, group in rows if group == Group.LOCAL}
    return set(product(newcomers, locals_))


def _links(meetings: list) -> dict[int, tuple]:
    """The four links of each meeting of one pair (``meetings``: rows of that pair)."""
    ordered = sorted(meetings, key=lambda m: (m["starts_at"], m["session_id"]))
    links = {m["pk"]: [None, None, None, None] for m in ordered}
    for before, after in zip(ordered, ordered[1:], strict=False):
        links[after["pk"]][0] = before["starts_at"]
        links[before["pk"]][1] = after["starts_at"]
    by_city = defaultdict(list)
    for m in ordered:
        by_city[m["city_id"]].append(m)
    for rows in by_city.values():
        for before, after in zip(rows, rows[1:], strict=False):
            links[after["pk"]][2] = before["starts_at"]
            links[before["pk"]][3] = after["starts_at"]
    return {pk: tuple(values) for pk, values in links.items()}


def _relink(pairs: set[tuple[int, int]]) -> int:
    """Recompute the links of every meeting of ``pairs``; returns how many rows changed."""
    if not pairs:
        return 0
    by_newcomer = defaultdict(set)
    for newcomer, local in pairs:
        by_newcomer[newcomer].add(local)
    newcomers = sorted(by_newcomer)
    changed = []
    for index in range(0, len(newcomers), 200):
        chunk = newcomers[index:index + 200]
        locals_ = set().union(*(by_newcomer[n] for n in chunk))
        rows = TieMeeting.objects.filter(newcomer_id__in=chunk, local_id__in=locals_).values(
            "pk", "session_id", "city_id", "starts_at", "newcomer_id", "local_id", *LINK_FIELDS)
        grouped = defaultdict(list)
        for row in rows:
            if row["local_id"] in by_newcomer[row["newcomer_id"]]:
                grouped[(row["newcomer_id"], row["local_id"])].append(row)
        for meetings in grouped.values():
            links = _links(meetings)
            for row in meetings:
                if tuple(row[name] for name in LINK_FIELDS) != links[row["pk"]]:
                    changed.append(TieMeeting(pk=row["pk"], **dict(zip(LINK_FIELDS,
                                                                        links[row["pk"]],
                                                                        strict=True))))
    TieMeeting.objects.bulk_update(changed, LINK_FIELDS, batch_size=500)
    return len(changed)


def refresh_session(session_id: int) -> dict[str, int]:
    """Bring one session's meetings and their pairs' links up to date (idempotent).

    A session that is gone, not held, or without both a newcomer and a local present has
    no meetings. Returns what changed, for the task's result and the tests.
    """
    with transaction.atomic():
        _lock()
        session = Session.objects.filter(pk=session_id).values(
            "status", "starts_at", "city_id").first()
        wanted = set()
        if session and session["status"] == Session.Status.HELD:
            wanted = _session_pairs(session_id)
        existing = {
            (row["newcomer_id"], row["local_id"]): row
            for row in TieMeeting.objects.filter(session_id=session_id).values(
                "pk", "newcomer_id", "local_id", "starts_at", "city_id")
        }
        gone = [row["pk"] for pair, row in existing.items() if pair not in wanted]
        added = wanted - existing.keys()
        kept = existing.keys() & wanted
        moved = bool(session) and any(
            existing[pair]["starts_at"] != session["starts_at"]
            or existing[pair]["city_id"] != session["city_id"] for pair in kept)
        if gone:
            TieMeeting.objects.filter(pk__in=gone).delete()
        if moved:
            TieMeeting.objects.filter(session_id=session_id).update(
                starts_at=session["starts_at"], city_id=session["city_id"])
        if added:
            TieMeeting.objects.bulk_create(
                [TieMeeting(session_id=session_id, city_id=session["city_id"],
                            starts_at=session["starts_at"], newcomer_id=newcomer,
                            local_id=local) for newcomer, local in sorted(added)],
                batch_size=500,
            )
        affected = (existing.keys() | wanted) if moved else (existing.keys() ^ wanted)
        relinked = _relink(affected)
        if session:
            TieSessionState.objects.update_or_create(
                session_id=session_id,
                defaults={"status": session["status"], "starts_at": session["starts_at"],
                          "city_id": session["city_id"]},
            )
        else:
            TieSessionState.objects.filter(session_id=session_id).delete()
    return {"added": len(added), "removed": len(gone), "relinked": relinked}


def forget_session(session_id: int) -> None:
    """A session is being deleted: drop its meetings and relink its pairs (same transaction)."""
    with transaction.atomic():
        _lock()
        meetings = TieMeeting.objects.filter(session_id=session_id)
        pairs = set(meetings.values_list("newcomer_id", "local_id"))
        if pairs:
            meetings.delete()
            _relink(pairs)
        TieSessionState.objects.filter(session_id=session_id).delete()


def stale_sessions(city_ids: list[int], before=None) -> list[int]:
    """Sessions of ``city_ids`` (starting before ``before``) whose meetings were computed for
    another status, start or city, or never: one indexed anti-join over the sessions."""
    same_state = TieSessionState.objects.filter(
        session=OuterRef("pk"), status=OuterRef("status"), starts_at=OuterRef("starts_at"),
        city=OuterRef("city"),
    )
    sessions = Session.objects.filter(city_id__in=city_ids)
    if before is not None:
        sessions = sessions.filter(starts_at__lt=before)
    return list(sessions.filter(~Exists(same_state)).order_by().values_list("pk", flat=True))


def sync_stale(city_ids: list[int], before=None) -> int:
    """Refresh the sessions ``stale_sessions`` finds (usually none; a few after the
    reminders job); many of them (a database filled without signals) rebuild everything."""
    stale = stale_sessions(city_ids, before)
    if len(stale) > STALE_REBUILD_THRESHOLD:
        rebuild()
    else:
        for session_id in stale:
            refresh_session(session_id)
    return len(stale)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


@transaction.atomic
def rebuild(*, city_ids: list[int] | None = None) -> int:
    """Recompute the meetings of ``city_ids`` (all cities by default) and their links, in SQL.

    All cities: one INSERT ... SELECT that pairs the registrations and links the meetings
    with window functions. Some cities: their meetings, then the links of every meeting of
    the pairs they hold (a pair may have met in other cities too). Returns the number of
    meetings of those cities.
    """
    _lock()
    everything = city_ids is None
    if everything:
        city_ids = list(City.objects.values_list("pk", flat=True))
        TieMeeting.objects.all().delete()
        TieSessionState.objects.all().delete()
    else:
        TieMeeting.objects.filter(city_id__in=city_ids).delete()
        TieSessionState.objects.filter(
            Q(city_id__in=city_ids) | Q(session__city_id__in=city_ids)).delete()
    if not city_ids:
        return 0

    t, s, r = _table(TieMeeting), _table(Session), _table(Registration)
    rc = {name: _column(Registration, name)
          for name in ("session", "person", "group", "attended", "status")}
    sc = {name: _column(Session, name) for name in ("id", "city", "starts_at", "status")}
    cities = ", ".join(["%s"] * len(city_ids))
    active = ", ".join(["%s"] * len(ACTIVE_STATUSES))

    def present(alias: str) -> str:
        return (f"{alias}.{rc['session']} = s.{sc['id']} AND {alias}.{rc['attended']} = %s"
                f" AND {alias}.{rc['person']} IS NOT NULL AND {alias}.{rc['group']} = %s"
                f" AND {alias}.{rc['status']} IN ({active})")

    pairs_sql = (
        f"SELECT s.{sc['id']} AS session_id, s.{sc['city']} AS city_id,"
        f" s.{sc['starts_at']} AS starts_at, n.{rc['person']} AS newcomer_id,"
        f" l.{rc['person']} AS local_id FROM {s} s"
        f" JOIN {r} n ON {present('n')} JOIN {r} l ON {present('l')}"
        f" WHERE s.{sc['status']} = %s AND s.{sc['city']} IN ({cities})"
    )
    pairs_params = [True, Group.NEWCOMER, *ACTIVE_STATUSES, True, Group.LOCAL,
                    *ACTIVE_STATUSES, Session.Status.HELD, *city_ids]
    order = "ORDER BY starts_at, session_id"
    pair = "PARTITION BY newcomer_id, local_id"
    city_pair = "PARTITION BY city_id, newcomer_id, local_id"
    links = (f"LAG(starts_at) OVER ({pair} {order}), LEAD(starts_at) OVER ({pair} {order}),"
             f" LAG(starts_at) OVER ({city_pair} {order}),"
             f" LEAD(starts_at) OVER ({city_pair} {order})")
    columns = ("session_id, city_id, starts_at, newcomer_id, local_id, previous_at, next_at,"
               " previous_in_city_at, next_in_city_at")
    with connection.cursor() as cursor:
        if everything:
            cursor.execute(
                f"INSERT INTO {t} ({columns}) SELECT session_id, city_id, starts_at,"
                f" newcomer_id, local_id, {links} FROM ({pairs_sql}) AS m", pairs_params)
        else:
            cursor.execute(
                f"INSERT INTO {t} (session_id, city_id, starts_at, newcomer_id, local_id)"
                f" {pairs_sql}", pairs_params)
            cursor.execute(
                f"UPDATE {t} SET previous_at = w.p, next_at = w.n, previous_in_city_at = w.pc,"
                f" next_in_city_at = w.nc FROM (SELECT m.id,"
                f" LAG(starts_at) OVER ({pair} {order}) AS p,"
                f" LEAD(starts_at) OVER ({pair} {order}) AS n,"
                f" LAG(starts_at) OVER ({city_pair} {order}) AS pc,"
                f" LEAD(starts_at) OVER ({city_pair} {order}) AS nc FROM {t} m"
                f" JOIN (SELECT DISTINCT newcomer_id AS pn, local_id AS pl FROM {t}"
                f" WHERE city_id IN ({cities})) AS pairs"
                f" ON m.newcomer_id = pairs.pn AND m.local_id = pairs.pl) AS w"
                f" WHERE {t}.id = w.id", city_ids)
    TieSessionState.objects.bulk_create(
        [TieSessionState(session_id=pk, city_id=city, status=status, starts_at=starts_at)
         for pk, city, status, starts_at in Session.objects.filter(city_id__in=city_ids)
         .order_by().values_list("pk", "city_id", "status", "starts_at").iterator()],
        batch_size=2000,
    )
    return TieMeeting.objects.filter(city_id__in=city_ids).count()


# --- Counting ---------------------------------------------------------------------------

def tie_counts(city_ids: list[int], period) -> tuple[int, int]:
    """(new ties, lasting ties) of the held sessions of ``city_ids`` for ``period``."""
    city_ids = sorted(set(city_ids))
    if not city_ids:
        return 0, 0
    sync_stale(city_ids, period.end_at)
    start, end = period.start_at, period.end_at
    in_period = TieMeeting.objects.filter(starts_at__gte=start, starts_at__lt=end)
    if len(city_ids) == 1:
        totals = in_period.filter(city_id=city_ids[0]).aggregate(
            new=Count("pk", filter=Q(previous_in_city_at__isnull=True)),
            lasting=Count("pk", filter=Q(previous_in_city_at__isnull=False)
                          & (Q(next_in_city_at__isnull=True) | Q(next_in_city_at__gte=end))),
        )
        return totals["new"], totals["lasting"]
    if City.objects.exclude(pk__in=city_ids).exists():
        # Some cities but not all: a pair's history in the other cities must not count.
        pairs = (TieMeeting.objects.filter(city_id__in=city_ids, starts_at__lt=end)
                 .values("newcomer_id", "local_id").order_by()
                 .annotate(first_at=Min("starts_at"), last_at=Max("starts_at"),
                           together=Count("pk")))
        return (pairs.filter(first_at__gte=start).count(),
                pairs.filter(together__gte=2, last_at__gte=start).count())
    totals = in_period.aggregate(
        new=Count("pk", filter=Q(previous_at__isnull=True)),
        lasting=Count("pk", filter=Q(previous_at__isnull=False)
                      & (Q(next_at__isnull=True) | Q(next_at__gte=end))),
    )
    return totals["new"], totals["lasting"]
