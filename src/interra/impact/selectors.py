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

Disclosure control (one definition, used by the dashboard, the CSV, the XLSX and the PDF,
which all render ``ImpactFigures``; docs/data-protection.md, "Disclosure control"):

- a period is always made of whole calendar months (``Period.whole_months``, applied by
  ``impact_figures`` itself), so no two published periods differ by a few days;
- every count of people is published as the block of five it falls in, rounded down
  (``small_count``): "< 5" is 0 to 4, 5 is 5 to 9, 625 is 625 to 629. The difference of two
  such figures is a multiple of 5, never 1 to 4, and two figures alone never narrow a
  count below a range of four values;
- visits are added up month by month from the published monthly blocks: the visits of a
  period are the sum of its months as published, so comparing periods, or a total with
  its months, tells nothing beyond each month's own block; themes and neighbourhoods show
  sessions and workshops (not people), so they are no second breakdown of the visits;
- shares are computed from the published blocks, never from the exact counts.
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
from django.utils.translation import gettext, gettext_noop

from interra.accounts.models import Group
from interra.agenda.models import Feedback, Registration, Session
from interra.proposals.models import Proposal, Stage, Task, Theme

from .extra import extra_figures

SMALL_COUNT_THRESHOLD = 5
SMALL_COUNT_LABEL = "< 5"
ROUNDING_BASE = 5
# Stages a proposal reaches only once it has been accepted.
ACCEPTED_STAGES = (Stage.ACCEPTED, Stage.IN_PREPARATION, Stage.READY, Stage.SCHEDULED,
                   Stage.RUNNING)
ACTIVE_STATUSES = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
MIX_GROUPS = (Group.NEWCOMER, Group.LOCAL, Group.UNDISCLOSED)
# What a session its leader schedules saves the team, step by step: the team's own
# estimate of what a coordinator spends when they schedule it, stated on the page.
STAFF_MINUTES_SAVED_PER_STEP = (
    (gettext_noop("finding a slot and a room that fit"), 20),
    (gettext_noop("asking the partner for the room"), 10),
    (gettext_noop("telling the leader the date and place"), 5),
)


def small_count(n: int | None) -> int | str:
    """A count of people as it may be published: its block of five, rounded down.

    "< 5" for 0 to 4 (zero is hidden too: showing 0 but hiding 1 would tell them apart),
    then 5 for 5 to 9, 10 for 10 to 14 and so on. Every published figure ``n`` thus means
    "``n`` to ``n + 4``", the same width as "< 5", so that no difference of two figures,
    nor a total minus its parts, is a count between 1 and 4.
    """
    n = n or 0
    if n < SMALL_COUNT_THRESHOLD:
        return SMALL_COUNT_LABEL
    return n - n % ROUNDING_BASE


def is_hidden(value) -> bool:
    return value == SMALL_COUNT_LABEL


def small_share(part: int, whole: int, *, whole_is_people: bool = True) -> float | str | None:
    """``part / whole`` as a percentage with one decimal, from the published blocks.

    ``part`` is a count of people: the share is hidden ("< 5") when it is. ``whole`` is
    rounded the same way when it counts people too (not when it counts workshops or seats
    offered), so that a share never tells more than the figures it is built on.
    """
    if not whole:
        return None
    shown_part = small_count(part)
    shown_whole = small_count(whole) if whole_is_people else whole
    if is_hidden(shown_part) or is_hidden(shown_whole):
        return SMALL_COUNT_LABEL
    return round(100 * shown_part / shown_whole, 1)


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

    def whole_months(self) -> "Period":
        """The smallest period of whole calendar months that holds this one.

        The disclosure-control rule: figures are only ever published for whole months, so
        that two periods never differ by a day or a week.
        """
        start = self.start.replace(day=1)
        end = self.end if self.end.day == 1 else _next_month(self.end)
        return Period(start, max(end, _next_month(start)))

    def month_starts(self) -> list[date]:
        """The first day of every month of the period, in order."""
        months, month = [], self.start.replace(day=1)
        while month < self.end:
            months.append(month)
            month = _next_month(month)
        return months

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.min))

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


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
    sessions_by_leaders: int = 0
    staff_minutes_saved: int = 0
    # Figures other apps add (impact.extra), already through small_count.
    extra: list[dict] = field(default_factory=list)

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
            rows.append((gettext("Themes"), f"{row['label']} · " + gettext("workshops"),
                         row["workshops"]))
        for row in self.neighbourhoods:
            rows.append((gettext("Neighbourhoods"), f"{row['label']} · " + gettext("sessions"),
                         row["sessions"]))
            rows.append((gettext("Neighbourhoods"), f"{row['label']} · " + gettext("workshops"),
                         row["workshops"]))
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
            (gettext("Autonomy"), gettext("Sessions scheduled by their leaders"),
             self.sessions_by_leaders),
            (gettext("Autonomy"), gettext("Staff minutes saved (estimate)"),
             self.staff_minutes_saved),
        ]
        rows += [(row["section"], row["label"], row["value"]) for row in self.extra]
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
    figures.newcomer_led_share = small_share(totals["newcomer_led"], totals["workshops"],
                                             whole_is_people=False)


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
    # The visits are published month by month (``_breakdowns``), their total from those.

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
    session; the breakdowns add those rows up. Every month of the period has its row, zero
    when no session was held. The visits of the period are the sum of the months' published
    blocks (see the module's docstring); themes and neighbourhoods count sessions only.
    (Grouping the visits by each breakdown instead joins and scans every visit three
    times, and truncating the date of every visit to its month costs seconds at scale on
    SQLite.)
    """
    theme_labels = dict(Theme.choices)
    not_set = gettext("not set")
    rows = list(sessions.annotate(month=TruncMonth("starts_at")).order_by().values_list(
        "pk", "workshop_id", "workshop__theme", "room__venue__neighbourhood", "month"))
    seats_by_session = dict(visits.values_list("session_id").order_by()
                            .annotate(seats=Sum("seats")))

    themes: dict = {}
    places: dict[str, dict] = {}
    months = {month: {"sessions": 0, "visits": 0} for month in figures.period.month_starts()}
    for pk, workshop_id, theme, neighbourhood, month in rows:
        seats = seats_by_session.get(pk) or 0
        row = themes.setdefault(theme, {"sessions": 0, "workshops": set()})
        row["sessions"] += 1
        row["workshops"].add(workshop_id)
        label = neighbourhood or not_set
        row = places.setdefault(label, {"label": label, "sessions": 0, "workshops": set()})
        row["sessions"] += 1
        row["workshops"].add(workshop_id)
        row = months[_as_date(month).replace(day=1)]
        row["sessions"] += 1
        row["visits"] += seats

    figures.themes = sorted(
        ({"key": key, "label": str(theme_labels.get(key, key)), "sessions": row["sessions"],
          "workshops": len(row["workshops"])}
         for key, row in themes.items()),
        key=lambda row: (-row["sessions"], row["label"]),
    )
    figures.neighbourhoods = sorted(
        ({**row, "workshops": len(row["workshops"])} for row in places.values()),
        key=lambda row: (-row["sessions"], row["label"]),
    )
    # A month without a session shows 0 visits: nobody can have come, so 0 tells nothing.
    figures.months = [
        {"month": month, "label": f"{month:%Y-%m}", "sessions": row["sessions"],
         "visits": small_count(row["visits"]) if row["sessions"] else 0}
        for month, row in sorted(months.items())
    ]
    published = sum(row["visits"] for row in figures.months if not is_hidden(row["visits"]))
    figures.visits = published or SMALL_COUNT_LABEL


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
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
            else round(feedback["average"], 1)
        )

    attendance = Registration.objects.filter(
        status=Registration.Status.CONFIRMED, is_walk_in=False, attended__isnull=False, **held,
    ).aggregate(taken=Count("pk"), absent=Count("pk", filter=Q(attended=False)))
    figures.no_show_rate = small_share(attendance["absent"], attendance["taken"])

    planned = Session.objects.filter(
        city_id__in=city_ids, starts_at__gte=period.start_at, starts_at__lt=period.end_at,
    ).exclude(status=Session.Status.CANCELLED)
    figures.capacity = planned.aggregate(seats=Sum("capacity"))["seats"] or 0
    waitlisted = Registration.objects.filter(
        session__in=planned, status=Registration.Status.WAITLISTED,
    ).aggregate(seats=Sum("seats"))["seats"] or 0
    figures.waitlisted_seats = small_count(waitlisted)
    figures.waitlist_pressure = small_share(waitlisted, figures.capacity, whole_is_people=False)


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
    # A workshop that already ran before its proposal was entered (its history recorded
    # afterwards) has no delay to measure: counting it gave negative medians (-29 days).
    waits = (
        Proposal.objects.filter(city_id__in=city_ids, workshop__isnull=False)
        .annotate(first_at=Min("workshop__sessions__starts_at",
                               filter=~Q(workshop__sessions__status=Session.Status.CANCELLED)))
        .filter(first_at__gte=period.start_at, first_at__lt=period.end_at)
        .filter(first_at__gte=F("created_at"))
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
    figures.sessions_by_leaders = totals["by_leader"]
    figures.staff_minutes_saved = totals["by_leader"] * staff_minutes_per_session()
    figures.autonomy_share = (round(100 * totals["by_leader"] / totals["all"], 1)
                              if totals["all"] else None)


def staff_minutes_per_session() -> int:
    return sum(minutes for _step, minutes in STAFF_MINUTES_SAVED_PER_STEP)


def staff_minutes_steps() -> list[tuple[str, int]]:
    """The estimate, step by step, in the active language (for the page)."""
    return [(gettext(step), minutes) for step, minutes in STAFF_MINUTES_SAVED_PER_STEP]


def impact_figures(*, cities, period: Period) -> ImpactFigures:
    """Every dashboard figure for ``cities`` (a queryset or list of City) over ``period``.

    About twenty queries whatever the volume; the caller has already scoped ``cities`` to
    what the viewer may see (``coordinated_cities``).
    """
    cities = list(cities)
    city_ids = [city.pk for city in cities]
    period = period.whole_months()  # the disclosure-control rule, whoever calls
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
    figures.extra = extra_figures(city_ids=city_ids, period=period, small_count=small_count)
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



def organisation() -> dict:
    """The organisation that signs the report, from the settings (ORGANISATION_*)."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    logo_path = finders.find(settings.ORGANISATION_LOGO) if settings.ORGANISATION_LOGO else None
    logo = ""
    if logo_path and str(logo_path).endswith(".svg"):
        with open(logo_path, encoding="utf-8") as logo_file:
            logo = logo_file.read()
    return {"name": settings.ORGANISATION_NAME, "address": settings.ORGANISATION_ADDRESS,
            "number": settings.ORGANISATION_NUMBER, "logo_svg": logo}


# --- Cities side by side (network admins) ---------------------------------------------

@dataclass
class CitiesTable:
    """The main figures of each city over one period, one column per city and one for the
    network. Each column IS the dashboard's ``ImpactFigures`` for that city alone (for
    all of them, the last): nothing is counted again, so the disclosure-control rules
    hold column by column, and the table tells nobody more than the dashboard filtered
    city by city tells the same network admin."""

    period: Period
    columns: list[dict]
    rows: list[dict]


def _cities_rows(figures: list[ImpactFigures]) -> list[dict]:
    def row(key, label, values, *, percent=False):
        return {"key": key, "label": label, "values": values, "percent": percent}

    rows = [
        row("sessions_held", gettext("Sessions held"), [f.sessions_held for f in figures]),
        row("workshops_held", gettext("Workshops held"), [f.workshops_held for f in figures]),
        row("people_reached", gettext("People reached"), [f.people_reached for f in figures]),
        row("visits", gettext("Visits"), [f.visits for f in figures]),
        row("returning_participants", gettext("Returning participants (2+ sessions)"),
            [f.returning_participants for f in figures]),
    ]
    for index, group in enumerate(MIX_GROUPS):
        label = str(dict(Group.choices)[group])
        rows.append(row(f"mix_{group}", label, [f.mix[index]["people"] for f in figures]))
        rows.append(row(f"mix_{group}_share", f"{label} (%)",
                        [f.mix[index]["share"] for f in figures], percent=True))
    rows += [
        row("new_ties", gettext("New ties"), [f.new_ties for f in figures]),
        row("newcomer_led_share", gettext("Newcomer-led workshops (%)"),
            [f.newcomer_led_share for f in figures], percent=True),
        row("no_show_rate", gettext("No-show rate (%)"), [f.no_show_rate for f in figures],
            percent=True),
        row("feedback_average", gettext("Average feedback (1 to 5)"),
            [f.feedback_average for f in figures]),
        row("feedback_count", gettext("Feedback given"), [f.feedback_count for f in figures]),
    ]
    return rows


def cities_side_by_side(*, cities, period: Period) -> CitiesTable:
    """``impact_figures`` for each of ``cities`` alone, then for all of them together.

    About twenty queries per column: meant for the network's handful of cities."""
    cities = list(cities)
    figures = [impact_figures(cities=[city], period=period) for city in cities]
    columns = [{"slug": city.slug, "name": city.name} for city in cities]
    if len(cities) > 1:
        figures.append(impact_figures(cities=cities, period=period))
        columns.append({"slug": "", "name": gettext("All cities")})
    return CitiesTable(period=period.whole_months(), columns=columns,
                       rows=_cities_rows(figures))
