"""The public forms fuzzed with Hypothesis through Django's test client.

Registration, the three screens of the proposal form, "send me my link again", feedback
and the agenda's filters get arbitrary unicode (control characters, direction overrides,
NUL, very long strings), numbers of any size and dates at the extremes. Whatever is
typed: never a server error; a refusal (any answer that is not the form's success
redirect) is a 4xx and changes nothing in the database.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interra.accounts.models import User
from interra.agenda.models import Feedback, Registration
from interra.notifications.models import Message
from interra.proposals.models import Proposal
from tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=25, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))

NASTY = [
    "\x00", "A\x00B", "\u202eevil\u202c", "\u2066isolate", "\u200f\u200e", "\ufeff",
    "\r\n", "\x1b[31m", "\x7f\x85", "<script>alert(1)</script>", "' OR 1=1 --",
    "Ω" * 300, "x" * 100_000, "🙂" * 1000, "0" * 400, "-1", "1e308", "NaN", "inf",
    "0001-01-01", "9999-12-31", "10000-01-01", "2024-02-30", "-0001-01-01", "1970-01-01T00:00Z",
    "+32470123456", "00000000000000000000000000000032", "@", "a@b", "a" * 300 + "@example.org",
]
# Surrogates cannot travel in a form (not UTF-8); every other code point may.
text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=120)
numbers = st.one_of(st.integers(min_value=-(10 ** 30), max_value=10 ** 30).map(str),
                    st.floats(allow_nan=True, allow_infinity=True).map(str))
dates = st.one_of(st.dates().map(str), st.datetimes().map(lambda d: d.isoformat()))
values = st.one_of(text, numbers, dates, st.sampled_from(NASTY), st.just(""))
# A field is left out, given once, or given several times (a list) as a form can be.
field = st.one_of(values, st.lists(values, min_size=2, max_size=3))


def _fields(*names, valid=None, **fixed):
    """A form's data: from ``valid`` (one good value per field, so that the success path
    is fuzzed too), some fields replaced by fuzz, some left out, others added."""
    valid = valid or {}
    names = list(names)
    return st.tuples(
        st.dictionaries(st.sampled_from(names), field, max_size=len(names)),
        st.sets(st.sampled_from(names), max_size=2),
    ).map(lambda pair: {**fixed, **{k: v for k, v in valid.items() if k not in pair[1]},
                        **pair[0]})


def _counts():
    return (User.objects.count(), Registration.objects.count(), Proposal.objects.count(),
            Feedback.objects.count(), Message.objects.count())


def _post(client, url, data, *, success_prefix: str):
    """Post ``data``; assert the property; return whether it was accepted."""
    cache.clear()  # rate limits and message caps are tested elsewhere
    before = _counts()
    response = client.post(url, data)
    assert response.status_code < 500, (url, data)
    accepted = response.status_code == 302 and response["Location"].startswith(success_prefix)
    if not accepted:
        assert response.status_code in (302, 400, 403, 404, 409, 429) or (
            200 <= response.status_code < 300), response.status_code
        assert _counts() == before, (url, data, response.status_code)
    return accepted


@pytest.fixture
def session(city):
    return SessionFactory(workshop__city=city, capacity=50, max_seats_per_registration=3)


def test_registration_form(client, session):
    url = f"/agenda/{session.pk}/register/"

    outcomes = set()

    @FUZZ
    @given(data=_fields("name", "phone", "email", "group", "seats", "consent", valid={
        "name": "Галина", "phone": "0470 12 34 56", "email": "", "group": "newcomer",
        "seats": "2", "consent": "on"}))
    def run(data):
        outcomes.add(_post(client, url, data,
                           success_prefix=f"/agenda/{session.pk}/registered/"))

    run()
    assert outcomes == {True, False}  # both the refusals and the success were fuzzed


def test_registration_form_with_a_valid_contact_and_nasty_names(client, session):
    """The contact is valid, so the name and seats are what decides."""
    url = f"/agenda/{session.pk}/register/"
    emails = iter(range(10 ** 6))

    outcomes = set()

    @FUZZ
    @given(name=st.one_of(field, st.sampled_from(["Amina", "مريم"])),
           seats=st.one_of(field, st.sampled_from(["1", "3"])), group=field)
    def run(name, seats, group):
        data = {"name": name, "seats": seats, "group": group, "consent": "on",
                "email": f"fuzz{next(emails)}@example.org", "phone": ""}
        accepted = _post(client, url, data, success_prefix=f"/agenda/{session.pk}/registered/")
        outcomes.add(accepted)
        if accepted:
            registration = Registration.objects.latest("pk")
            assert 1 <= registration.seats <= 3
            assert "\x00" not in registration.person.display_name
            assert "\u202e" not in registration.person.display_name

    run()
    assert outcomes == {True, False}


def test_proposal_form_screens(client, city):
    step1 = {"display_name": "Amira", "phone": "0470 11 22 33", "email": "",
             "spoken_languages": ["ar", "fr"], "city": str(city.pk)}
    step2 = {"theme": "cooking", "title": "Cuisine", "description": "", "language": "fr",
             "audience": "everyone", "group_size": "10"}
    step3 = {"room_kind": "kitchen", "equipment": "", "materials": "", "budget": "",
             "available_days": ["sat"], "available_times": ["morning"]}
    screens = {1: (step1, ["website"]), 2: (step2, []), 3: (step3, ["website", "back"])}
    accepted_screens = set()

    @FUZZ
    @given(case=st.sampled_from([1, 2, 3]).flatmap(lambda screen: st.tuples(
        st.just(screen),
        _fields(*screens[screen][0], *screens[screen][1], valid=screens[screen][0]))))
    def run(case):
        screen, data = case
        cache.clear()
        if screen >= 2:
            assert client.post("/proposals/new/", step1).status_code == 302
        if screen == 3:
            assert client.post("/proposals/new/2/", step2).status_code == 302
        url = "/proposals/new/" if screen == 1 else f"/proposals/new/{screen}/"
        # A screen accepted moves to the next one (nothing is saved but the draft in the
        # session); only the last one, accepted, sends the proposal.
        success = "/proposals/sent/" if screen == 3 else f"/proposals/new/{screen + 1}/"
        before = Proposal.objects.count()
        accepted = _post(client, url, data, success_prefix=success)
        if accepted:
            accepted_screens.add(screen)
        if screen < 3 or not accepted:
            assert Proposal.objects.count() == before

    run()
    assert 3 in accepted_screens  # the whole way to a proposal was fuzzed too


def test_send_me_my_link_again(client, session):
    RegistrationFactory(session=session, person__phone="+32470123456")

    @FUZZ
    @given(data=_fields("identifier"))
    def run(data):
        cache.clear()
        people = User.objects.count(), Registration.objects.count()
        response = client.post("/agenda/my-link/", data)
        assert response.status_code in (200, 400, 429), response.status_code
        assert (User.objects.count(), Registration.objects.count()) == people

    run()


def test_feedback_form(client, city):
    past = SessionFactory(workshop__city=city, starts_at=timezone.now() - timedelta(days=1),
                          status="held")
    registration = RegistrationFactory(session=past, attended=True)
    url = f"/agenda/r/{registration.token}/feedback/"

    outcomes = set()

    @FUZZ
    @given(data=_fields("rating", "comment", valid={"rating": "5",
                                                    "comment": "شكرا"}))
    def run(data):
        accepted = _post(client, url, data, success_prefix=f"/agenda/r/{registration.token}/")
        outcomes.add(accepted)
        if accepted:
            feedback = Feedback.objects.get(registration=registration)
            assert 1 <= feedback.rating <= 5
            assert "\x00" not in feedback.comment and "\u202e" not in feedback.comment
            feedback.delete()  # so that the next example is a first answer again

    run()
    assert outcomes == {True, False}


def test_agenda_filters(client, session):
    @FUZZ
    @given(query=_fields("date", "city", "theme", "language", "neighbourhood", "week",
                         "beginner_french", "family", "accessible", "page"))
    def run(query):
        response = client.get("/agenda/", query)
        assert response.status_code in (200, 400, 404), (query, response.status_code)

    run()
