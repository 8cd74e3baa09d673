"""The tie meetings follow attendance incrementally, and equal a rebuild from scratch."""

from collections import defaultdict
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from interra.agenda import services as agenda_services
from interra.agenda.models import Registration, Session
from interra.impact import ties
from interra.impact.models import TieMeeting, TieSessionState
from interra.impact.selectors import Period, impact_figures
from tests.factories import CityFactory, UserFactory

from .conftest import YEAR
from .expected import expected_figures, year_period
from .factories import at, build_dataset, make_session, make_workshop, register

pytestmark = pytest.mark.django_db


def snapshot() -> set[tuple]:
    return set(TieMeeting.objects.values_list(
        "session_id", "city_id", "starts_at", "newcomer_id", "local_id", "previous_at",
        "next_at", "previous_in_city_at", "next_in_city_at"))


def independent_ties(city_ids, period: Period) -> tuple[int, int]:
    """New and lasting ties over ``city_ids`` recomputed in Python from the registrations."""
    starts = {s.pk: s.starts_at for s in Session.objects.filter(
        city_id__in=city_ids, status="held", starts_at__lt=period.end_at)}
    together = defaultdict(set)
    by_session = defaultdict(lambda: {"newcomer": set(), "local": set()})
    for r in Registration.objects.filter(session_id__in=starts, attended=True,
                                         person__isnull=False,
                                         status__in=("confirmed", "waitlisted")):
        if r.group in ("newcomer", "local"):
            by_session[r.session_id][r.group].add(r.person_id)
    for session_id, groups in by_session.items():
        for newcomer in groups["newcomer"]:
            for local in groups["local"]:
                together[(newcomer, local)].add(session_id)
    start = period.start_at
    new = sum(1 for ids in together.values() if min(starts[i] for i in ids) >= start)
    lasting = sum(1 for ids in together.values()
                  if len(ids) >= 2 and max(starts[i] for i in ids) >= start)
    return new, lasting


@pytest.fixture
def pair_session(city):
    workshop = make_workshop(city, leader=UserFactory(group="local"))
    session = make_session(workshop, starts_at=at(date(YEAR, 3, 3)))
    newcomer, local = UserFactory(group="newcomer"), UserFactory(group="local")
    return session, register(session, newcomer, attended=None), register(session, local,
                                                                         attended=None)


def test_marking_attendance_adds_the_pair_and_unmarking_removes_it(pair_session):
    session, newcomer, local = pair_session
    assert not TieMeeting.objects.exists()
    agenda_services.attendance_mark(registration=newcomer, attended=True)
    assert not TieMeeting.objects.exists()  # a pair needs both present
    agenda_services.attendance_mark(registration=local, attended=True)
    meeting = TieMeeting.objects.get()
    assert (meeting.session_id, meeting.newcomer_id, meeting.local_id) == (
        session.pk, newcomer.person_id, local.person_id)
    assert meeting.previous_at is None and meeting.next_at is None

    agenda_services.attendance_mark(registration=local, attended=False)
    assert not TieMeeting.objects.exists()
    agenda_services.attendance_mark(registration=local, attended=True)
    assert TieMeeting.objects.count() == 1

    newcomer.status = Registration.Status.CANCELLED
    newcomer.save(update_fields=["status", "cancelled_at"])
    assert not TieMeeting.objects.exists()


def test_a_second_meeting_links_both_and_makes_the_tie_lasting(pair_session, city):
    session, newcomer, local = pair_session
    for registration in (newcomer, local):
        agenda_services.attendance_mark(registration=registration, attended=True)
    later = make_session(session.workshop, starts_at=at(date(YEAR, 5, 5)))
    register(later, newcomer.person)
    register(later, local.person)
    first, second = TieMeeting.objects.order_by("starts_at")
    assert first.next_at == second.starts_at and second.previous_at == first.starts_at
    assert first.next_in_city_at == second.starts_at
    assert ties.tie_counts([city.pk], year_period(YEAR)) == (1, 1)
    # Only the second meeting is in this period: the tie is lasting, not new.
    assert ties.tie_counts([city.pk], Period(date(YEAR, 4, 1), date(YEAR, 6, 1))) == (0, 1)
    # Only the first: new, not lasting (the second is after the end of the period).
    assert ties.tie_counts([city.pk], Period(date(YEAR, 1, 1), date(YEAR, 4, 1))) == (1, 0)

    later.delete()
    meeting = TieMeeting.objects.get()
    assert meeting.next_at is None and meeting.next_in_city_at is None


def test_moving_a_session_moves_its_meetings_and_relinks_them(pair_session):
    session, newcomer, local = pair_session
    for registration in (newcomer, local):
        agenda_services.attendance_mark(registration=registration, attended=True)
    later = make_session(session.workshop, starts_at=at(date(YEAR, 5, 5)))
    register(later, newcomer.person)
    register(later, local.person)
    session.starts_at += timedelta(days=90)  # now after the other one
    session.ends_at += timedelta(days=90)
    session.save()
    moved = TieMeeting.objects.get(session=session)
    other = TieMeeting.objects.get(session=later)
    assert moved.starts_at == session.starts_at
    assert moved.previous_at == other.starts_at and other.previous_at is None
    before = snapshot()
    ties.rebuild()
    assert snapshot() == before


def test_a_session_changed_without_a_signal_is_caught_before_counting(dataset, city):
    """The reminders job marks sessions as held with a queryset update (no signal)."""
    period = year_period(YEAR)
    session = dataset.sessions[3]
    Session.objects.filter(pk=session.pk).update(status=Session.Status.SCHEDULED)
    assert ties.stale_sessions([city.pk]) == [session.pk]
    figures = impact_figures(cities=[city], period=period)
    expected = expected_figures(city, period)
    assert (figures.new_ties, figures.lasting_ties) == (expected["new_ties"],
                                                        expected["lasting_ties"])
    assert not TieMeeting.objects.filter(session=session).exists()
    Session.objects.filter(pk=session.pk).update(status=Session.Status.HELD)
    impact_figures(cities=[city], period=period)
    assert TieMeeting.objects.filter(session=session).exists()
    assert ties.stale_sessions([city.pk]) == []


def test_rebuild_equals_incremental_and_counts_match_across_cities(dataset, city, other_city):
    # Some of the same people meet again in another city: network links span cities.
    shared = [p for p in dataset.people if p.group in ("newcomer", "local")][:10]
    workshop = make_workshop(other_city, leader=UserFactory(group="newcomer"))
    for month in (2, 7):
        session = make_session(workshop, starts_at=at(date(YEAR, month, 20)))
        for person in shared:
            register(session, person)
    incremental = snapshot()
    assert incremental
    assert TieSessionState.objects.count() == Session.objects.count()

    call_command("rebuild_ties", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == incremental
    call_command("rebuild_ties", "--city", other_city.slug,
                 stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == incremental
    TieMeeting.objects.all().delete()
    TieSessionState.objects.all().delete()
    ties.rebuild(city_ids=[city.pk])
    ties.rebuild(city_ids=[other_city.pk])
    assert snapshot() == incremental

    for period in (year_period(YEAR), year_period(YEAR - 1),
                   Period(date(YEAR, 3, 1), date(YEAR, 9, 1))):
        for scope in ([city.pk], [other_city.pk], [city.pk, other_city.pk]):
            assert ties.tie_counts(scope, period) == independent_ties(scope, period), (
                scope, period)
    # A third city makes [city, other_city] a selection that is not the whole network.
    CityFactory()
    period = year_period(YEAR)
    both = [city.pk, other_city.pk]
    assert ties.tie_counts(both, period) == independent_ties(both, period)


def test_a_second_dataset_in_another_city_counts_on_its_own(city, other_city):
    build_dataset(city, YEAR, seed=3)
    build_dataset(other_city, YEAR, seed=5)
    period = year_period(YEAR)
    for scope in ([city.pk], [other_city.pk], [city.pk, other_city.pk]):
        assert ties.tie_counts(scope, period) == independent_ties(scope, period)
    mine = impact_figures(cities=[city], period=period)
    assert mine.new_ties == expected_figures(city, period)["new_ties"]
