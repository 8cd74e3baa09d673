"""Reads for the impact dashboard, exports and yearly report: aggregates only.

Every figure is computed in SQL (values/annotate/aggregate) with a bounded number of
queries whatever the size of the data; nothing here ever returns a person's row.

Definitions (the tests recompute each one in plain Python over their fixtures):

- a *held session* has status "held" and starts in [start, end) in one of the cities;
- a *visit* is one seat of an attended registration (``attended=True``) in a held session:
  a registration for three people who came is three visits;
- *people reached* counts each registered person once, plus every anonymous seat (walk-ins
  and companions), which we cannot recognise again so each counts as one person;
- the *mix* applies the registration's self-declared mark (its snapshot) to all its seats;
- *returning participants* are registered people who attended 2 or more held sessions;
- a *tie* is a newcomer and a local (marks as registered) who both attended the same held
  session; it is *new* in the period when their first shared session is in the period, and
  *lasting* when they shared at least one session in the period and at least two in all up
  to the end of the period;
- the *no-show rate* is, among confirmed registrations (walk-ins excluded) of held sessions
  whose attendance was taken (``attended`` not empty), the share marked absent;
- *waitlist pressure* is waitlisted seats over the capacity of the sessions (not cancelled)
  starting in the period.

Privacy: any figure about fewer than ``SMALL_COUNT_THRESHOLD`` people is shown as "< 5"
through ``small_count``; a share or an average built on fewer than that many people is
hidden the same way.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from interra.accounts.models import Group
from interra.agenda.models import Feedback, Registration, Session
from interra.proposals.models import Proposal, Stage, Task, Theme

SMALL_COUNT_THRESHOLD = 5
SMALL_COUNT_LABEL = "< 5"
# Stages a proposal reaches only once it has been accepted.
ACCEPTED_STAGES = (Stage.ACCEPTED, Stage.IN_PREPARATION, Stage.READY, Stage.SCHEDULED,
                   Stage.RUNNING)
ACTIVE_STATUSES = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
MIX_GROUPS = (Group.NEWCOMER, Group.LOCAL, Group.UNDISCLOSED)


def small_count(n: int | None) -> int | str:
    """A count of people as it may be shown: "< 5" below the threshold (0 included).

    Zero is hidden too: the rule is "aggregates of at least 5", and showing 0 but hiding 1
    would let a reader tell the two apart.
    """
    n = n or 0
    return SMALL_COUNT_LABEL if n < SMALL_COUNT_THRESHOLD else n


def is_hidden(value) -> bool:
    return value == SMALL_COUNT_LABEL


def small_share(part: int, whole: int, *, people: int | None = None) -> float | str | None:
    """``part / whole`` as a percentage with one decimal, hidden when built on < 5 people.

    ``people`` is the number of people the share is about (``part`` by default).
    """
    if not whole:
        return None
    if (people if people is not None else part) < SMALL_COUNT_THRESHOLD:
        return SMALL_COUNT_LABEL
    return round(100 * part / whole, 1)


@dataclass(frozen=True)
class Period:
    """A half-open range of local dates [start, end)."""

    start: date
    end: date

    @classmethod
    def calendar_year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year + 1, 1, 1))

    @classmethod
    def this_year(cls) -> "Period":
        return cls.calendar_year(timezone.localdate().year)

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.min))

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


@dataclass
class ImpactFigures:
    """Everything the dashboard, the exports and the report show; counts of people are
    already passed through ``small_count``."""

    period: Period
    city_names: list[str]
    workshops_held: int = 0
    sessions_held: int = 0
    hours: float = 0.0
    people_reached: int | str = SMALL_COUNT_LABEL
    visits: int | str = SMALL_COUNT_LABEL
    mix: list[dict] = field(default_factory=list)
    returning_participants: int | str = SMALL_COUNT_LABEL
    returning_share: float | str | None = None
    newcomer_led_workshops: int | str = SMALL_COUNT_LABEL
    newcomer_led_share: float | str | None = None
    new_ties: int | str = SMALL_COUNT_LABEL
    lasting_ties: int | str = SMALL_COUNT_LABEL
    themes: list[dict] = field(default_factory=list)
    neighbourhoods: list[dict] = field(default_factory=list)
    months: list[dict] = field(default_factory=list)
    feedback_average: float | str | None = None
    feedback_count: int | str = SMALL_COUNT_LABEL
    no_show_rate: float | str | None = None
    waitlisted_seats: int | str = SMALL_COUNT_LABEL
    capacity: int = 0
    waitlist_pressure: float | str | None = None
    proposals_received: int = 0
    proposals_accepted: int = 0
    median_days_to_first_session: float | None = None
    open_tasks: int = 0
    overdue_tasks: int = 0
    autonomy_share: float | None = None
    autonomy_measured: bool = False

    def rows(self) -> list[tuple[str, str, object]]:
        """Every aggregate as (section, label, value): what the CSV and XLSX exports hold."""
        rows = [
            (gettext("Activities"), gettext("Workshops held"), self.workshops_held),
            (gettext("Activities"), gettext("Sessions held"), self.sessions_held),
            (gettext("Activities"), gettext("Hours of workshops"), self.hours),
            (gettext("Participants"), gettext("People reached"), self.people_reached),
            (gettext("Participants"), gettext("Visits"), self.visits),
            (gettext("Participants"), gettext("Returning participants (2+ sessions)"),
             self.returning_participants),
            (gettext("Participants"), gettext("Returning participants (%)"),
             self.returning_share),
        ]
        for row in self.mix:
            rows.append((gettext("Mix"), str(row["label"]), row["people"]))
            rows.append((gettext("Mix"), f"{row['label']} (%)", row["share"]))
        rows += [
            (gettext("Leaders"), gettext("Newcomer-led workshops"), self.newcomer_led_workshops),
            (gettext("Leaders"), gettext("Newcomer-led workshops (%)"), self.newcomer_led_share),
            (gettext("Ties"), gettext("New ties"), self.new_ties),
            (gettext("Ties"), gettext("Lasting ties"), self.lasting_ties),
        ]
        for row in self.themes:
            rows.append((gettext("Themes"), f"{row['label']} · " + gettext("sessions"),
                         row["sessions"]))
            rows.append((gettext("Themes"), f"{row['label']} · " + gettext("visits"),
                         row["visits"]))
        for row in self.neighbourhoods:
            rows.append((gettext("Neighbourhoods"), f"{row['label']} · " + gettext("sessions"),
                         row["sessions"]))
            rows.append((gettext("Neighbourhoods"), f"{row['label']} · " + gettext("visits"),
                         row["visits"]))
        for row in self.months:
            rows.append((gettext("Months"), f"{row['label']} · " + gettext("sessions"),
                         row["sessions"]))
            rows.append((gettext("Months"), f"{row['label']} · " + gettext("visits"),
                         row["visits"]))
        rows += [
            (gettext("Evaluation"), gettext("Average feedback (1 to 5)"), self.feedback_average),
            (gettext("Evaluation"), gettext("Feedback given"), self.feedback_count),
            (gettext("Evaluation"), gettext("No-show rate (%)"), self.no_show_rate),
            (gettext("Demand"), gettext("Waitlisted seats"), self.waitlisted_seats),
            (gettext("Demand"), gettext("Seats offered"), self.capacity),
            (gettext("Demand"), gettext("Waitlist pressure (%)"), self.waitlist_pressure),
            (gettext("Pipeline"), gettext("Proposals received"), self.proposals_received),
            (gettext("Pipeline"), gettext("Proposals accepted"), self.proposals_accepted),
            (gettext("Pipeline"), gettext("Median days from proposal to first session"),
             self.median_days_to_first_session),
            (gettext("Team"), gettext("Open tasks"), self.open_tasks),
            (gettext("Team"), gettext("Overdue tasks"), self.overdue_tasks),
            (gettext("Autonomy"), gettext("Sessions scheduled by their leaders (%)"),
             self.autonomy_share if self.autonomy_measured else gettext("not measured yet")),
        ]
        return rows


def _held_sessions(city_ids: list[int], period: Period) -> QuerySet[Session]:
    return Session.objects.filter(
        city_id__in=city_ids, status=Session.Status.HELD,
        starts_at__gte=period.start_at, starts_at__lt=period.end_at,
    )


def _visits(city_ids: list[int], period: Period) -> QuerySet[Registration]:
    """Attended registrations (walk-ins included) of the held sessions of the period."""
    return Registration.objects.filter(
        session__city_id__in=city_ids, session__status=Session.Status.HELD,
        session__starts_at__gte=period.start_at, session__starts_at__lt=period.end_at,
        attended=True, status__in=ACTIVE_STATUSES,
    )


def _people(distinct_persons: int, seats: int, identified_registrations: int) -> int:
    # Each identified registration holds its person's own seat; the other seats are
    # anonymous (walk-ins, companions) and count as one person each.
    return (distinct_persons or 0) + (seats or 0) - (identified_registrations or 0)


def _session_figures(figures: ImpactFigures, sessions: QuerySet[Session]) -> None:
    duration = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
    totals = sessions.aggregate(
        sessions=Count("pk"), workshops=Count("workshop", distinct=True),
        duration=Sum(duration),
        newcomer_led=Count("workshop", distinct=True,
                           filter=Q(workshop__leader__group=Group.NEWCOMER)),
    )
    figures.sessions_held = totals["sessions"]
    figures.workshops_held = totals["workshops"]
    total_duration = totals["duration"] or timedelta()
    if not isinstance(total_duration, timedelta):  # some backends answer microseconds
        total_duration = timedelta(microseconds=total_duration)
    figures.hours = round(total_duration.total_seconds() / 3600, 1)
    # Leaders are people: the count and its share follow the small-count rule.
    figures.newcomer_led_workshops = small_count(totals["newcomer_led"])
    figures.newcomer_led_share = small_share(totals["newcomer_led"], totals["workshops"])


def _people_figures(figures: ImpactFigures, visits: QuerySet[Registration]) -> None:
    """People, visits, the mix and returning participants from one grouped query.

    One row per (person, mark) (anonymous seats: one row per mark), added up here: the
    same figures as three aggregates over the visits, for one scan of them instead of three.
    A person's sessions add up across their marks because a person holds at most one
    active registration per session (``registration_one_active_per_person``).
    """
    rows = visits.values_list("person_id", "group").order_by().annotate(
        sessions=Count("session", distinct=True), seats=Sum("seats"), registrations=Count("pk"),
    )
    persons: dict[int, int] = {}  # person -> sessions attended
    seats = identified = 0
    group_persons: dict[str, set] = {}
    group_seats: dict[str, int] = {}
    group_identified: dict[str, int] = {}
    for person, group, sessions, row_seats, registrations in rows:
        row_seats = row_seats or 0
        seats += row_seats
        group_seats[group] = group_seats.get(group, 0) + row_seats
        if person is not None:
            persons[person] = persons.get(person, 0) + sessions
            identified += registrations
            group_persons.setdefault(group, set()).add(person)
            group_identified[group] = group_identified.get(group, 0) + registrations
    people = _people(len(persons), seats, identified)
    figures.people_reached = small_count(people)
    figures.visits = small_count(seats)

    labels = dict(Group.choices)
    by_group = {
        group: _people(len(group_persons.get(group, ())), group_seats[group],
                       group_identified.get(group, 0))
        for group in group_seats
    }
    total_marked = sum(by_group.values())
    figures.mix = [
        {"group": group, "label": labels[group],
         "people": small_count(by_group.get(group, 0)),
         "share": small_share(by_group.get(group, 0), total_marked)}
        for group in MIX_GROUPS
    ]

    returning = sum(1 for sessions in persons.values() if sessions >= 2)
    figures.returning_participants = small_count(returning)
    figures.returning_share = small_share(returning, len(persons))


def _tie_figures(figures: ImpactFigures, city_ids: list[int], period: Period) -> None:
    """New and lasting ties, counted over the maintained tie meetings (see ``ties.py``).

    Two COUNTs over a range of an index, whatever the history; the sessions changed
    without a signal since the last count are refreshed first.
    """
    from .ties import tie_counts

    new_ties, lasting_ties = tie_counts(city_ids, period)
    figures.new_ties = small_count(new_ties)
    figures.lasting_ties = small_count(lasting_ties)


def _breakdowns(figures: ImpactFigures, sessions: QuerySet[Session],
                visits: QuerySet[Registration]) -> None:
    """Themes, neighbourhoods and months: two queries, one row per held session each.

    The sessions with their theme, neighbourhood and month, then the visits summed per
    session; the breakdowns add those rows up. (Grouping the visits by each breakdown
    instead joins and scans every visit three times, and truncating the date of every
    visit to its month costs seconds at scale on SQLite.)
    """
    theme_labels = dict(Theme.choices)
    not_set = gettext("not set")
    rows = list(sessions.annotate(month=TruncMonth("starts_at")).order_by().values_list(
        "pk", "workshop_id", "workshop__theme", "room__venue__neighbourhood", "month"))
    seats_by_session = dict(visits.values_list("session_id").order_by()
                            .annotate(seats=Sum("seats")))

    themes: dict = {}
    places: dict[str, dict] = {}
    months: dict = {}
    for pk, workshop_id, theme, neighbourhood, month in rows:
        seats = seats_by_session.get(pk) or 0
        row = themes.setdefault(theme, {"sessions": 0, "workshops": set(), "visits": 0})
        row["sessions"] += 1
        row["workshops"].add(workshop_id)
        row["visits"] += seats
        label = neighbourhood or not_set
        row = places.setdefault(label, {"label": label, "sessions": 0, "visits": 0})
        row["sessions"] += 1
        row["visits"] += seats
        row = months.setdefault(month, {"sessions": 0, "visits": 0})
        row["sessions"] += 1
        row["visits"] += seats

    figures.themes = sorted(
        ({"key": key, "label": str(theme_labels.get(key, key)), "sessions": row["sessions"],
          "workshops": len(row["workshops"]), "visits": small_count(row["visits"])}
         for key, row in themes.items()),
        key=lambda row: (-row["sessions"], row["label"]),
    )
    figures.neighbourhoods = sorted(
        ({**row, "visits": small_count(row["visits"])} for row in places.values()),
        key=lambda row: (-row["sessions"], row["label"]),
    )
    figures.months = [
        {"label": f"{_as_date(month):%Y-%m}", "sessions": row["sessions"],
         "visits": small_count(row["visits"])}
        for month, row in sorted(months.items())
    ]


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def _evaluation(figures: ImpactFigures, city_ids: list[int], period: Period) -> None:
    held = dict(session__city_id__in=city_ids, session__status=Session.Status.HELD,
                session__starts_at__gte=period.start_at, session__starts_at__lt=period.end_at)
    feedback = Feedback.objects.filter(
        **{f"registration__{key}": value for key, value in held.items()}
    ).aggregate(average=Avg("rating"), count=Count("pk"))
    figures.feedback_count = small_count(feedback["count"])
    if feedback["count"]:
        figures.feedback_average = (
            SMALL_COUNT_LABEL if feedback["count"] < SMALL_COUNT_THRESHOLD
            else round(feedback["average"], 2)
        )

    attendance = Registration.objects.filter(
        status=Registration.Status.CONFIRMED, is_walk_in=False, attended__isnull=False, **held,
    ).aggregate(taken=Count("pk"), absent=Count("pk", filter=Q(attended=False)))
    figures.no_show_rate = small_share(attendance["absent"], attendance["taken"],
                                       people=attendance["taken"])

    planned = Session.objects.filter(
        city_id__in=city_ids, starts_at__gte=period.start_at, starts_at__lt=period.end_at,
    ).exclude(status=Session.Status.CANCELLED)
    figures.capacity = planned.aggregate(seats=Sum("capacity"))["seats"] or 0
    waitlisted = Registration.objects.filter(
        session__in=planned, status=Registration.Status.WAITLISTED,
    ).aggregate(seats=Sum("seats"))["seats"] or 0
    figures.waitlisted_seats = small_count(waitlisted)
    figures.waitlist_pressure = small_share(waitlisted, figures.capacity)


def _pipeline(figures: ImpactFigures, city_ids: list[int], period: Period) -> None:
    received = Proposal.objects.filter(
        city_id__in=city_ids, created_at__gte=period.start_at, created_at__lt=period.end_at,
    ).aggregate(
        received=Count("pk"),
        accepted=Count("pk", filter=Q(stage__in=ACCEPTED_STAGES) | Q(workshop__isnull=False)),
    )
    figures.proposals_received = received["received"]
    figures.proposals_accepted = received["accepted"]

    # One row per workshop whose first session falls in the period: a handful of rows.
    waits = (
        Proposal.objects.filter(city_id__in=city_ids, workshop__isnull=False)
        .annotate(first_at=Min("workshop__sessions__starts_at",
                               filter=~Q(workshop__sessions__status=Session.Status.CANCELLED)))
        .filter(first_at__gte=period.start_at, first_at__lt=period.end_at)
        .values_list("created_at", "first_at")
    )
    days = [(first_at - created_at).total_seconds() / 86400 for created_at, first_at in waits]
    figures.median_days_to_first_session = round(statistics.median(days), 1) if days else None

    tasks = Task.objects.filter(proposal__city_id__in=city_ids, done_at__isnull=True).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=timezone.localdate())),
    )
    figures.open_tasks = tasks["open"]
    figures.overdue_tasks = tasks["overdue"]


def _autonomy(figures: ImpactFigures, sessions: QuerySet[Session]) -> None:
    """Share of held sessions their leader scheduled: measured once sessions record it."""
    field_names = {f.name for f in Session._meta.get_fields()}
    if "scheduled_by" not in field_names:
        figures.autonomy_measured = False
        return
    totals = sessions.aggregate(
        all=Count("pk"), by_leader=Count("pk", filter=Q(scheduled_by=F("workshop__leader"))),
    )
    figures.autonomy_measured = True
    figures.autonomy_share = (round(100 * totals["by_leader"] / totals["all"], 1)
                              if totals["all"] else None)


def impact_figures(*, cities, period: Period) -> ImpactFigures:
    """Every dashboard figure for ``cities`` (a queryset or list of City) over ``period``.

    About twenty queries whatever the volume; the caller has already scoped ``cities`` to
    what the viewer may see (``coordinated_cities``).
    """
    cities = list(cities)
    city_ids = [city.pk for city in cities]
    figures = ImpactFigures(period=period, city_names=[city.name for city in cities])
    sessions = _held_sessions(city_ids, period)
    visits = _visits(city_ids, period)
    _session_figures(figures, sessions)
    _people_figures(figures, visits)
    _tie_figures(figures, city_ids, period)
    _breakdowns(figures, sessions, visits)
    _evaluation(figures, city_ids, period)
    _pipeline(figures, city_ids, period)
    _autonomy(figures, sessions)
    return figures


def partners_for_report(*, cities, period: Period) -> list[dict]:
    """Partner organisations whose venues hosted held sessions in the period (no contacts).

    Organisations, not people: names are shown, never an email or phone.
    """
    from interra.venues.models import Partner

    city_ids = [city.pk for city in cities]
    return list(
        Partner.objects.filter(
            venues__rooms__sessions__city_id__in=city_ids,
            venues__rooms__sessions__status=Session.Status.HELD,
            venues__rooms__sessions__starts_at__gte=period.start_at,
            venues__rooms__sessions__starts_at__lt=period.end_at,
        ).values("name", "kind").order_by("name")
        .annotate(sessions=Count("venues__rooms__sessions", distinct=True))
    )


def highlights_for(*, cities, year: int):
    from .models import ReportHighlight

    return list(ReportHighlight.objects.filter(city__in=cities, year=year)
                .select_related("city").order_by("city__name"))

