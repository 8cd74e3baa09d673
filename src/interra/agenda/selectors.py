"""Reads of the agenda. Pages and the API get their sessions from here, nowhere else.

The public list runs a fixed number of queries whatever the number of sessions: seats are
counted by correlated subqueries on the page's rows only (never a GROUP BY over all).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from interra.accounts.models import Group
from interra.cities.models import City
from interra.proposals.models import Audience

from .models import Feedback, Registration, Session

FAMILY_AUDIENCES = (Audience.FAMILIES, Audience.CHILDREN, Audience.EVERYONE)


@dataclass
class AgendaFilters:
    city: str = ""
    city_id: int | None = None  # the city of ``city`` when known (no join on its slug)
    date_from: date | None = None
    theme: str = ""
    language: str = ""
    neighbourhood: str = ""
    beginner_french: bool = False
    family: bool = False
    accessible: bool = False
    leader: int | None = None


def _seats_subquery(status: str, group: str | None = None, field: str = "seats"):
    rows = Registration.objects.filter(session=OuterRef("pk"), status=status)
    if group is not None:
        rows = rows.filter(group=group)
    total = rows.order_by().values("session").annotate(total=Sum(field) if field == "seats"
                                                        else Count("pk")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def with_seat_counts(queryset: QuerySet[Session]) -> QuerySet[Session]:
    return queryset.annotate(
        confirmed_seats=_seats_subquery(Registration.Status.CONFIRMED),
        waitlist_count=_seats_subquery(Registration.Status.WAITLISTED, field="count"),
    ).annotate(seats_left=Greatest(F("capacity") - F("confirmed_seats"), Value(0)))


def with_group_seats(queryset: QuerySet[Session]) -> QuerySet[Session]:
    """Seat counts plus confirmed seats per group: what ``services.seat_counts`` reads, so
    a page shows each group the seats it can take without a query per session."""
    confirmed = Registration.Status.CONFIRMED
    return with_seat_counts(queryset).annotate(
        newcomer_seats=_seats_subquery(confirmed, Group.NEWCOMER),
        local_seats=_seats_subquery(confirmed, Group.LOCAL),
    )


def upcoming_sessions(filters: AgendaFilters | None = None, *, now: datetime | None = None
                      ) -> QuerySet[Session]:
    """Scheduled sessions that have not started, soonest first, with seats counted."""
    return with_group_seats(
        _upcoming(filters, now=now).select_related("workshop__leader", "city", "room__venue"))


# What a card of the agenda list shows (cards.py). Reading another field of these rows
# costs a query per card (the list's query-count test fails): add it here. The
# workshop's and venue's columns come as values on the session (``listed_title``...),
# not as related objects: one model instance per card rather than four (building them
# was a fifth of a cold list's time).
LISTED_FIELDS = (
    "starts_at", "ends_at", "capacity", "status", "city_id", "room_id", "workshop_id",
    "newcomer_seats_percent", "local_seats_percent", "hold_release_at",
)
LISTED_VALUES = {
    "listed_title": F("workshop__title"), "listed_theme": F("workshop__theme"),
    "listed_venue": F("room__venue__name"),
    "listed_neighbourhood": F("room__venue__neighbourhood"),
    "listed_city": F("city__name"),
}


def _listed(queryset: QuerySet[Session]) -> QuerySet[Session]:
    return queryset.only(*LISTED_FIELDS).annotate(**LISTED_VALUES)


def listed_sessions(filters: AgendaFilters | None = None, *, now: datetime | None = None
                    ) -> QuerySet[Session]:
    """What the agenda list shows, soonest first, only the columns its cards need, seats
    NOT counted: slice the page, then ``attach_seat_counts`` (one query for the page)."""
    return _listed(_upcoming(filters, now=now))


def listed_page(filters: AgendaFilters | None = None, *, offset: int, limit: int,
                now: datetime | None = None) -> tuple[list[Session], int]:
    """``limit`` listed sessions from ``offset`` (seats NOT counted: see
    ``attach_seat_counts``) and how many sessions match, in ONE query: the count is a
    subquery that does not depend on the row, which SQLite and PostgreSQL compute once.
    The count is 0 when no row comes back (past the last page): count apart then.

    (Counting the seats here too, by correlated subqueries, measured slower than
    ``attach_seat_counts``' one GROUP BY: Django compiles each subquery, and the
    database runs them for the rows an OFFSET skips too.)"""
    now = now or timezone.now()
    matching = _upcoming(filters, now=now).order_by().annotate(
        n=Func(F("pk"), function="COUNT", output_field=IntegerField())).values("n")
    rows = list(listed_sessions(filters, now=now).annotate(
        matching=Subquery(matching, output_field=IntegerField()))[offset:offset + limit])
    return rows, (rows[0].matching if rows else 0)


def next_start(*, now: datetime | None = None) -> datetime | None:
    """When the next scheduled session starts (the status and start index answers)."""
    return (Session.objects.filter(status=Session.Status.SCHEDULED,
                                   starts_at__gt=now or timezone.now())
            .order_by("starts_at").values_list("starts_at", flat=True).first())


def sessions_by_id(ids) -> dict[int, Session]:
    """The sessions ``ids`` with what a card shows (seats not counted), by id."""
    return {session.pk: session
            for session in _listed(Session.objects.filter(pk__in=list(ids)))}


def attach_seat_counts(sessions) -> list[Session]:
    """Set what ``with_group_seats`` annotates (confirmed seats, per group, waitlist) on
    each session, with one query for them all: ``services.seat_counts`` reads these."""
    sessions = list(sessions)
    confirmed, waitlisted = Registration.Status.CONFIRMED, Registration.Status.WAITLISTED
    counts = {session.pk: Counter() for session in sessions}
    if counts:
        rows = (Registration.objects.filter(session_id__in=list(counts),
                                            status__in=[confirmed, waitlisted])
                .order_by().values_list("session_id", "status", "group")
                .annotate(seats=Sum("seats"), people=Count("pk")))
        for session_id, status, group, seats, people in rows:
            found = counts[session_id]
            if status == waitlisted:
                found["waitlist"] += people
            else:
                found["confirmed"] += seats or 0
                found[group] += seats or 0
    for session in sessions:
        found = counts[session.pk]
        session.confirmed_seats = found["confirmed"]
        session.newcomer_seats = found[Group.NEWCOMER]
        session.local_seats = found[Group.LOCAL]
        session.waitlist_count = found["waitlist"]
        session.seats_left = max(session.capacity - session.confirmed_seats, 0)
    return sessions


def _upcoming(filters: AgendaFilters | None, *, now: datetime | None) -> QuerySet[Session]:
    filters = filters or AgendaFilters()
    now = now or timezone.now()
    queryset = Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now)
    if filters.date_from:
        start = timezone.make_aware(datetime.combine(filters.date_from, time.min))
        queryset = queryset.filter(starts_at__gte=max(start, now))
    if filters.city_id:
        queryset = queryset.filter(city_id=filters.city_id)
    elif filters.city:
        queryset = queryset.filter(city__slug=filters.city)
    if filters.theme:
        queryset = queryset.filter(workshop__theme=filters.theme)
    if filters.language:
        # A JSON list of codes; matching the quoted code works on SQLite and PostgreSQL.
        queryset = queryset.annotate(
            languages_text=Cast("workshop__languages", TextField())
        ).filter(languages_text__contains=f'"{filters.language}"')
    if filters.neighbourhood:
        queryset = queryset.filter(room__venue__neighbourhood=filters.neighbourhood)
    if filters.beginner_french:
        queryset = queryset.filter(workshop__beginner_french_welcome=True)
    if filters.family:
        queryset = queryset.filter(workshop__audience__in=FAMILY_AUDIENCES)
    if filters.accessible:
        queryset = queryset.annotate(
            accessibility_text=Cast("room__accessibility", TextField())
        ).filter(room__isnull=False).exclude(accessibility_text__in=["[]", "null", ""])
    if filters.leader:
        queryset = queryset.filter(workshop__leader_id=filters.leader)
    return queryset.order_by("starts_at", "pk")


def sessions_in_week(filters: AgendaFilters, week_start: date) -> QuerySet[Session]:
    """Like ``listed_sessions`` (seats not counted), for the seven days from ``week_start``."""
    start = timezone.make_aware(datetime.combine(week_start, time.min))
    return listed_sessions(filters).filter(starts_at__gte=start,
                                           starts_at__lt=start + timedelta(days=7))


def public_session(session_id: int) -> Session | None:
    """A session anyone may see (cancelled ones too, so old links explain themselves)."""
    # An erased leader's sessions are not public any more (their texts are gone).
    # Seats by ``attach_seat_counts``' one plain query: the four correlated subqueries of
    # ``with_group_seats`` cost more to compile than both queries to run.
    session = (Session.objects.filter(pk=session_id, workshop__leader__erased_at__isnull=True)
               .select_related("workshop__leader", "city", "room__venue").first())
    if session is not None:
        attach_seat_counts([session])
    return session


def feed_sessions(*, city: City | None = None, theme: str = "", leader_id: int | None = None
                  ) -> QuerySet[Session]:
    """Sessions for iCalendar feeds: from a month ago onwards, cancelled ones included."""
    queryset = Session.objects.filter(starts_at__gte=timezone.now() - timedelta(days=31),
                                      workshop__leader__erased_at__isnull=True)
    if city is not None:
        queryset = queryset.filter(city=city)
    if theme:
        queryset = queryset.filter(workshop__theme=theme)
    if leader_id:
        queryset = queryset.filter(workshop__leader_id=leader_id)
    return queryset.select_related("workshop__leader", "city", "room__venue").order_by(
        "starts_at")[:500]


def month_sessions(*, city: City, year: int, month: int) -> QuerySet[Session]:
    start = timezone.make_aware(datetime(year, month, 1))
    end = timezone.make_aware(datetime(year + month // 12, month % 12 + 1, 1))
    return (Session.objects.filter(city=city, starts_at__gte=start, starts_at__lt=end)
            .exclude(status=Session.Status.CANCELLED)
            .select_related("workshop__leader", "room__venue").order_by("starts_at"))


def registration_by_token(token: str) -> Registration | None:
    # An erased person's private links stop working: nothing is left to manage.
    return (Registration.objects.filter(token=token, person__isnull=False,
                                        person__erased_at__isnull=True)
            .select_related("session__workshop__leader", "session__room__venue",
                            "session__city", "person")
            .first())


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person waiting, and so on; None when not on the waitlist."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        session_id=registration.session_id, status=Registration.Status.WAITLISTED).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)).count()
    return ahead + 1


def registrations_of(person) -> dict[str, list[Registration]]:
    """A person's registrations, upcoming (soonest first) and past (latest first)."""
    rows = list(Registration.objects.filter(person=person)
                .select_related("session__workshop", "session__room__venue")
                .order_by("session__starts_at", "pk"))
    now = timezone.now()
    upcoming = [r for r in rows if r.session.ends_at > now]
    past = [r for r in reversed(rows) if r.session.ends_at <= now]
    return {"upcoming": upcoming, "past": past}


# --- Leaders and coordinators -------------------------------------------------------------

def leader_can_run(user, session: Session, *, staff_verified: bool = False) -> bool:
    """The leader or a co-leader of the workshop; or a coordinator of the session's city,
    only when ``staff_verified`` (signed in with password + second factor): a
    coordinator's magic link alone never opens other people's sessions."""
    from interra.cities.selectors import coordinated_cities

    if not user.is_authenticated:
        return False
    workshop = session.workshop
    if workshop.leader_id == user.pk or workshop.co_leaders.filter(pk=user.pk).exists():
        return True
    return staff_verified and coordinated_cities(user).filter(pk=session.city_id).exists()


def sessions_led_by(user) -> QuerySet[Session]:
    since = timezone.now() - timedelta(days=14)
    return (Session.objects.filter(Q(workshop__leader=user) | Q(workshop__co_leaders=user),
                                   starts_at__gte=since)
            .exclude(status=Session.Status.CANCELLED).distinct()
            .select_related("workshop", "room__venue").order_by("starts_at")[:50])


def attendance_list(session: Session) -> list[Registration]:
    """Who is registered, with a ``label`` the leader can tell apart: the first name;
    when two people share it, the initial of the last name; when that is not enough
    either, a number. Nothing more (no phone, no full name): the least that works."""
    registrations = list(Registration.objects.filter(session=session)
                         .exclude(status=Registration.Status.CANCELLED)
                         .select_related("person").order_by("status", "created_at", "pk"))
    label_registrations(registrations)
    return registrations


def label_registrations(registrations: list[Registration]) -> None:
    def first(r):
        return r.display_first_name

    def with_initial(r):
        if not r.person_id:
            return r.display_first_name
        words = (r.display_name or "").split()
        initial = words[-1][:1].upper() if len(words) > 1 else ""
        return f"{r.display_first_name} {initial}." if initial else r.display_first_name

    def key(label):
        return label.casefold()

    firsts = Counter(key(first(r)) for r in registrations)
    labels = [first(r) if firsts[key(first(r))] == 1 else with_initial(r)
              for r in registrations]
    totals, seen = Counter(key(label) for label in labels), Counter()
    for registration, label in zip(registrations, labels, strict=True):
        if totals[key(label)] > 1:
            seen[key(label)] += 1
            label = f"{label} ({seen[key(label)]})"
        registration.label = label


def quoted_feedback_of(person) -> QuerySet[Feedback]:
    """The person's comments they let leaders quote (to take the yes back)."""
    return (Feedback.objects.filter(registration__person=person, quote_consent=True)
            .exclude(comment="").select_related("registration__session__workshop")
            .order_by("-created_at", "-pk"))


def feedback_summary(session: Session) -> dict:
    rows = Feedback.objects.filter(registration__session=session)
    counts = {value: 0 for value in range(1, 6)}
    for row in rows.values("rating").annotate(total=Count("pk")):
        counts[row["rating"]] = row["total"]
    total = sum(counts.values())
    average = (sum(k * v for k, v in counts.items()) / total) if total else None
    comments = list(rows.exclude(comment="").values_list("comment", flat=True)[:50])
    return {"counts": counts, "total": total, "average": average, "comments": comments}


def staff_sessions(user, *, city: City | None = None, past: bool = False) -> QuerySet[Session]:
    """Sessions of the cities ``user`` coordinates, with the mix and attendance counted."""
    from interra.cities.selectors import coordinated_cities

    cities = coordinated_cities(user)
    if city is not None:
        cities = cities.filter(pk=city.pk)
    now = timezone.now()
    queryset = Session.objects.filter(city__in=cities)
    queryset = (queryset.filter(starts_at__lt=now).order_by("-starts_at") if past
                else queryset.filter(starts_at__gte=now).order_by("starts_at"))
    confirmed = Registration.Status.CONFIRMED
    return with_seat_counts(queryset).annotate(
        newcomer_seats=_seats_subquery(confirmed, Group.NEWCOMER),
        local_seats=_seats_subquery(confirmed, Group.LOCAL),
        attended_count=Count("registrations", filter=Q(registrations__attended=True)),
    ).select_related("workshop", "city", "room__venue")


def mix_of(session: Session) -> dict:
    """The mix of a session annotated by ``staff_sessions``, and whether it drifts.

    A session drifts out of balance once a quarter of it is taken (at least 4 seats) and
    one group has less than half of the seats held for it: time to reach out to them.
    """
    taken = session.confirmed_seats
    newcomers, locals_ = session.newcomer_seats, session.local_seats
    missing = []
    if taken >= max(4, session.capacity // 4):
        if newcomers * 2 < session.held_for_newcomers:
            missing.append(Group.NEWCOMER)
        if locals_ * 2 < session.held_for_locals:
            missing.append(Group.LOCAL)
    return {
        "newcomers": newcomers, "locals": locals_,
        "undisclosed": taken - newcomers - locals_, "taken": taken,
        "missing": missing, "drifting": bool(missing),
    }


def staff_session(user, session_id: int) -> Session | None:
    from interra.cities.selectors import coordinated_cities

    return (Session.objects.filter(pk=session_id, city__in=coordinated_cities(user))
               .select_related("workshop__leader", "city", "room__venue")
               .prefetch_related(Prefetch("registrations",
                                          queryset=Registration.objects.select_related("person")))
               .first())


def desk_registrations(session: Session) -> list[Registration]:
    """Everyone registered for ``session`` (cancelled too), for the staff desk: waitlist
    in its order, with the person (staff of the city call them back)."""
    return list(Registration.objects.filter(session=session)
                .select_related("person").order_by("created_at", "pk"))


def session_log(session: Session, limit: int = 50) -> list:
    """The latest staff changes to ``session`` and its registrations: who, when, why."""
    from .models import SessionLogEntry

    return list(SessionLogEntry.objects.filter(session=session)
                .select_related("actor", "registration__person")[:limit])
