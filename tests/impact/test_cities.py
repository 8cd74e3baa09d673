"""Cities side by side: the network admin's table, one column per city, each the same
figures the impact page shows for that city alone (disclosure control included)."""

import csv
import io
import re

import pytest
from django.conf import settings

from interra.accounts.models import User
from tests.conftest import force_staff_login, sign_in_staff
from tests.factories import CityFactory, MembershipFactory, UserFactory, coordinator

from .conftest import YEAR
from .expected import expected_figures, year_period
from .factories import at as local_at
from .factories import build_dataset, make_session, make_workshop, register
from .test_views import page_figure, same

pytestmark = pytest.mark.django_db
PERIOD = {"start": f"{YEAR}-01", "end": f"{YEAR}-12"}
FIGURES = ("sessions_held", "workshops_held", "people_reached", "visits",
           "returning_participants", "new_ties", "newcomer_led_share", "no_show_rate",
           "feedback_average")


@pytest.fixture
def admin_client(client):
    person = UserFactory(is_network_admin=True)
    force_staff_login(client, person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def two_datasets(city, other_city):
    return build_dataset(city, YEAR), build_dataset(other_city, YEAR, seed=11)


def _columns(html: str) -> list[str]:
    head = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    return re.findall(r'<th scope="col" data-city="([^"]*)">', head)


def _row(html: str, name: str) -> list[str]:
    match = re.search(rf'<tr data-figure="{name}"><th scope="row">[^<]*</th>(.*?)</tr>', html)
    assert match, name
    return [cell.replace("\xa0%", "").replace(" %", "")
            for cell in re.findall(r"<td>([^<]*)</td>", match.group(1))]


def test_each_city_column_is_that_citys_independently_counted_figures(
        admin_client, two_datasets, city, other_city, django_assert_max_num_queries):
    with django_assert_max_num_queries(80):
        response = admin_client.get("/impact/cities/", PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert _columns(html) == ["liege", "namur", ""]  # by name, then the network
    for index, each in enumerate((city, other_city)):
        expected = expected_figures(each, year_period(YEAR))
        for name in FIGURES:
            assert same(_row(html, name)[index], expected[name]), (each, name)
        for group in ("newcomer", "local", "undisclosed"):
            assert same(_row(html, f"mix_{group}")[index], expected["mix"][group])
    # No person's name or contact anywhere.
    for person in User.objects.all():
        assert person.display_name not in html and person.email not in html


def test_the_network_column_is_what_the_impact_page_shows_for_all_cities(
        admin_client, two_datasets):
    side = admin_client.get("/impact/cities/", PERIOD).content.decode()
    dashboard = admin_client.get("/impact/", {**PERIOD, "city": ""}).content.decode()
    for name in FIGURES:
        assert _row(side, name)[-1] == page_figure(dashboard, name), name


def test_small_counts_stay_hidden_in_every_column(admin_client, city, other_city):
    # One person came in Namur: the table says "< 5", as the impact page does.
    workshop = make_workshop(other_city, leader=UserFactory())
    session = make_session(workshop, starts_at=local_at(year_period(YEAR).start.replace(day=3)))
    register(session, UserFactory(group="newcomer"), group="newcomer")
    html = admin_client.get("/impact/cities/", PERIOD).content.decode()
    assert _row(html, "sessions_held")[1] == "1"  # sessions are public facts
    for name in ("people_reached", "visits", "mix_newcomer"):
        assert _row(html, name)[1] == "&lt; 5", name
    assert _row(html, "mix_newcomer_share")[1] == "&lt; 5"


def test_csv_holds_the_same_table(admin_client, two_datasets, city):
    CityFactory(name="=HYPERLINK(1)", slug="formula")
    response = admin_client.get("/impact/cities.csv", PERIOD)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'interra-impact-cities-{YEAR}0101-{YEAR}1231.csv"')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Period", f"{YEAR}-01-01", f"{YEAR}-12-31"]
    assert rows[1] == ["Figure", "'=HYPERLINK(1)", "Liège", "Namur", "All cities"]
    by_label = {row[0]: row[1:] for row in rows[2:]}
    expected = expected_figures(city, year_period(YEAR))
    assert by_label["People reached"][1] == str(expected["people_reached"])
    assert by_label["Sessions held"][0] == "0"
    assert by_label["People reached"][0] == "< 5"


def test_a_wrong_period_is_refused_plainly(admin_client):
    assert admin_client.get("/impact/cities/", {"start": "2025-05", "end": "2025-01"}
                            ).status_code == 400
    response = admin_client.get("/impact/cities.csv", {"start": "1-99"})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/plain")


def test_coordinators_cannot_see_the_cities_side_by_side(client, city, other_city):
    person = coordinator(city)
    MembershipFactory(person=person, city=other_city, role="coordinator")  # even of both
    sign_in_staff(client, person)
    for url in ("/impact/cities/", "/impact/cities.csv"):
        assert client.get(url, PERIOD).status_code == 403
    dashboard = client.get("/impact/", PERIOD).content.decode()
    assert "/impact/cities/" not in dashboard


def test_the_impact_page_links_the_network_admin_to_the_table(admin_client, city):
    html = admin_client.get("/impact/", PERIOD).content.decode()
    assert f'href="/impact/cities/?start={YEAR}-01&amp;end={YEAR}-12' in html
