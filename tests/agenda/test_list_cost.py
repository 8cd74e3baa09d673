"""What the public agenda list costs (issue 9's budgets, bench/agenda_load.py): a cold list
of 30 is a fixed, small number of queries; a warm one, for a visitor who is not signed in,
none, and one small read of the shared cache. The pager says the same as Django's."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from interra.agenda import cache as agenda_cache
from interra.agenda import services
from tests.factories import RegistrationFactory, SessionFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def sixty_five(city):
    """65 upcoming sessions (three pages), a few with registrations."""
    workshop = WorkshopFactory(city=city)
    first = SessionFactory(workshop=workshop)
    now = timezone.now()
    sessions = [first] + [SessionFactory(workshop=workshop, room=first.room,
                                         starts_at=now + timedelta(hours=3 + i))
                          for i in range(64)]
    for session in sessions[:40:7]:
        RegistrationFactory(session=session, seats=2)
    return sessions


def _cards(html: str) -> int:
    return html.count('class="card session-card"')


def _pager(html: str) -> str:
    found = re.search(r"Page \d+ of \d+", html)
    return found.group(0) if found else ""


@pytest.mark.parametrize("page", ["", "2", "3"])
def test_a_cold_list_is_three_queries(client, city, settings, sixty_five,
                                      django_assert_num_queries, page):
    """No cache at all: the cities (filter form), the page's rows with how many match (one
    query), their seats (one query). No COUNT apart, nothing per card, nothing for the
    menu or the page around the list, no "next start" (nothing is kept)."""
    settings.CACHES = NO_CACHE
    with django_assert_num_queries(3):
        response = client.get("/agenda/", {"city": city.slug, "page": page} if page
                              else {"city": city.slug}, **ENGLISH)
    html = response.content.decode()
    assert _cards(html) == (5 if page == "3" else 30)
    assert _pager(html) == f"Page {page or 1} of 3"


def test_a_cold_list_with_a_shared_cache_adds_only_the_next_start(
        client, sixty_five, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # page 2 is kept until the next session starts
        assert _cards(client.get("/agenda/", {"page": "2"}, **ENGLISH).content.decode()) == 30


@pytest.mark.parametrize(("page", "shown"), [
    ("9", "Page 3 of 3"), ("0", "Page 3 of 3"), ("-1", "Page 3 of 3"),
    ("x", "Page 1 of 3"), ("99999999999999999999999", "Page 3 of 3")])
def test_pages_out_of_range_are_those_django_gives(client, settings, sixty_five, page, shown):
    settings.CACHES = NO_CACHE
    html = client.get("/agenda/", {"page": page}, **ENGLISH).content.decode()
    assert _pager(html) == shown
    assert _cards(html) == (30 if shown.startswith("Page 1") else 5)


def test_a_list_with_nothing_to_show_has_no_pager(client, settings, city):
    settings.CACHES = NO_CACHE
    html = client.get("/agenda/", {"theme": "music"}, **ENGLISH).content.decode()
    assert _cards(html) == 0 and _pager(html) == ""
    assert "No workshop matches these filters yet." in html


class _Spy:
    """The shared cache, counting what the agenda asks of it."""

    def __init__(self, cache):
        self.cache, self.calls = cache, []

    def __getattr__(self, name):
        method = getattr(self.cache, name)

        def call(*args, **kwargs):
            self.calls.append((name, args))
            return method(*args, **kwargs)
        return call


def test_a_warm_list_is_one_small_read_of_the_shared_cache(
        client, sixty_five, monkeypatch, django_assert_num_queries):
    html = client.get("/agenda/", **ENGLISH).content.decode()
    spy = _Spy(agenda_cache.cache)
    monkeypatch.setattr(agenda_cache, "cache", spy)
    with django_assert_num_queries(0):
        again = client.get("/agenda/", **ENGLISH).content.decode()
    assert _cards(again) == 30 and _pager(again) == _pager(html) == "Page 1 of 3"
    # One get_many: the listing and the days' seat versions, not the page (kept here).
    assert [name for name, _args in spy.calls] == ["get_many"]
    (keys,) = spy.calls[0][1]
    assert agenda_cache.LISTING_KEY in keys
    assert not any(key.startswith("agenda:page") for key in keys)


def test_a_process_copy_is_never_shown_after_a_registration_elsewhere(
        client, sixty_five, monkeypatch):
    """Another process registers someone: its versions move in the shared cache, and this
    process's copy of the page is not used as it is."""
    session = sixty_five[1]
    before = client.get("/agenda/", **ENGLISH).content.decode()
    assert f'data-seats-left="10"><a href="/agenda/{session.pk}/"' in before
    kept = dict(agenda_cache._PAGES)
    services.registration_create(session=session, person=UserFactory(), seats=3)
    assert agenda_cache._PAGES == kept  # nothing here knew about it but the versions
    after = client.get("/agenda/", **ENGLISH).content.decode()
    assert f'data-seats-left="7"><a href="/agenda/{session.pk}/"' in after


def test_a_process_copy_gives_way_to_a_newer_page_in_the_shared_cache(client, sixty_five):
    session = sixty_five[0]
    client.get("/agenda/", **ENGLISH)
    old = dict(agenda_cache._PAGES)
    session.workshop.title = {"en": "A new title"}
    session.workshop.save()  # the listing version moves
    assert "A new title" in client.get("/agenda/", **ENGLISH).content.decode()
    agenda_cache._PAGES.update(old)  # as in a process that has not seen the change
    assert "A new title" in client.get("/agenda/", **ENGLISH).content.decode()


def _shown(response) -> str:
    """The page without what is each response's own (the CSRF token, the nonce)."""
    return re.sub(r'(value|nonce)="[^"]+"', "", response.content.decode())


def test_a_registration_on_another_page_of_the_same_day_writes_nothing(
        client, city, monkeypatch, django_assert_num_queries):
    """Seat versions are checked by day: a registration on a session of the same day that
    this page does not show makes the next hit read that day's sessions' versions, and
    keep its copy with the day's new version; nothing is written to the shared cache."""
    workshop = WorkshopFactory(city=city)
    first = SessionFactory(workshop=workshop)
    shown = [first] + [SessionFactory(workshop=workshop, room=first.room,
                                      starts_at=first.starts_at + timedelta(minutes=m))
                       for m in range(1, 30)]
    elsewhere = SessionFactory(workshop=WorkshopFactory(city=city), room=first.room,
                               starts_at=first.starts_at + timedelta(minutes=45))
    html = _shown(client.get("/agenda/", **ENGLISH))
    assert f'href="/agenda/{elsewhere.pk}/"' not in html and len(shown) == 30
    services.registration_create(session=elsewhere, person=UserFactory(), seats=1)
    spy = _Spy(agenda_cache.cache)
    monkeypatch.setattr(agenda_cache, "cache", spy)
    with django_assert_num_queries(0):
        assert _shown(client.get("/agenda/", **ENGLISH)) == html
        assert _shown(client.get("/agenda/", **ENGLISH)) == html
    # The days, then the moved day's sessions of this page; then, kept: the days only.
    assert [name for name, _args in spy.calls] == ["get_many", "get_many", "get_many"]


def test_another_process_takes_a_redrawn_card_from_the_shared_cache(
        client, sixty_five, django_assert_num_queries, django_assert_max_num_queries):
    session = sixty_five[1]
    client.get("/agenda/", **ENGLISH)
    elsewhere = dict(agenda_cache._PAGES)  # what another process keeps
    services.registration_create(session=session, person=UserFactory(), seats=3)
    with django_assert_max_num_queries(2):  # this process: that card only
        here = _shown(client.get("/agenda/", **ENGLISH))
    assert f'data-seats-left="7"><a href="/agenda/{session.pk}/"' in here
    agenda_cache._PAGES.clear()
    agenda_cache._PAGES.update(elsewhere)
    with django_assert_num_queries(0):  # the other: its copy, with the card made here
        there = _shown(client.get("/agenda/", **ENGLISH))
    assert there == here


def test_a_process_keeps_its_latest_pages_when_it_has_too_many():
    memo = {}
    for number in range(10):
        agenda_cache._remember(memo, number, str(number), limit=4)
    assert list(memo) == [6, 7, 8, 9]
    agenda_cache._remember(memo, 7, "again", limit=4)  # kept: nothing goes
    assert memo == {6: "6", 7: "again", 8: "8", 9: "9"}


def test_pages_made_again_and_again_do_not_pile_up_in_memory(monkeypatch, rf):
    """Without any shared cache every page is a new string: the encoded copies a process
    keeps stay within their budget."""
    monkeypatch.setattr(agenda_cache, "_PREPARED", {})
    monkeypatch.setattr(agenda_cache, "_prepared_size", [0])
    monkeypatch.setattr(agenda_cache, "_PREPARED_BUDGET", 10_000)
    request = rf.get("/agenda/")
    for number in range(50):
        html = f"<p>{number}</p>" + "x" * 1_000 + agenda_cache.NONCE_PLACEHOLDER
        assert agenda_cache.personalise(request, html).startswith(f"<p>{number}</p>".encode())
    assert sum(len(html) for html in agenda_cache._PREPARED) <= 10_000
    assert agenda_cache._prepared_size[0] == sum(len(html) for html in agenda_cache._PREPARED)
    assert len(agenda_cache._PREPARED) >= 8
