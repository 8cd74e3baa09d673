from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from interra.core.errors import Conflict, DomainError, PermissionDenied
from interra.venues import services
from interra.venues.models import Booking, Closure, MaterialLoan
from tests.factories import (
    MaterialFactory,
    OpeningRuleFactory,
    PartnerFactory,
    RoomFactory,
    UserFactory,
    VenueFactory,
    WorkshopFactory,
    coordinator,
)

pytestmark = pytest.mark.django_db

TUESDAY = datetime(2030, 1, 8).date()  # far enough in the future for every rule


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def contact(city):
    return UserFactory(email="host@partner.example")


@pytest.fixture
def room(city, contact):
    partner = PartnerFactory(city=city, contacts=[contact])
    room = RoomFactory(venue=VenueFactory(partner=partner))
    OpeningRuleFactory(room=room)  # Tuesdays and Thursdays 14:00–21:00
    return room


@pytest.fixture
def workshop(city):
    return WorkshopFactory(city=city)


def book(room, workshop, start, end, **kwargs):
    return services.booking_request(room=room, workshop=workshop, starts_at=start, ends_at=end,
                                    requested_by=kwargs.pop("requested_by", None), **kwargs)


def test_a_request_holds_the_room_with_its_buffers_and_tells_the_partner(room, workshop,
                                                                         contact):
    booking = book(room, workshop, at(TUESDAY, 15), at(TUESDAY, 17))
    assert booking.status == Booking.Status.REQUESTED
    assert booking.blocked_from == at(TUESDAY, 14, 45)
    assert booking.blocked_until == at(TUESDAY, 17, 15)
    assert [m.to for m in mail.outbox] == [[contact.email]]
    assert "/venues/portal/" in mail.outbox[0].body


def test_overlapping_requests_are_refused_buffers_included(room, workshop):
    book(room, workshop, at(TUESDAY, 15), at(TUESDAY, 17))
    with pytest.raises(Conflict):
        book(room, workshop, at(TUESDAY, 16), at(TUESDAY, 18))
    # 17:15 is still clean-up, 17:30 minus 15 minutes set-up touches it: refused.
    with pytest.raises(Conflict):
        book(room, workshop, at(TUESDAY, 17, 15), at(TUESDAY, 19))
    # 17:30 start: set-up from 17:15, right when the previous clean-up ends.
    assert book(room, workshop, at(TUESDAY, 17, 30), at(TUESDAY, 19)).pk


def test_refused_and_cancelled_bookings_free_the_room(room, workshop, contact):
    first = book(room, workshop, at(TUESDAY, 15), at(TUESDAY, 17))
    services.booking_refuse(booking=first, by=contact, message="Busy")
    second = book(room, workshop, at(TUESDAY, 15), at(TUESDAY, 17))
    services.booking_cancel(booking=second)
    assert book(room, workshop, at(TUESDAY, 15), at(TUESDAY, 17)).pk


def test_rooms_are_booked_only_when_open(room, workshop):
    with pytest.raises(DomainError) as error:
        book(room, workshop, at(TUESDAY, 10), at(TUESDAY, 12))
    assert error.value.code == "closed"
    wednesday = TUESDAY + timedelta(days=1)
    with pytest.raises(DomainError):
        book(room, workshop, at(wednesday, 15), at(wednesday, 17))
    # The set-up buffer must fit in the opening too.
    with pytest.raises(DomainError):
        book(room, workshop, at(TUESDAY, 14), at(TUESDAY, 16))


def test_closures_close_the_room(room, workshop):
    services.closure_add(venue=room.venue, starts_at=at(TUESDAY, 0),
                         ends_at=at(TUESDAY + timedelta(days=1), 0), reason="Holiday")
    with pytest.raises(DomainError) as error:
        book(room, workshop, at(TUESDAY, 15), at(TUESDAY, 17))
    assert error.value.code == "closed"


def test_a_room_without_rules_is_open_on_request(city, workshop):
    room = RoomFactory(venue=VenueFactory(partner=PartnerFactory(city=city)))
    assert book(room, workshop, at(TUESDAY, 8), at(TUESDAY, 9)).pk


def test_a_room_of_another_city_is_refused(room, other_city):
    with pytest.raises(DomainError) as error:
        book(room, WorkshopFactory(city=other_city), at(TUESDAY, 15), at(TUESDAY, 17))
    assert error.value.code == "city"


def test_bad_ranges_are_refused(room, workshop):
    with pytest.raises(DomainError):
        book(room, workshop, at(TUESDAY, 17), at(TUESDAY, 15))
    with pytest.raises(DomainError):
        book(room, workshop, at(TUESDAY, 15), at(TUESDAY, 17), setup_minutes=-5)


def test_the_partner_confirms_once_and_the_requester_is_told(room, workshop, contact, city):
    requester = coordinator(city)
    booking = book(room, workshop, at(TUESDAY, 15), at(TUESDAY, 17), requested_by=requester)
    mail.outbox = []
    services.booking_confirm(booking=booking, by=contact, message="Keys at the desk")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.decided_by == contact
    # The requester hears the partner's answer; the leader hears the date and place.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([requester.email,
                                                           workshop.leader.email])
    answer = next(m for m in mail.outbox if m.to == [requester.email])
    assert "Keys at the desk" in answer.body
    with pytest.raises(Conflict):
        services.booking_refuse(booking=booking, by=contact)


def test_only_the_partners_contacts_decide(room, workshop):
    booking = book(room, workshop, at(TUESDAY, 15), at(TUESDAY, 17))
    with pytest.raises(PermissionDenied):
        services.booking_confirm(booking=booking, by=UserFactory())
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


def test_opening_rules_from_weekdays_or_rrule(room):
    rule = services.opening_rule_add(room=room, weekdays=[0, 2], opens_at=time(9),
                                     closes_at=time(12))
    assert rule.rrule == "FREQ=WEEKLY;BYDAY=MO,WE"
    assert rule.weekdays == [0, 2]
    rule = services.opening_rule_add(room=room, rrule="RRULE:FREQ=MONTHLY;BYDAY=1SA",
                                     opens_at=time(10), closes_at=time(16))
    assert rule.rrule == "FREQ=MONTHLY;BYDAY=1SA"
    with pytest.raises(DomainError):
        services.opening_rule_add(room=room, rrule="FREQ=SOMETIMES", opens_at=time(9),
                                  closes_at=time(12))
    with pytest.raises(DomainError):
        services.opening_rule_add(room=room, weekdays=[1], opens_at=time(12),
                                  closes_at=time(9))


def test_room_features_only_from_the_vocabulary(room):
    services.room_features_update(room=room, equipment=["piano", "oven"],
                                  accessibility=["lift"])
    room.refresh_from_db()
    assert room.equipment == ["oven", "piano"]
    with pytest.raises(DomainError):
        services.room_features_update(room=room, equipment=["jacuzzi"], accessibility=[])


def test_closure_of_one_room_leaves_the_others_open(room, workshop):
    other = RoomFactory(venue=room.venue)
    services.closure_add(venue=room.venue, room=room, starts_at=at(TUESDAY, 0),
                         ends_at=at(TUESDAY, 23))
    assert Closure.objects.count() == 1
    assert book(other, workshop, at(TUESDAY, 15), at(TUESDAY, 17)).pk
    with pytest.raises(DomainError):
        book(room, workshop, at(TUESDAY, 15), at(TUESDAY, 17))


def test_materials_are_lent_only_when_enough_units_are_free(city, workshop):
    tables = MaterialFactory(city=city, quantity=3)
    services.material_loan_create(material=tables, quantity=2, starts_at=at(TUESDAY, 14),
                                  ends_at=at(TUESDAY, 18), workshop=workshop)
    with pytest.raises(Conflict):
        services.material_loan_create(material=tables, quantity=2, starts_at=at(TUESDAY, 16),
                                      ends_at=at(TUESDAY, 20), workshop=workshop)
    # After the first loan is due back, all three are free again.
    assert services.material_loan_create(material=tables, quantity=3,
                                         starts_at=at(TUESDAY, 18), ends_at=at(TUESDAY, 20))


def test_an_overdue_loan_still_holds_its_units(city):
    drills = MaterialFactory(city=city, quantity=1)
    now = timezone.now()
    loan = MaterialLoan.objects.create(material=drills, quantity=1,
                                       starts_at=now - timedelta(days=5),
                                       ends_at=now - timedelta(days=2))
    with pytest.raises(Conflict):
        services.material_loan_create(material=drills, quantity=1,
                                      starts_at=now + timedelta(days=1),
                                      ends_at=now + timedelta(days=2))
    services.material_loan_return(loan=loan)
    assert services.material_loan_create(material=drills, quantity=1,
                                         starts_at=now + timedelta(days=1),
                                         ends_at=now + timedelta(days=2))


def test_personal_data_export_and_erase(room, workshop, contact, city):
    requester = coordinator(city)
    booking = book(room, workshop, at(TUESDAY, 15), at(TUESDAY, 17), requested_by=requester)
    services.booking_confirm(booking=booking, by=contact)
    exported = services.personal_data_export(contact)
    assert exported["partner_contact_of"] == [room.venue.partner.name]
    assert exported["bookings"][0]["answered_by_me"]
    services.personal_data_erase(contact)
    booking.refresh_from_db()
    assert booking.decided_by is None and not room.venue.partner.contacts.exists()
