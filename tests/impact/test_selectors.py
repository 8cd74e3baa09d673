from datetime import date

import pytest

from interra.impact.selectors import Period, impact_figures, small_count, small_share
from tests.factories import UserFactory

from .conftest import YEAR
from .expected import expected_figures, year_period
from .factories import at, make_session, make_workshop, register

pytestmark = pytest.mark.django_db

SIMPLE = ["sessions_held", "workshops_held", "hours", "visits", "people_reached",
          "returning_participants", "newcomer_led_workshops", "newcomer_led_share", "new_ties",
          "lasting_ties", "feedback_average", "no_show_rate", "capacity", "waitlisted_seats",
          "waitlist_pressure", "proposals_received", "proposals_accepted",
          "median_days_to_first_session", "open_tasks", "overdue_tasks"]


def test_small_count_publishes_blocks_of_five():
    """Every published count n means "n to n + 4", like "< 5" means 0 to 4."""
    assert [small_count(n) for n in (0, 1, 4, 5, 9, 12, 628)] == [
        "< 5", "< 5", "< 5", 5, 5, 10, 625]
    assert small_share(3, 10) == "< 5"
    assert small_share(5, 10) == 50.0
    assert small_share(7, 12) == 50.0  # from the blocks (5 / 10), never the exact 7 / 12
    assert small_share(6, 3, whole_is_people=False) == 166.7
    assert small_share(0, 0) is None


def test_every_figure_matches_an_independent_count(dataset, city):
    period = year_period(YEAR)
    figures = impact_figures(cities=[city], period=period)
    expected = expected_figures(city, period)
    for name in SIMPLE:
        assert getattr(figures, name) == expected[name], name
    assert {row["group"]: row["people"] for row in figures.mix} == expected["mix"]
    assert {row["key"]: row["sessions"] for row in figures.themes} == expected["themes"]
    assert sum(row["sessions"] for row in figures.months) == expected["sessions_held"]
    assert [(row["sessions"], row["visits"]) for row in figures.months] == expected["months"]
    assert len(figures.months) == 12  # months without a session are there, at zero
    by_place = {row["label"]: row["sessions"] for row in figures.neighbourhoods}
    assert by_place["Centre"] == expected["neighbourhoods"]["Centre"]
    assert by_place["Outremeuse"] == expected["neighbourhoods"]["Outremeuse"]
    assert sum(by_place.values()) == expected["sessions_held"]
    # The dataset is built so that these are real, visible figures, not all "< 5".
    assert expected["raw_people"] >= 5 and expected["raw_new_ties"] >= 5
    assert expected["raw_lasting"] >= 5
    # Sessions record who scheduled them (agenda 0002); none of these was the leader.
    assert figures.autonomy_measured is True and figures.autonomy_share == 0.0


def test_ties_before_the_period_are_not_new(dataset, city):
    """The held session of the year before makes some pairs old: the next year's new ties
    plus the year before's equal the ties of both years together."""
    both = impact_figures(cities=[city], period=Period(date(YEAR - 1, 1, 1),
                                                       date(YEAR + 1, 1, 1)))
    before = expected_figures(city, year_period(YEAR - 1))["raw_new_ties"]
    during = expected_figures(city, year_period(YEAR))["raw_new_ties"]
    assert both.new_ties == before + during


def test_figures_about_few_people_show_less_than_five(city):
    leader = UserFactory(group="newcomer")
    workshop = make_workshop(city, leader=leader)
    session = make_session(workshop, starts_at=at(date(YEAR, 3, 3)))
    newcomer, local = UserFactory(group="newcomer"), UserFactory(group="local")
    register(session, newcomer)
    register(session, local)
    figures = impact_figures(cities=[city], period=year_period(YEAR))
    assert figures.sessions_held == 1  # sessions are not people: shown as they are
    assert figures.people_reached == "< 5"
    assert figures.visits == "< 5"
    assert figures.new_ties == "< 5"
    assert figures.newcomer_led_workshops == "< 5"
    assert figures.newcomer_led_share == "< 5"
    assert {row["people"] for row in figures.mix} == {"< 5"}
    assert {row["share"] for row in figures.mix} == {"< 5"}


def test_other_cities_are_not_counted(dataset, city, other_city):
    leader = UserFactory(group="local")
    session = make_session(make_workshop(other_city, leader=leader),
                           starts_at=at(date(YEAR, 5, 5)))
    for _ in range(6):
        register(session, UserFactory(group="local"))
    mine = impact_figures(cities=[city], period=year_period(YEAR))
    theirs = impact_figures(cities=[other_city], period=year_period(YEAR))
    both = impact_figures(cities=[city, other_city], period=year_period(YEAR))
    assert theirs.sessions_held == 1 and theirs.people_reached == 5  # 6: block 5 to 9
    assert both.sessions_held == mine.sessions_held + 1
    assert expected_figures(city, year_period(YEAR))["raw_people"] + 6 - both.people_reached in (
        0, 1, 2, 3, 4)


def test_median_delay_ignores_workshops_that_ran_before_their_proposal(city):
    """The demo showed -29 days: running workshops' proposals were dated after their
    first session. Such a workshop has no delay to measure; the others count."""
    from interra.proposals.models import Proposal

    for created, first in ((date(YEAR, 3, 1), date(YEAR, 3, 21)),
                           (date(YEAR, 6, 1), date(YEAR, 5, 2))):
        workshop = make_workshop(city, leader=UserFactory())
        make_session(workshop, starts_at=at(first, 9))
        proposal = Proposal.objects.create(city=city, leader=workshop.leader, title={"fr": "x"},
                                           description={}, title_key=f"k{created}",
                                           workshop=workshop)
        Proposal.objects.filter(pk=proposal.pk).update(created_at=at(created, 9))
    figures = impact_figures(cities=[city], period=year_period(YEAR))
    assert figures.median_days_to_first_session == 20.0


def test_the_demo_shows_a_positive_median_delay():
    from django.core.management import call_command

    from interra.cities.models import City

    call_command("seed_demo", verbosity=0)
    figures = impact_figures(cities=[City.objects.get(slug="liege")],
                             period=Period.this_year())
    assert figures.median_days_to_first_session is not None
    assert figures.median_days_to_first_session > 0
