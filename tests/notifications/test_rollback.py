"""A rolled-back service sends nothing: messages leave only when the transaction commits.

These tests ask for ``django_capture_on_commit_callbacks``, so conftest does not run
on-commit callbacks at once: as in production, a message reaches the worker only when the
transaction that queued it commits. Each service runs in a transaction that fails after it
(as a request that errors later would): nothing may be sent, nothing may stay queued. The
same service, committed, sends its messages: each case proves the service notifies at all.
"""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from interra.accounts.services import sign_in_link_send
from interra.agenda import services as agenda
from interra.agenda.models import Session
from interra.notifications import sms
from interra.notifications.models import Message
from interra.venues import services as venues
from tests.factories import (
    OpeningRuleFactory,
    PartnerFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
    VenueFactory,
    WorkshopFactory,
)
from tests.proposals.factories import submit

pytestmark = pytest.mark.django_db


class Failure(Exception):
    """What goes wrong after the service, in the same transaction."""


def _requested_booking(city):
    contact = UserFactory()
    venue = VenueFactory(partner=PartnerFactory(city=city, contacts=[contact]), city=city)
    room = RoomFactory(venue=venue)
    OpeningRuleFactory(room=room, rrule="FREQ=DAILY", opens_at=time(8), closes_at=time(22))
    day = timezone.localdate() + timedelta(days=3)
    starts_at = timezone.make_aware(datetime.combine(day, time(15)))
    booking = venues.booking_request(
        room=room, workshop=WorkshopFactory(city=city), starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2), requested_by=UserFactory())
    return booking, contact


def registration_create(city):
    session, person = SessionFactory(workshop__city=city), UserFactory()
    return lambda: agenda.registration_create(session=session, person=person, seats=1,
                                              group="undisclosed")


def session_cancel(city):
    registration = RegistrationFactory(session__workshop__city=city)
    return lambda: agenda.session_cancel(session=registration.session)


def booking_confirm(city):
    booking, contact = _requested_booking(city)
    return lambda: venues.booking_confirm(booking=booking, by=contact)


def booking_cancel(city):
    booking, contact = _requested_booking(city)
    venues.booking_confirm(booking=booking, by=contact)
    RegistrationFactory(session=Session.objects.get(booking=booking))
    return lambda: venues.booking_cancel(booking=booking)


def proposal_submit(city):
    return lambda: submit(city)


def sign_in_link(city):
    person = UserFactory(email="amina@example.org")
    return lambda: sign_in_link_send(identifier=person.email)


CASES = [registration_create, session_cancel, booking_confirm, booking_cancel,
         proposal_submit, sign_in_link]


@pytest.mark.parametrize("commits", [False, True], ids=["rolled-back", "committed"])
@pytest.mark.parametrize("case", CASES, ids=[case.__name__ for case in CASES])
def test_messages_leave_only_when_the_service_commits(
        case, commits, city, django_capture_on_commit_callbacks):
    act = case(city)
    before = set(Message.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                act()
                queued = Message.objects.exclude(pk__in=before).count()
                if not commits:
                    raise Failure
        except Failure:
            pass
    assert queued, "the service queues at least one message"
    sent = len(mail.outbox) + len(sms.outbox)
    if commits:
        assert callbacks and sent == queued
        assert not Message.objects.exclude(pk__in=before).exclude(
            status=Message.Status.SENT).exists()
    else:
        assert callbacks == [] and sent == 0
        assert not Message.objects.exclude(pk__in=before).exists()
