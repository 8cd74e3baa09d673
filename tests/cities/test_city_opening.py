"""Opening a city (issue 14): who may open one, its settings, the opening checklist, the
volunteers its coordinator invites, and that each city's data stays its own."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from interra.accounts.models import User
from interra.agenda.models import Registration
from interra.agenda.services import registration_request
from interra.cities.models import City, Membership, Role
from tests.conftest import force_staff_login
from tests.factories import (
    RoomFactory,
    SessionFactory,
    UserFactory,
    WorkshopFactory,
    coordinator,
    member,
)

pytestmark = pytest.mark.django_db

NEW_CITY = {"name": "Verviers", "slug": "verviers", "time_zone": "Europe/Brussels",
            "address": "Rue du Collège 10, 4800 Verviers", "languages": ["ar", "uk"]}
SETTINGS = {"languages": ["ar", "fa"], "newcomer_seats_percent": 45,
            "local_seats_percent": 35, "hold_release_hours": 24, "reminder_hours": "72, 2",
            "time_zone": "Europe/Brussels", "address": "Rue du Collège 10, 4800 Verviers",
            "contact_email": "verviers@interra.example", "whatsapp_number": "0032 470 12.34.56",
            "poster_footer": "Avec le soutien de la Ville de Verviers"}


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def verviers(db):
    return City.objects.create(name="Verviers", slug="verviers")


@pytest.fixture
def admin(db):
    return UserFactory(is_network_admin=True)


def test_a_network_admin_opens_a_city_then_invites_its_coordinator(admin):
    client = force_staff_login(Client(), admin)
    assert client.get("/staff/").content.decode().count('href="/staff/cities/new/"') == 1
    response = client.post("/staff/cities/new/", NEW_CITY)
    city = City.objects.get(slug="verviers")
    assert (city.name, city.time_zone, city.languages) == ("Verviers", "Europe/Brussels",
                                                           ["ar", "uk"])
    assert city.address.startswith("Rue du Collège")
    # Next: the existing invitation page, this city and "coordinator" already chosen.
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/staff/invite/?city={city.pk}&role=coordinator"
    page = client.get(response["Location"]).content.decode()
    assert re.search(rf'<option value="{city.pk}" selected>Verviers</option>', page)
    assert re.search(r'<option value="coordinator" selected>', page)
    response = client.post("/accounts/staff/invite/", {
        "display_name": "Nadia Verviers", "email": "nadia@verviers.example",
        "city": city.pk, "role": Role.COORDINATOR})
    assert re.search(r"/accounts/staff/enrol/[\w-]+/", response.content.decode())
    nadia = User.objects.get(email="nadia@verviers.example")
    assert Membership.objects.filter(person=nadia, city=city, role=Role.COORDINATOR).exists()


def test_only_a_network_admin_opens_a_city(city):
    boss = coordinator(city)
    client = force_staff_login(Client(), boss)
    assert client.get("/staff/cities/new/").status_code == 403
    assert client.post("/staff/cities/new/", NEW_CITY).status_code == 403
    assert not City.objects.filter(slug="verviers").exists()
    assert 'href="/staff/cities/new/"' not in client.get("/staff/").content.decode()


def test_opening_refuses_a_taken_name_or_a_bad_time_zone_in_the_persons_language(admin, city):
    client = _english(force_staff_login(Client(), admin))
    response = client.post("/staff/cities/new/", {**NEW_CITY, "name": "liège",
                                                  "slug": "liege-2"})
    assert response.status_code == 409
    assert "A city with this name or short name already exists." in response.content.decode()
    response = client.post("/staff/cities/new/", {**NEW_CITY, "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "This is not a time zone we know" in response.content.decode()
    response = client.post("/staff/cities/new/", {**NEW_CITY, "slug": "Ver viers!"})
    assert "Use lower-case letters, digits and hyphens only." in response.content.decode()
    # The same page in French: Django's own messages come translated, so does the page.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post("/staff/cities/new/", {**NEW_CITY, "name": ""})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not City.objects.filter(slug="verviers").exists()


def test_only_that_citys_coordinator_edits_its_settings(verviers, city, admin):
    nadia = coordinator(verviers)
    liege_boss = coordinator(city)
    volunteer = member(verviers, Role.VOLUNTEER)
    for outsider, status in ((liege_boss, 404), (admin, 404), (volunteer, 403)):
        client = force_staff_login(Client(), outsider)
        assert client.get("/staff/cities/verviers/settings/").status_code == status
        assert client.post("/staff/cities/verviers/settings/", SETTINGS).status_code == status
    verviers.refresh_from_db()
    assert verviers.settings_saved_at is None and verviers.languages == []

    client = force_staff_login(Client(), nadia)
    assert client.get("/staff/cities/verviers/settings/").status_code == 200
    response = client.post("/staff/cities/verviers/settings/", SETTINGS)
    assert response.status_code == 302
    verviers.refresh_from_db()
    assert verviers.languages == ["ar", "fa"]
    assert (verviers.newcomer_seats_percent, verviers.local_seats_percent) == (45, 35)
    assert verviers.hold_release_hours == 24 and verviers.reminder_hours == [72, 2]
    assert verviers.get_reminder_hours() == [72, 2]
    assert verviers.poster_footer.startswith("Avec le soutien")
    assert verviers.whatsapp_number == "+32470123456"  # typed with spaces and dots
    response = client.post("/staff/cities/verviers/settings/",
                           {**SETTINGS, "whatsapp_number": "+٣٢ ٤٧٠ ١٢ ٣٤ ٥٦"})
    assert response.status_code == 302
    verviers.refresh_from_db()
    assert verviers.whatsapp_number == "+32470123456"  # Arabic-Indic digits read as digits
    assert verviers.settings_saved_at is not None
    # And Liège's own coordinator cannot reach Verviers' through their own city's address.
    assert client.get("/staff/cities/liege/settings/").status_code == 404


@pytest.mark.parametrize(("change", "message"), [
    ({"newcomer_seats_percent": 60, "local_seats_percent": 50},
     "cannot be more than all the seats"),
    ({"reminder_hours": "48, soon"}, "separated by commas"),
    ({"reminder_hours": "400"}, "from 1 to 336"),
    ({"reminder_hours": "48, ²"}, "from 1 to 336"),
    ({"reminder_hours": "1, 2, 3, 4, 5"}, "At most four reminders."),
    ({"time_zone": "Europe/Verviers"}, "This is not a time zone we know"),
    ({"languages": ["xx"]}, "Select a valid choice."),
    ({"contact_email": "not-an-address"}, "Enter a valid email address."),
    ({"whatsapp_number": "0470 12 34 56"}, "in international form"),
    ({"whatsapp_number": "+32 470 12 34 5²"}, "in international form"),
])
def test_bad_settings_are_refused_with_a_message_and_change_nothing(verviers, change, message):
    client = _english(force_staff_login(Client(), coordinator(verviers)))
    response = client.post("/staff/cities/verviers/settings/", {**SETTINGS, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    verviers.refresh_from_db()
    assert verviers.settings_saved_at is None
    assert (verviers.newcomer_seats_percent, verviers.reminder_hours) == (40, [])


def test_settings_errors_come_in_french_by_default(verviers):
    client = force_staff_login(Client(), coordinator(verviers))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post("/staff/cities/verviers/settings/",
                           {**SETTINGS, "hold_release_hours": "", "local_seats_percent": 101})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in body
    assert "inférieure ou égale à 100" in body


def _checklist(client):
    body = client.get("/staff/").content.decode()
    return dict(re.findall(r'data-item="(\w+)" data-done="(yes|no)"', body)), body


def test_the_checklist_follows_the_data_until_done(verviers, city):
    nadia = coordinator(verviers)
    client = force_staff_login(Client(), nadia)
    items, body = _checklist(client)
    assert items == {"settings": "no", "rooms": "no", "volunteers": "no",
                     "first_session": "no"}
    # Each item links to the page that does it.
    assert 'href="/staff/cities/verviers/settings/"' in body
    assert f'href="/venues/import/?city={verviers.pk}"' in body
    assert f'href="/accounts/staff/invite/?city={verviers.pk}&amp;role=volunteer"' in body
    assert 'href="/agenda/staff/new/"' in body

    client.post("/staff/cities/verviers/settings/", SETTINGS)
    room = RoomFactory(venue__partner__city=verviers, venue__city=verviers)
    # Liège's volunteers and sessions do not count for Verviers.
    member(city, Role.VOLUNTEER)
    SessionFactory(workshop=WorkshopFactory(city=city))
    items, _body = _checklist(client)
    assert items == {"settings": "yes", "rooms": "yes", "volunteers": "no",
                     "first_session": "no"}
    member(verviers, Role.VOLUNTEER)
    session = SessionFactory(workshop=WorkshopFactory(city=verviers), room=room)
    session.status = "cancelled"
    session.save()
    assert _checklist(client)[0]["first_session"] == "no"
    SessionFactory(workshop=WorkshopFactory(city=verviers), room=room)
    # All done: the checklist is gone.
    items, body = _checklist(client)
    assert items == {} and 'id="checklist-verviers"' not in body


def test_a_coordinator_hides_the_checklist_of_their_city_only(verviers, city):
    nadia = coordinator(verviers)
    liege_boss = coordinator(city)
    liege = force_staff_login(Client(), liege_boss)
    assert 'id="checklist-verviers"' not in liege.get("/staff/").content.decode()
    assert liege.post("/staff/cities/verviers/checklist/dismiss/").status_code == 404
    verviers.refresh_from_db()
    assert verviers.checklist_dismissed_at is None

    client = force_staff_login(Client(), nadia)
    assert 'id="checklist-verviers"' in client.get("/staff/").content.decode()
    assert client.post("/staff/cities/verviers/checklist/dismiss/").status_code == 302
    assert 'id="checklist-verviers"' not in client.get("/staff/").content.decode()


def test_a_coordinator_invites_volunteers_of_their_own_city_only(verviers, city):
    nadia = coordinator(verviers)
    client = _english(force_staff_login(Client(), nadia))
    page = client.get(f"/accounts/staff/invite/?city={verviers.pk}&role=volunteer")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="coordinator"' not in body and f'value="{city.pk}"' not in body
    response = client.post("/accounts/staff/invite/", {
        "display_name": "Marc Bénévole", "email": "marc@verviers.example",
        "city": verviers.pk, "role": Role.VOLUNTEER})
    assert response.status_code == 200
    assert re.search(r"/accounts/staff/enrol/[\w-]+/", response.content.decode())
    marc = User.objects.get(email="marc@verviers.example")
    assert set(marc.memberships.values_list("city__slug", "role")) == {
        ("verviers", Role.VOLUNTEER)}

    refused = [
        # Another city, a coordinator: not among the choices.
        {"display_name": "X", "email": "x@example.org", "city": city.pk,
         "role": Role.VOLUNTEER},
        {"display_name": "Y", "email": "y@example.org", "city": verviers.pk,
         "role": Role.COORDINATOR},
    ]
    for data in refused:
        assert client.post("/accounts/staff/invite/", data).status_code == 400
    assert not User.objects.filter(email__in=["x@example.org", "y@example.org"]).exists()
    # Somebody on file: a link would open their account to the coordinator; refused.
    participant = UserFactory(email="amira@example.org")
    response = client.post("/accounts/staff/invite/", {
        "display_name": "Amira", "email": "amira@example.org", "city": verviers.pk,
        "role": Role.VOLUNTEER})
    assert response.status_code == 409
    assert "ask a network admin" in response.content.decode()
    assert not participant.memberships.exists()
    assert not participant.staff_invitations.exists()


def test_a_verviers_coordinator_sees_nothing_of_liege(verviers, city):
    nadia = coordinator(verviers)
    liege_person = member(city, Role.PARTICIPANT, display_name="Amira Liège")
    liege_workshop = WorkshopFactory(city=city, title={"fr": "Cuisine de Liège"})
    liege_room = RoomFactory(venue__partner__city=city, venue__city=city,
                             venue__name="Maison de Liège")
    liege_session = SessionFactory(workshop=liege_workshop, room=liege_room)
    client = force_staff_login(Client(), nadia)
    for path in ("/staff/people/", "/proposals/board/", "/agenda/staff/", "/venues/",
                 "/venues/bookings/", "/staff/", "/agenda/staff/new/"):
        body = client.get(path).content.decode()
        for secret in ("Amira Liège", "Cuisine de Liège", "Maison de Liège"):
            assert secret not in body, (path, secret)
    for path in (f"/staff/people/{liege_person.pk}/",
                 f"/agenda/staff/{liege_session.pk}/", f"/venues/{liege_room.venue_id}/",
                 "/staff/cities/liege/settings/"):
        assert client.get(path).status_code == 404, path


def test_a_participant_who_moves_keeps_their_history(verviers, city):
    """People are not per-city rows: registering in Verviers is the same person, whose
    Liège registrations stay, and whom each city's coordinators see only for their city."""
    amira = UserFactory(display_name="Amira Haddad", email="amira@example.org")
    liege_session = SessionFactory(workshop=WorkshopFactory(city=city),
                                   starts_at=timezone.now() + timedelta(days=2))
    registration_request(session=liege_session, name="Amira Haddad",
                         email="amira@example.org", requester=amira)
    verviers_session = SessionFactory(workshop=WorkshopFactory(city=verviers),
                                      starts_at=timezone.now() + timedelta(days=9))
    status = registration_request(session=verviers_session, name="Amira H.",
                                  email="amira@example.org", requester=amira)
    assert status == Registration.Status.CONFIRMED
    assert User.objects.filter(email="amira@example.org").count() == 1
    mine = Registration.objects.filter(person=amira)
    assert set(mine.values_list("session__city__slug", flat=True)) == {"liege", "verviers"}
    assert all(registration.claimed for registration in mine)
    # Verviers' coordinator sees her on the Verviers session; her Liège session is not
    # on any page of theirs.
    nadia = coordinator(verviers)
    client = force_staff_login(Client(), nadia)
    assert "Amira Haddad" in client.get(f"/agenda/staff/{verviers_session.pk}/").content.decode()
    assert client.get(f"/agenda/staff/{liege_session.pk}/").status_code == 404
    # A leader who moves proposes in the new city as the same person too.
    leader = UserFactory(display_name="Olena Leader")
    WorkshopFactory(city=city, leader=leader)
    WorkshopFactory(city=verviers, leader=leader)
    assert set(leader.workshops_led.values_list("city__slug", flat=True)) == {
        "liege", "verviers"}
    assert User.objects.filter(display_name="Olena Leader").count() == 1
