"""The network's agenda: every city's sessions on one page (no city chosen, or "All
cities"), each card saying its city; the page and the API read the same filters."""

import re

import pytest
from django.conf import settings

from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _cards(page: str) -> list[str]:
    return re.findall(r'<li class="card session-card".*?</li>', page, re.S)


def _list_class(page: str) -> str:
    return re.search(r'<ul class="(sessions[^"]*)"', page).group(1)


@pytest.fixture
def two_cities(city, other_city):
    return (SessionFactory(workshop__city=city, workshop__title={"fr": "Cuisine syrienne"}),
            SessionFactory(workshop__city=other_city, workshop__title={"fr": "Chorale"}))


def test_all_cities_side_by_side_each_card_names_its_city(client, two_cities):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for query in ({}, {"city": ""}):
        page = client.get("/agenda/", query).content.decode()
        cards = _cards(page)
        assert len(cards) == 2
        by_title = {("Cuisine" in card): card for card in cards}
        assert '<span class="city"> · Liège</span>' in by_title[True]
        assert '<span class="city"> · Namur</span>' in by_title[False]
        assert _list_class(page) == "sessions"  # the city is shown
        assert '<option value="" selected>All cities</option>' in page


def test_one_city_hides_the_repeated_city_name(client, two_cities):
    page = client.get("/agenda/", {"city": "namur"}).content.decode()
    [card] = _cards(page)
    assert "Chorale" in card and _list_class(page) == "sessions one-city"


def test_the_city_name_follows_a_rename_through_the_cache(client, two_cities):
    client.get("/agenda/")  # cached
    namur = two_cities[1].city
    namur.name = "Namur-Jambes"
    namur.save()
    assert "Namur-Jambes" in client.get("/agenda/").content.decode()


def test_api_gives_the_same_sessions_with_their_city(client, two_cities):
    everything = client.get("/api/v1/sessions").json()
    assert {(row["city"], row["city_name"]) for row in everything} == {
        ("liege", "Liège"), ("namur", "Namur")}
    assert [row["city"] for row in client.get("/api/v1/sessions", {"city": "namur"}).json()
            ] == ["namur"]
