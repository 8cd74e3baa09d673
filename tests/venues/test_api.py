import pytest

from interra.venues.models import Booking
from tests.factories import PartnerFactory, RoomFactory, VenueFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def payload(room, workshop, start="2030-01-08T15:00:00+01:00", end="2030-01-08T17:00:00+01:00"):
    return {"room_id": room.pk, "workshop_id": workshop.pk, "starts_at": start, "ends_at": end}


@pytest.fixture
def room(city):
    return RoomFactory(venue=VenueFactory(partner=PartnerFactory(city=city)))


def test_book_then_conflict(coordinator_client, room, city):
    workshop = WorkshopFactory(city=city)
    response = coordinator_client.post("/api/v1/venues/bookings",
                                       payload(room, workshop), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "requested"
    response = coordinator_client.post("/api/v1/venues/bookings",
                                       payload(room, workshop, start="2030-01-08T16:00:00+01:00",
                                               end="2030-01-08T18:00:00+01:00"),
                                       content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "overlap" and response.json()["detail"]
    booking_id = Booking.objects.get().pk
    response = coordinator_client.post(f"/api/v1/venues/bookings/{booking_id}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_anonymous_and_other_cities_are_refused(client, coordinator_client, room, other_city):
    workshop = WorkshopFactory(city=room.venue.city)
    from django.test import Client

    assert Client().post("/api/v1/venues/bookings", payload(room, workshop),
                         content_type="application/json").status_code == 401
    foreign = RoomFactory(venue=VenueFactory(partner=PartnerFactory(city=other_city)))
    assert coordinator_client.post("/api/v1/venues/bookings", payload(foreign, workshop),
                                   content_type="application/json").status_code == 404
