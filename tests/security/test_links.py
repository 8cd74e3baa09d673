"""Private links: magic sign-in links and registration/feedback tokens.

Person X's link never acts on person Y's objects; tampered links answer 403/404 with a
kind page; a cancelled registration's link cannot cancel or register anyone else.
"""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from interra.accounts.services import magic_link
from interra.agenda.models import Feedback, Registration
from interra.proposals.models import Stage
from tests.factories import (
    PartnerFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    coordinator,
)
from tests.proposals.factories import submit

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _sign_in_with_link(person, next_url="") -> Client:
    client = Client()
    response = client.get(_path(magic_link(person, next_url=next_url)))
    assert response.status_code == 302, response.content[:200]
    return client


def _tamper(token: str) -> str:
    """Change one character in the middle of a token."""
    middle = len(token) // 2
    return token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1:]


def _assert_kind_refusal(response, *statuses):
    assert response.status_code in statuses
    html = response.content.decode()
    assert "Traceback" not in html and "<h1>" in html  # a page for people, not a crash


# --- Magic links ----------------------------------------------------------------------------

def test_a_magic_link_signs_in_its_owner_only(city):
    x, y = UserFactory(), UserFactory()
    client = _sign_in_with_link(x)
    assert int(client.session["_auth_user_id"]) == x.pk != y.pk


@pytest.mark.parametrize("mangle", [
    _tamper, lambda t: t[:-3], lambda t: t + "x", lambda t: "", lambda t: "A" * len(t),
    lambda t: t.upper(), lambda t: "<script>alert(1)</script>", lambda t: "ü" * 40,
])
def test_tampered_magic_links_answer_403_kindly(city, mangle):
    person = UserFactory()
    token = parse_qs(urlsplit(magic_link(person)).query)["sesame"][0]
    client = Client()
    response = client.get("/accounts/link/", {"sesame": mangle(token)})
    _assert_kind_refusal(response, 403)
    assert "_auth_user_id" not in client.session


def test_magic_link_does_not_redirect_off_site(city):
    person = UserFactory()
    token = parse_qs(urlsplit(magic_link(person)).query)["sesame"][0]
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = Client().get("/accounts/link/", {"sesame": token, "next": target})
        assert response.status_code == 302
        assert "evil.example" not in response["Location"]


def test_a_coordinators_magic_link_does_not_open_staff_pages(city):
    staff = coordinator(city)
    client = _sign_in_with_link(staff)
    for url in ("/staff/people/", "/proposals/board/", "/agenda/staff/", "/impact/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/staff/" in response["Location"], url


def test_a_leaders_link_cannot_touch_another_leaders_proposal(city):
    mine = submit(city, display_name="Leader X", phone="+32470111111")
    theirs = submit(city, display_name="Leader Y", phone="+32470222222", title="Y's own")
    client = _sign_in_with_link(mine.leader)
    assert client.get(f"/proposals/mine/{mine.pk}/text/").status_code == 200
    _assert_kind_refusal(client.get(f"/proposals/mine/{theirs.pk}/text/"), 404)
    response = client.post(f"/proposals/mine/{theirs.pk}/text/",
                           {"language": "fr", "title": "Hijacked", "description": "x"})
    _assert_kind_refusal(response, 404)
    _assert_kind_refusal(client.post(f"/proposals/mine/{theirs.pk}/withdraw/",
                                     {"reason": "not mine"}), 404)
    theirs.refresh_from_db()
    assert theirs.stage == Stage.NEW and "Hijacked" not in str(theirs.title)
    page = client.get("/proposals/mine/").content.decode()
    assert "Leader Y" not in page and "+32470222222" not in page


def test_a_leaders_link_cannot_run_another_leaders_session(city):
    session = SessionFactory(workshop__city=city)
    other = SessionFactory(workshop__city=city)
    victim = RegistrationFactory(session=other, person=UserFactory(display_name="Victor Victim"))
    client = _sign_in_with_link(session.workshop.leader)
    assert client.get(f"/agenda/lead/{session.pk}/").status_code == 200
    _assert_kind_refusal(client.get(f"/agenda/lead/{other.pk}/"), 404)
    response = client.post(f"/agenda/lead/{other.pk}/",
                           {"action": "mark", "registration": victim.pk, "attended": "1"})
    _assert_kind_refusal(response, 404)
    # Through one's own session, someone else's registration id is not reachable either.
    response = client.post(f"/agenda/lead/{session.pk}/",
                           {"action": "mark", "registration": victim.pk, "attended": "1"})
    assert response.status_code == 404
    victim.refresh_from_db()
    assert victim.attended is None


def test_a_partner_contacts_link_cannot_decide_another_partners_booking(city):
    from interra.venues.models import Booking
    from tests.factories import RoomFactory, WorkshopFactory

    contact = UserFactory()
    PartnerFactory(city=city, contacts=[contact])
    other_room = RoomFactory(venue__partner__city=city, venue__city=city)
    start = timezone.now() + timedelta(days=10)
    booking = Booking.objects.create(
        room=other_room, workshop=WorkshopFactory(city=city), starts_at=start,
        ends_at=start + timedelta(hours=2), blocked_from=start,
        blocked_until=start + timedelta(hours=2), requested_by=coordinator(city))
    client = _sign_in_with_link(contact)
    response = client.post(f"/venues/portal/bookings/{booking.pk}/",
                           {"decision": "confirm", "message": ""})
    _assert_kind_refusal(response, 404)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


# --- Registration and feedback tokens ---------------------------------------------------

@pytest.fixture
def two_registrations(city):
    session = SessionFactory(workshop__city=city, capacity=1, newcomer_seats_percent=0,
                             local_seats_percent=0)
    x = RegistrationFactory(session=session, person=UserFactory(display_name="Xavier Ex"))
    y = RegistrationFactory(session=session, person=UserFactory(display_name="Yasmina Why"),
                            status=Registration.Status.WAITLISTED)
    return x, y


def test_a_registration_link_shows_only_its_own_person(client, two_registrations):
    x, y = two_registrations
    html = client.get(f"/agenda/r/{x.token}/").content.decode()
    assert "Xavier" in html or x.session.workshop.title["fr"] in html
    assert "Yasmina" not in html and y.person.email not in html and y.token not in html


@pytest.mark.parametrize("suffix", ["", "feedback/"])
@pytest.mark.parametrize("mangle", [
    _tamper, lambda t: t[:-1], lambda t: t + "x", lambda t: t.upper(), lambda t: "x" * 3000,
    lambda t: "%27%20OR%201%3D1--", lambda t: "%C3%BC" * 10,
])
def test_tampered_registration_tokens_answer_404_kindly(client, two_registrations, suffix,
                                                        mangle):
    x, _y = two_registrations
    url = f"/agenda/r/{mangle(x.token)}/{suffix}"
    _assert_kind_refusal(client.get(url), 404)
    _assert_kind_refusal(client.post(url, {"action": "cancel", "rating": 5}), 404)
    x.refresh_from_db()
    assert x.status == Registration.Status.CONFIRMED
    assert not Feedback.objects.exists()


def test_a_cancelled_registrations_link_cannot_cancel_or_register_anyone_else(
        client, two_registrations):
    x, y = two_registrations
    client.post(f"/agenda/r/{x.token}/", {"action": "cancel"})
    x.refresh_from_db()
    y.refresh_from_db()
    assert x.status == Registration.Status.CANCELLED
    assert y.status == Registration.Status.CONFIRMED  # Y moved up from the waitlist
    # The same link again, with whatever an attacker adds: Y keeps the seat.
    for data in ({"action": "cancel"}, {"action": "cancel", "registration": y.pk,
                                        "token": y.token, "person": y.person_id},
                 {"action": "register", "seats": 5}, {"action": "confirm"}):
        response = client.post(f"/agenda/r/{x.token}/", data)
        assert response.status_code in (200, 302, 400, 403, 404, 405)
    x.refresh_from_db()
    y.refresh_from_db()
    assert x.status == Registration.Status.CANCELLED
    assert y.status == Registration.Status.CONFIRMED
    assert Registration.objects.filter(session=x.session).count() == 2
    # A cancelled registration cannot leave feedback on the session either.
    response = client.post(f"/agenda/r/{x.token}/feedback/", {"rating": 1, "comment": "x"})
    assert response.status_code in (200, 400, 403, 404)
    assert not Feedback.objects.exists()


def test_a_feedback_link_rates_only_its_own_registration(client, city):
    past = SessionFactory(workshop__city=city, starts_at=timezone.now() - timedelta(days=1))
    x = RegistrationFactory(session=past, attended=True)
    y = RegistrationFactory(session=past, attended=True)
    response = client.post(f"/agenda/r/{x.token}/feedback/",
                           {"rating": 4, "comment": "good", "registration": y.pk})
    assert response.status_code == 302
    assert list(Feedback.objects.values_list("registration_id", flat=True)) == [x.pk]
    for rating in ("0", "6", "-1", "99999999999999999999", "abc", ""):
        response = client.post(f"/agenda/r/{y.token}/feedback/", {"rating": rating})
        assert response.status_code in (200, 400), rating
    assert not Feedback.objects.filter(registration=y).exists()


def test_an_erased_persons_link_no_longer_opens(client, city):
    from interra.accounts.services import person_erase

    registration = RegistrationFactory(session=SessionFactory(workshop__city=city))
    person_erase(person=registration.person)
    _assert_kind_refusal(client.get(f"/agenda/r/{registration.token}/"), 404)
