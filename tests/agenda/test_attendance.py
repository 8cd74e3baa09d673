"""The leader's attendance page: the counter follows each tap (htmx and without
JavaScript), walk-ins keep their name as typed, an empty walk-in is refused with a
message, a "+1" registration says how many came, and two Amiras are told apart."""

import pytest
from django.utils import translation

from interra.agenda import selectors, services
from interra.agenda.models import Registration
from interra.core.errors import DomainError
from tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _url(session):
    return f"/agenda/lead/{session.pk}/"


def test_counter_changes_after_a_tap_with_htmx(client):
    session = SessionFactory()
    registration = RegistrationFactory(session=session, person__display_name="Amira Haddad")
    client.force_login(session.workshop.leader)
    assert 'data-present="0"' in client.get(_url(session)).content.decode()
    response = client.post(_url(session), {"action": "mark", "registration": registration.pk,
                                           "attended": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="registration-{registration.pk}"' in html
    assert 'id="attendance-count"' in html and 'hx-swap-oob="true"' in html
    assert 'data-present="1"' in html


def test_counter_is_right_without_javascript(client):
    session = SessionFactory()
    registration = RegistrationFactory(session=session)
    client.force_login(session.workshop.leader)
    response = client.post(_url(session), {"action": "mark", "registration": registration.pk,
                                           "attended": "1"}, follow=True)
    assert 'data-present="1"' in response.content.decode()


def test_walk_in_keeps_the_name_as_typed_with_a_neutral_label(client):
    session = SessionFactory()
    client.force_login(session.workshop.leader)
    client.post(_url(session), {"action": "walk_in", "name": "Галина (прийшла з подругою)"})
    walk_in = Registration.objects.get(session=session, is_walk_in=True)
    assert walk_in.walk_in_name == "Галина (прийшла з подругою)"
    with translation.override("en"):
        html = client.get(_url(session), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Галина (прийшла з подругою)" in html
    assert "walked in" not in html


def test_an_empty_walk_in_is_refused_with_a_message(client):
    session = SessionFactory()
    client.force_login(session.workshop.leader)
    response = client.post(_url(session), {"action": "walk_in", "name": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="walk-in-error"' in html and 'role="alert"' in html
    assert not Registration.objects.filter(session=session).exists()
    with pytest.raises(DomainError):
        services.walk_in_add(session=session, name="\t ")


def test_a_registration_of_two_seats_says_how_many_came(client):
    session = SessionFactory()
    pair = RegistrationFactory(session=session, seats=2, person__display_name="Olena K")
    client.force_login(session.workshop.leader)
    html = client.get(_url(session)).content.decode()
    assert 'name="seats_came" value="2"' in html
    response = client.post(_url(session), {"action": "mark", "registration": pair.pk,
                                           "seats_came": "1"}, HTTP_HX_REQUEST="true")
    assert 'data-present="1"' in response.content.decode()
    pair.refresh_from_db()
    assert pair.attended is True and pair.attended_seats == 1 and pair.present_seats == 1
    client.post(_url(session), {"action": "mark", "registration": pair.pk, "seats_came": "2"})
    pair.refresh_from_db()
    assert pair.present_seats == 2
    client.post(_url(session), {"action": "mark", "registration": pair.pk, "seats_came": "0"})
    pair.refresh_from_db()
    assert pair.attended is False and pair.present_seats == 0


def test_seats_came_outside_the_registration_is_refused():
    pair = RegistrationFactory(seats=2)
    with pytest.raises(DomainError):
        services.attendance_mark(registration=pair, attended=True, seats_came=3)
    pair.refresh_from_db()
    assert pair.attended is None


def test_two_people_with_the_same_first_name_are_told_apart():
    session = SessionFactory()
    RegistrationFactory(session=session, person__display_name="Amira Haddad")
    RegistrationFactory(session=session, person__display_name="Amira Benali")
    RegistrationFactory(session=session, person__display_name="Amira Hassan")
    RegistrationFactory(session=session, person__display_name="Yonas Tesfaye")
    labels = [r.label for r in selectors.attendance_list(session)]
    assert labels == ["Amira H. (1)", "Amira B.", "Amira H. (2)", "Yonas"]
    assert len(set(labels)) == len(labels)
    # Nothing more than an initial: no full last name, no contact.
    assert not any("Haddad" in label or "@" in label for label in labels)
