"""The agenda list from the shared cache (agenda/cache.py): served without the database
while nothing changed, never with old seats or texts after a write, and never with one
visitor's personal bits (menu, CSRF token, nonce) in another visitor's page."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from interra.agenda import cache as agenda_cache
from interra.agenda import selectors, services
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

FORM = {"name": "Olena Kovalenko", "phone": "", "group": "newcomer", "seats": "2",
        "consent": "on"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _seats_left(html: str, session) -> int:
    card = re.search(rf'data-seats-left="(\d+)"><a href="/agenda/{session.pk}/"', html)
    return int(card.group(1))


def _list(client, path="/agenda/", **headers) -> str:
    response = client.get(path, **{**ENGLISH, **headers})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def session(city):
    return SessionFactory(workshop__city=city, capacity=5, newcomer_seats_percent=0,
                          local_seats_percent=0)


def test_a_warm_list_needs_no_database_and_shows_a_registration_at_once(
        client, session, django_assert_num_queries):
    visitor = Client()  # someone else, reading the agenda while Olena registers
    assert _seats_left(_list(visitor), session) == 5
    with django_assert_num_queries(0):  # warm: the page and its cards come from the cache
        assert _seats_left(_list(visitor), session) == 5

    response = client.post(f"/agenda/{session.pk}/register/",
                           {**FORM, "email": "olena@example.org"})
    assert response.status_code == 302

    assert _seats_left(_list(visitor), session) == 3
    assert "3 seats left" in _list(visitor)


def test_a_registration_redraws_only_its_cards(client, session, city,
                                               django_assert_max_num_queries):
    other = SessionFactory(workshop__city=city, capacity=7)
    _list(client)
    services.registration_create(session=session, person=UserFactory(), seats=1)
    with django_assert_max_num_queries(2):  # that card: the session and its seats
        html = _list(client)
    assert _seats_left(html, session) == 4
    assert _seats_left(html, other) == 7


def test_a_change_of_session_shows_at_once(client, session):
    registration = services.registration_create(session=session, person=UserFactory(),
                                                seats=3)
    assert _seats_left(_list(client), session) == 2
    services.registration_cancel(registration=registration)
    assert _seats_left(_list(client), session) == 5
    session.capacity = 8
    session.save()
    assert _seats_left(_list(client), session) == 8
    session.workshop.title = {"en": "New title", "fr": "Nouveau titre"}
    session.workshop.save()
    assert "New title" in _list(client)
    services.session_cancel(session=session)
    assert f'href="/agenda/{session.pk}/"' not in _list(client)


def test_a_title_changed_through_its_proposal_shows_at_once(client, session):
    """Proposal edits copy the title to the workshop with a queryset update (no signal)."""
    from interra.proposals.services import _agenda_changed

    _list(client)
    type(session.workshop).objects.filter(pk=session.workshop_id).update(
        title={"en": "Renamed"})
    _agenda_changed()
    assert "Renamed" in _list(client)


def test_per_group_seat_words_stay_on_the_cards(client, city):
    """Seats held for a group: each group reads what it can take (seat_texts.summary)."""
    session = SessionFactory(workshop__city=city, capacity=10, newcomer_seats_percent=50,
                             local_seats_percent=30,
                             hold_release_at=timezone.now() + timedelta(days=1))
    html = _list(client)
    card = re.search(rf'<li[^>]*><a href="/agenda/{session.pk}/".*?</li>', html, re.S).group(0)
    assert "seats for people who arrived recently" in card
    assert "seats for locals" in card
    assert "seats if you prefer not to say" in card


def test_held_seats_opening_to_everyone_redraw_the_card(client, city, monkeypatch):
    release = timezone.now() + timedelta(hours=1)
    session = SessionFactory(workshop__city=city, capacity=10, newcomer_seats_percent=50,
                             local_seats_percent=30, hold_release_at=release)
    assert "seats for locals" in _list(client)
    later = release + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    html = _list(client)
    assert "10 seats left" in html and _seats_left(html, session) == 10


def test_a_session_that_starts_drops_off_a_cached_list(client, session, city, monkeypatch):
    later_one = SessionFactory(workshop__city=city,
                               starts_at=session.starts_at + timedelta(hours=3),
                               ends_at=session.starts_at + timedelta(hours=5))
    assert f'href="/agenda/{session.pk}/"' in _list(client)
    started = session.starts_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: started)
    html = _list(client)
    assert f'href="/agenda/{session.pk}/"' not in html
    assert f'href="/agenda/{later_one.pk}/"' in html


def test_a_registration_committed_while_the_cards_render_is_shown_next_time(
        client, session, monkeypatch):
    """Seats counted, then someone registers before the card is stored: the stored card
    has the older seats, so it must not be served again."""
    count_seats = selectors.attach_seat_counts

    def count_then_someone_registers(sessions):
        counted = count_seats(sessions)
        monkeypatch.setattr(selectors, "attach_seat_counts", count_seats)
        services.registration_create(session=session, person=UserFactory(), seats=1)
        return counted

    monkeypatch.setattr(selectors, "attach_seat_counts", count_then_someone_registers)
    assert _seats_left(_list(client), session) == 5
    assert _seats_left(_list(client), session) == 4


def test_a_lost_version_never_comes_back_to_an_old_value(session):
    from django.core.cache import cache

    key = agenda_cache.SEATS_KEY.format(session.pk)
    first = agenda_cache._current([key])[key]
    agenda_cache._bump(key)
    bumped = agenda_cache._current([key])[key]
    cache.delete(key)  # evicted
    again = agenda_cache._current([key])[key]
    assert len({first, bumped, again}) == 3


# --- Nothing personal in a shared page ---------------------------------------------------

def _csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_visitor_who_only_reads_the_list_gets_no_token_and_no_cookie(session):
    """The list's only form is the language switcher, checked by the request's origin:
    the cached page needs nothing of the visitor's, and sets no cookie."""
    visitor = Client(enforce_csrf_checks=True)
    for _ in range(2):
        response = visitor.get("/agenda/", **ENGLISH)
        html = response.content.decode()
        assert agenda_cache.CSRF_PLACEHOLDER not in html
        assert "csrfmiddlewaretoken" not in html
        assert "csrftoken" not in response.cookies
    # The switcher on that page works, from this site.
    response = visitor.post("/i18n/setlang/", {"language": "fr", "next": "/agenda/"},
                            headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "fr"


def test_a_signed_in_persons_menu_and_token_never_reach_a_visitor(session):
    person = UserFactory(display_name="Amira Haddad")
    signed_in = Client()
    signed_in.force_login(person)
    theirs = signed_in.get(f"/agenda/{session.pk}/", **ENGLISH).content.decode()
    assert "/accounts/sign-out/" in theirs
    assert _seats_left(_list(signed_in), session) == 5  # their list, in their own page
    anonymous = Client()
    page = anonymous.get(f"/agenda/{session.pk}/", **ENGLISH).content.decode()
    listed = _list(anonymous)
    assert "/accounts/sign-out/" not in page + listed and "Amira" not in page + listed
    assert _csrf_token(theirs) != _csrf_token(page)
    assert _unmask_token(_csrf_token(page)) != signed_in.cookies["csrftoken"].value
    # And the other way round: a visitor's cached page is not what a signed-in person gets.
    again = signed_in.get(f"/agenda/{session.pk}/", **ENGLISH).content.decode()
    assert "/accounts/sign-out/" in again
    assert _unmask_token(_csrf_token(again)) == signed_in.cookies["csrftoken"].value
    assert "/accounts/sign-out/" in _list(signed_in)


def _unmask_token(token: str) -> str:
    from django.middleware.csrf import _unmask_cipher_token

    return _unmask_cipher_token(token)


def test_a_visitor_with_a_message_gets_their_own_page(client, session, settings):
    """Messages (e.g. after signing out) are personal: such a page is never shared."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    _list(Client())
    storage = CookieStorage(None)
    client.cookies[storage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, "Only for you")])
    assert "Only for you" in _list(client)
    assert "Only for you" not in _list(Client())


def test_languages_and_filters_have_their_own_pages_with_the_right_headers(session):
    visitor = Client()
    english = visitor.get("/agenda/", HTTP_ACCEPT_LANGUAGE="en")
    french = visitor.get("/agenda/", HTTP_ACCEPT_LANGUAGE="fr")
    again = visitor.get("/agenda/", HTTP_ACCEPT_LANGUAGE="en")  # from the cache
    for response, language in ((english, "en"), (french, "fr"), (again, "en")):
        assert response["Content-Language"] == language
        assert f'<html lang="{language}"' in response.content.decode()
        vary = {v.strip().lower() for v in response["Vary"].split(",")}
        assert {"accept-language", "cookie"} <= vary
    assert "Find a workshop" in again.content.decode()
    assert "Find a workshop" not in french.content.decode()
    other_theme = _list(visitor, "/agenda/?theme=music")
    assert f'href="/agenda/{session.pk}/"' not in other_theme  # a cooking workshop
    assert 'value="music" selected' in other_theme


def test_a_nonce_in_a_cached_page_is_the_responses_own(rf):
    """A shared page carries a placeholder; each response gets its own nonce, the one
    its Content-Security-Policy header names."""
    from django.http import HttpResponse
    from django.middleware.csp import ContentSecurityPolicyMiddleware

    bodies, headers = [], []
    for _ in range(2):
        request = rf.get("/agenda/")
        html = (f'<script nonce="{agenda_cache.NONCE_PLACEHOLDER}">1</script>')

        def view(request, html=html):
            return HttpResponse(agenda_cache.personalise(request, html))

        response = ContentSecurityPolicyMiddleware(view)(request)
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        assert nonce != agenda_cache.NONCE_PLACEHOLDER
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        bodies.append(nonce)
        headers.append(response["Content-Security-Policy"])
    assert bodies[0] != bodies[1]


# --- One definition of the filters ---------------------------------------------------------

@pytest.mark.parametrize(("query", "expected"), [
    ("", [0, 1, 2, 3]), ("city=liege", [0, 1]), ("theme=cooking", [0, 2]),
    ("theme=music", [1]), ("language=ar", [0, 3]), ("language=uk", [1]),
    ("beginner_french=on", [0, 2]), ("family=on", [1]), ("accessible=on", [0, 1, 3]),
    ("city=liege&theme=cooking&language=ar", [0]),
    ("neighbourhood=Centre&family=on", [1]),
])
def test_the_same_query_string_gives_the_same_sessions_in_the_page_and_the_api(
        client, city, other_city, query, expected):
    from tests.factories import RoomFactory, WorkshopFactory

    made = []
    for number, (where, theme, languages) in enumerate([
            (city, "cooking", ["fr", "ar"]), (city, "music", ["uk"]),
            (other_city, "cooking", ["fr"]), (other_city, "sport", ["ar", "fr"])]):
        starts = timezone.now() + timedelta(days=1 + number)
        workshop = WorkshopFactory(city=where, theme=theme, languages=languages,
                                   beginner_french_welcome=number % 2 == 0,
                                   audience="families" if number == 1 else "adults")
        made.append(SessionFactory(
            workshop=workshop, starts_at=starts, ends_at=starts + timedelta(hours=2),
            room=RoomFactory(venue__city=where, venue__partner__city=where,
                             accessibility=[] if number == 2 else ["step_free"])))
    html = _list(client, "/agenda/?" + query)
    on_page = [int(pk) for pk in re.findall(r'<li class="card session-card"[^>]*>'
                                            r'<a href="/agenda/(\d+)/"', html)]
    from_api = [row["id"] for row in client.get("/api/v1/sessions?" + query).json()]
    assert on_page == from_api == [made[i].pk for i in expected]


@pytest.mark.parametrize("query", ["city=nowhere&theme=music", "date=not-a-date&theme=music",
                                   "language=xx&theme=music"])
def test_a_wrong_filter_is_left_out_of_the_page_and_refused_by_the_api(client, city, query):
    """The page shows what the valid filters select; a program gets a 422 that says why."""
    music = SessionFactory(workshop__city=city, workshop__theme="music")
    cooking = SessionFactory(workshop__city=city, workshop__theme="cooking")
    html = _list(client, "/agenda/?" + query)
    assert f'href="/agenda/{music.pk}/"' in html
    assert f'href="/agenda/{cooking.pk}/"' not in html
    response = client.get("/api/v1/sessions?" + query)
    assert response.status_code == 422
    assert query.split("=")[0] in response.json()["detail"]


def test_a_registration_through_the_form_leaves_the_listing_alone(client, session):
    """Only the seats of that session change: the pages stay, only its cards go."""
    from django.core.cache import cache

    _list(client)
    listing = cache.get(agenda_cache.LISTING_KEY)
    seats = cache.get(agenda_cache.SEATS_KEY.format(session.pk))
    response = client.post(f"/agenda/{session.pk}/register/",
                           {**FORM, "email": "olena@example.org"})
    assert response.status_code == 302
    assert cache.get(agenda_cache.LISTING_KEY) == listing
    assert cache.get(agenda_cache.SEATS_KEY.format(session.pk)) != seats


# --- Session pages -------------------------------------------------------------------------

def _seats_paragraph(client, session) -> str:
    html = client.get(f"/agenda/{session.pk}/", **ENGLISH).content.decode()
    return re.search(r'<div class="seats" id="seats" data-seats-left="(\d+)"', html).group(1)


def test_a_warm_session_page_needs_no_database_and_shows_a_registration_at_once(
        client, session, django_assert_num_queries):
    assert _seats_paragraph(client, session) == "5"
    with django_assert_num_queries(0):
        assert _seats_paragraph(client, session) == "5"
    services.registration_create(session=session, person=UserFactory(), seats=4)
    assert _seats_paragraph(client, session) == "1"
    session.workshop.title = {"en": "Another title"}
    session.workshop.save()
    assert "Another title" in client.get(f"/agenda/{session.pk}/", **ENGLISH).content.decode()


def test_a_cached_session_page_has_each_visitors_token_and_nonce(session):
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    nonces = []
    for number, visitor in enumerate(visitors):
        response = visitor.get(f"/agenda/{session.pk}/", **ENGLISH)
        html = response.content.decode()
        assert agenda_cache.NONCE_PLACEHOLDER not in html
        nonce = re.search(r'<script type="application/ld\+json" nonce="([^"]+)"', html).group(1)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
        token = _csrf_token(html)
        assert _unmask_token(token) == visitor.cookies["csrftoken"].value
        response = visitor.post(f"/agenda/{session.pk}/register/", {
            **FORM, "email": f"v{number}@example.org", "seats": "1",
            "csrfmiddlewaretoken": token})
        assert response.status_code == 302  # the token from the cached page works
    assert nonces[0] != nonces[1]


def test_a_session_page_stops_offering_registration_when_it_starts(client, session,
                                                                   monkeypatch):
    assert 'id="register-title"' in client.get(f"/agenda/{session.pk}/").content.decode()
    started = session.starts_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: started)
    html = client.get(f"/agenda/{session.pk}/").content.decode()
    assert 'id="register-title"' not in html and 'id="took-place"' in html


def test_a_signed_in_person_never_gets_a_shared_session_page(session):
    anonymous = Client()
    anonymous.get(f"/agenda/{session.pk}/", **ENGLISH)
    signed_in = Client()
    signed_in.force_login(UserFactory())
    html = signed_in.get(f"/agenda/{session.pk}/", **ENGLISH).content.decode()
    assert "/accounts/sign-out/" in html
    assert "/accounts/sign-out/" not in anonymous.get(f"/agenda/{session.pk}/",
                                                      **ENGLISH).content.decode()
