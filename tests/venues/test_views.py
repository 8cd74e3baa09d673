import io
import re
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from interra.accounts.services import magic_link
from interra.cities.models import Role
from interra.venues import services
from interra.venues.models import Booking, Closure, MaterialLoan, OpeningRule, Partner, Room
from tests.factories import (
    MaterialFactory,
    OpeningRuleFactory,
    PartnerFactory,
    RoomFactory,
    UserFactory,
    VenueFactory,
    WorkshopFactory,
    member,
)

pytestmark = pytest.mark.django_db

TUESDAY = datetime(2030, 1, 8).date()


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def contact(city):
    return member(city, Role.PARTNER, email="host@partner.example")


@pytest.fixture
def room(city, contact):
    room = RoomFactory(venue=VenueFactory(partner=PartnerFactory(city=city, contacts=[contact])))
    OpeningRuleFactory(room=room)
    return room


@pytest.fixture
def foreign_room(other_city):
    return RoomFactory(venue=VenueFactory(partner=PartnerFactory(city=other_city)))


@pytest.fixture
def booking(room, city, coordinator_client):
    workshop = WorkshopFactory(city=city, title={"fr": "Cuisine syrienne"})
    return services.booking_request(room=room, workshop=workshop, starts_at=at(TUESDAY, 15),
                                    ends_at=at(TUESDAY, 17),
                                    requested_by=coordinator_client.person)


def sign_in_with_link(client, person):
    link = magic_link(person)
    response = client.get(link.split("127.0.0.1:8000", 1)[-1])
    assert response.status_code == 302
    return client


# --- Coordinators --------------------------------------------------------------------------

def test_venue_list_shows_the_list_and_loads_the_map(coordinator_client, room, foreign_room,
                                                     django_assert_max_num_queries):
    RoomFactory(venue=VenueFactory(partner=room.venue.partner))
    with django_assert_max_num_queries(15):
        response = coordinator_client.get("/venues/")
    html = response.content.decode()
    assert response.status_code == 200
    assert room.venue.name in html and foreign_room.venue.name not in html
    assert "vendor/leaflet/leaflet.js" in html and 'id="venue-map-points"' in html
    # Pages that list no venue do not load Leaflet.
    assert "leaflet" not in coordinator_client.get("/venues/bookings/").content.decode()


def test_other_cities_objects_answer_404(coordinator_client, foreign_room):
    assert coordinator_client.get(f"/venues/{foreign_room.venue.pk}/").status_code == 404
    assert coordinator_client.get(f"/venues/rooms/{foreign_room.pk}/book/").status_code == 404
    assert coordinator_client.get("/venues/?city=namur").status_code == 404


def test_coordinator_pages_need_a_coordinator(client, city, room):
    assert client.get("/venues/").status_code == 302
    sign_in_with_link(client, member(city, Role.VOLUNTEER))
    assert client.get("/venues/").status_code in (302, 403)


def test_booking_from_the_form_then_listed(coordinator_client, room, city):
    workshop = WorkshopFactory(city=city)
    response = coordinator_client.post(f"/venues/rooms/{room.pk}/book/", {
        "workshop": workshop.pk, "starts_at": "2030-01-08T15:00", "ends_at": "2030-01-08T17:00"})
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.requested_by == coordinator_client.person
    page = coordinator_client.get("/venues/bookings/").content.decode()
    assert f'id="booking-{booking.pk}"' in page and 'data-status="requested"' in page
    # The same slot again: the form shows the refusal, nothing is saved.
    response = coordinator_client.post(f"/venues/rooms/{room.pk}/book/", {
        "workshop": workshop.pk, "starts_at": "2030-01-08T16:00", "ends_at": "2030-01-08T18:00"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert Booking.objects.count() == 1


def test_finder_page_lists_rooms_with_reasons(coordinator_client, room, city):
    response = coordinator_client.get("/venues/finder/", {
        "city": city.pk, "capacity": 10, "duration": 120, "date_from": "2030-01-07",
        "date_to": "2030-01-13", "equipment": ["kitchen"]})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-room="{room.pk}"' in html and 'data-fits="yes"' in html
    assert f"/venues/rooms/{room.pk}/book/?start=2030-01-08T14:30" in html


def test_materials_page_flags_overdue_loans(coordinator_client, city, other_city):
    mine = MaterialFactory(city=city, name="Sewing machines")
    theirs = MaterialFactory(city=other_city, name="Namur drills")
    now = timezone.now()
    late = MaterialLoan.objects.create(material=mine, quantity=1, starts_at=now - timedelta(7),
                                       ends_at=now - timedelta(2))
    MaterialLoan.objects.create(material=theirs, quantity=1, starts_at=now - timedelta(7),
                                ends_at=now - timedelta(2))
    html = coordinator_client.get("/venues/materials/").content.decode()
    assert f'data-loan="{late.pk}"' in html and "Namur drills" not in html
    coordinator_client.post(f"/venues/loans/{late.pk}/return/")
    late.refresh_from_db()
    assert late.returned_at is not None


def test_lending_material_from_the_page(coordinator_client, city):
    tables = MaterialFactory(city=city, quantity=2)
    response = coordinator_client.post(f"/venues/materials/{tables.pk}/lend/", {
        "quantity": 2, "starts_at": "2030-01-08T14:00", "ends_at": "2030-01-08T18:00"})
    assert response.status_code == 302
    response = coordinator_client.post(f"/venues/materials/{tables.pk}/lend/", {
        "quantity": 1, "starts_at": "2030-01-08T15:00", "ends_at": "2030-01-08T16:00"})
    assert response.status_code == 200
    assert MaterialLoan.objects.count() == 1


CSV_OK = "\n".join([
    "partner,partner_type,agreement,venue,address,neighbourhood,latitude,longitude,room,"
    "capacity,equipment,accessibility",
    "Maison Nord,venue_host,free,Maison Nord,Rue Nord 1,Droixhe,50.65,5.60,Salle A,20,"
    "kitchen;oven,step_free",
    "Maison Nord,venue_host,free,Maison Nord,Rue Nord 1,Droixhe,50.65,5.60,Salle B,12,"
    "projector,",
    "Bibliothèque Sud,venue_host,paid,Bibliothèque Sud,Rue Sud 2,Laveu,,,Lecture,15,,lift",
]) + "\n"


def upload(client, city, text, name="rooms.csv"):
    file = io.BytesIO(text.encode())
    file.name = name
    return client.post("/venues/import/", {"city": city.pk, "file": file})


def test_import_previews_then_saves_everything(coordinator_client, city):
    response = upload(coordinator_client, city, CSV_OK)
    html = response.content.decode()
    assert html.count('data-line="') == 3 and "row-error" not in html
    assert Room.objects.count() == 0, "a preview saves nothing"
    response = coordinator_client.post("/venues/import/", {"confirm": "1"})
    assert response.status_code == 302
    assert Partner.objects.filter(city=city).count() == 2
    assert sorted(Room.objects.values_list("name", flat=True)) == ["Lecture", "Salle A",
                                                                   "Salle B"]
    assert Room.objects.get(name="Salle A").equipment == ["kitchen", "oven"]


def test_import_with_a_wrong_row_saves_nothing(coordinator_client, city):
    bad = CSV_OK + ("Maison Nord,venue_host,free,Maison Nord,Rue Nord 1,Droixhe,,,Salle C,"
                    "lots,jacuzzi,\n")
    html = upload(coordinator_client, city, bad).content.decode()
    assert 'data-line="5" class="row-error"' in html
    assert 'name="confirm"' not in html
    coordinator_client.post("/venues/import/", {"confirm": "1"})
    assert Room.objects.count() == 0 and Partner.objects.count() == 0


def test_import_reads_xlsx(coordinator_client, city):
    from openpyxl import Workbook

    book = Workbook()
    for row in [line.split(",") for line in CSV_OK.strip().splitlines()]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    file = io.BytesIO(buffer.getvalue())
    file.name = "rooms.xlsx"
    response = coordinator_client.post("/venues/import/", {"city": city.pk, "file": file})
    assert response.content.decode().count('data-line="') == 3
    coordinator_client.post("/venues/import/", {"confirm": "1"})
    assert Room.objects.count() == 3


# --- Partner portal ------------------------------------------------------------------------

def test_partner_confirms_from_the_portal_and_the_coordinator_is_told(client, contact, booking,
                                                                     coordinator_client):
    from django.test import Client

    partner = sign_in_with_link(Client(), contact)
    html = partner.get("/venues/portal/").content.decode()
    assert f'id="request-{booking.pk}"' in html and "Cuisine syrienne" in html
    mail.outbox = []
    response = partner.post(f"/venues/portal/bookings/{booking.pk}/",
                            {"decision": "confirm", "message": "Keys at the desk"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert mail.outbox[0].to == [coordinator_client.person.email]
    page = coordinator_client.get("/venues/bookings/").content.decode()
    assert 'data-status="confirmed"' in page and "Keys at the desk" in page


def test_the_portal_shows_no_participant_data(contact, booking):
    from django.test import Client

    leader = booking.workshop.leader
    html = sign_in_with_link(Client(), contact).get("/venues/portal/").content.decode()
    assert leader.display_name not in html and leader.email not in html
    assert booking.requested_by.email not in html


def test_the_portal_is_only_for_partner_contacts(client, city, booking):
    sign_in_with_link(client, UserFactory())
    assert client.get("/venues/portal/").status_code == 403


def test_a_partner_cannot_answer_another_partners_request(client, city, booking):
    stranger = UserFactory()
    PartnerFactory(city=city, contacts=[stranger])
    sign_in_with_link(client, stranger)
    response = client.post(f"/venues/portal/bookings/{booking.pk}/", {"decision": "confirm"})
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


def test_partner_adds_closures_equipment_and_opening_hours(client, contact, room):
    sign_in_with_link(client, contact)
    response = client.post(f"/venues/portal/venues/{room.venue.pk}/closures/", {
        "starts_at": "2030-01-01T00:00", "ends_at": "2030-01-02T00:00", "reason": "New year"})
    assert response.status_code == 302
    assert Closure.objects.get().venue == room.venue
    client.post(f"/venues/portal/rooms/{room.pk}/features/", {
        f"room{room.pk}-equipment": ["piano"], f"room{room.pk}-accessibility": ["lift"]})
    room.refresh_from_db()
    assert room.equipment == ["piano"] and room.accessibility == ["lift"]
    client.post(f"/venues/portal/rooms/{room.pk}/openings/", {
        "weekdays": ["5"], "opens_at": "09:00", "closes_at": "13:00"})
    assert OpeningRule.objects.filter(room=room, rrule="FREQ=WEEKLY;BYDAY=SA").exists()
    rule = OpeningRule.objects.get(room=room, rrule="FREQ=WEEKLY;BYDAY=SA")
    client.post(f"/venues/portal/openings/{rule.pk}/delete/")
    assert not OpeningRule.objects.filter(pk=rule.pk).exists()


def test_navigation_entries(coordinator_client, contact):
    html = coordinator_client.get("/venues/").content.decode()
    for url in ("/venues/finder/", "/venues/bookings/", "/venues/materials/"):
        assert re.search(f'href="{url}"', html)
