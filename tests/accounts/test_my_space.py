"""Signing in lands where the person works; "My space" lists registrations; "My data" is a
page a person can read, with the JSON as a download."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interra.accounts.landing import landing_url_for
from interra.accounts.services import magic_link
from interra.cities.models import Role
from tests.factories import (
    BACKUP_CODE,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    coordinator,
    member,
)

pytestmark = pytest.mark.django_db


def _path(url):
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.mark.parametrize(("role", "landing"), [
    (Role.LEADER, "/agenda/lead/"),
    (Role.VOLUNTEER, "/proposals/tasks/"),
    (Role.COORDINATOR, "/proposals/board/"),
    (Role.PARTNER, "/venues/portal/"),
    (Role.PARTICIPANT, "/accounts/me/"),
])
def test_a_sign_in_link_without_next_lands_on_the_persons_work(client, city, role, landing):
    person = member(city, role)
    assert landing_url_for(person) == landing
    response = client.get(_path(magic_link(person)))
    assert response.status_code == 302 and response.headers["Location"] == landing


def test_a_sign_in_link_with_next_still_goes_there(client, city):
    person = member(city, Role.LEADER)
    response = client.get(_path(magic_link(person, next_url="/agenda/")))
    assert response.headers["Location"] == "/agenda/"


def test_staff_sign_in_without_next_lands_on_the_board(client, city):
    person = coordinator(city)
    response = client.post("/accounts/staff/sign-in/", {
        "identifier": person.email, "password": "correct-horse-battery",
        "token": BACKUP_CODE})
    assert response.headers["Location"] == "/proposals/board/"


def test_my_space_lists_upcoming_and_past_registrations_with_their_links(client):
    person = UserFactory()
    upcoming = RegistrationFactory(person=person, session__workshop__title={"fr": "Cuisine"})
    past = RegistrationFactory(person=person, session=SessionFactory(
        starts_at=timezone.now() - timedelta(days=3), workshop__title={"fr": "Danse"}))
    RegistrationFactory(session__workshop__title={"fr": "Pas la mienne"})
    client.force_login(person)
    page = client.get("/accounts/me/").content.decode()
    assert upcoming.get_absolute_url() in page and past.get_absolute_url() in page
    assert page.index("Cuisine") < page.index("Danse")
    assert "Pas la mienne" not in page


def test_my_data_is_a_page_with_sections_and_the_json_a_download(client):
    person = UserFactory(display_name="Amal Haddad", preferred_language="ar")
    RegistrationFactory(person=person, session__workshop__title={"fr": "Cuisine"})
    client.force_login(person)
    page = client.get("/accounts/me/data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-section="person"' in page and 'data-section="registrations"' in page
    assert "Amal Haddad" in page and "Cuisine" in page
    assert '"starts_at"' not in page and "<pre" not in page
    download = client.get("/accounts/me/data/?format=json")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.json()["registrations"][0]["workshop"] == "Cuisine"
