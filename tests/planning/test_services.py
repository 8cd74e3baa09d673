"""Making a plan from the database, and accepting it: rooms requested, leaders told."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from interra.core.errors import DomainError
from interra.notifications.models import Message
from interra.planning import selectors, services
from interra.planning.models import PlanItem
from interra.venues.models import Booking
from interra.venues.services import booking_refuse, booking_request
from tests.factories import UserFactory, coordinator

from .factories import MONDAY, ready_workshop, room_open

TZ = ZoneInfo("Europe/Brussels")
pytestmark = pytest.mark.django_db


def local(moment):
    return moment.astimezone(TZ)


def test_plan_places_a_ready_workshop_when_room_and_leader_are_both_free(city):
    room = room_open(city, byday="TU", opens=time(17), closes=time(22))
    workshop = ready_workshop(city, days=("tue",), times=("evening",), sessions=2)
    plan = services.plan_create(city=city, starts_on=MONDAY, days=14, time_limit=5)
    items = list(plan.items.all())
    assert [(i.workshop, i.room) for i in items] == [(workshop, room), (workshop, room)]
    for item in items:
        start = local(item.starts_at)
        assert start.weekday() == 1 and time(18) <= start.time()
        assert local(item.ends_at).time() <= time(21, 45)  # 15 minutes of clean-up
    assert plan.unplaced == []
    assert plan.wanted == 2 and plan.bound == 2


def test_existing_bookings_and_their_buffers_are_left_free(city):
    room = room_open(city, byday="TU", opens=time(18), closes=time(22, 30))
    other = ready_workshop(city)
    tuesday = datetime.combine(MONDAY + timedelta(days=1), time(18, 15), tzinfo=TZ)
    booking_request(room=room, workshop=other, starts_at=tuesday,
                    ends_at=tuesday + timedelta(hours=2))
    Booking.objects.filter(workshop=other).update(status=Booking.Status.CONFIRMED)
    workshop = ready_workshop(city, days=("tue",), times=("evening",))
    plan = services.plan_create(city=city, starts_on=MONDAY, days=7, time_limit=5)
    # The only Tuesday evening is taken: the other workshop (already booked) is not planned
    # again and this one cannot fit, with a reason and another day to try.
    assert list(plan.items.all()) == []
    [entry] = plan.unplaced
    assert entry["workshop"] == workshop.pk
    assert entry["blocker"]["code"] == "not_open_when_free"


def test_unplaced_workshop_gets_the_blocker_and_the_smallest_change(city):
    room_open(city, byday="WE", opens=time(14), closes=time(22), neighbourhood="Droixhe",
              equipment=["kitchen", "sink"])
    workshop = ready_workshop(city, days=("tue",), times=("evening",), room_kind="kitchen",
                              equipment="une cuisine (kitchen)", neighbourhoods=("Droixhe",))
    plan = services.plan_create(city=city, starts_on=MONDAY, days=7, time_limit=5)
    [entry] = plan.unplaced
    assert entry["blocker"]["code"] == "not_open_when_free"
    assert entry["suggestion"]["code"] == "other_time"
    assert local(datetime.fromisoformat(entry["suggestion"]["at"])).weekday() == 2
    with translation.override("en"):
        [row] = selectors.unplaced_explained(plan)
    assert row["workshop"] == workshop
    assert "Kitchen" in row["reason"] and "Tuesday" in row["reason"]
    assert "Wednesday" in row["change"]


def test_a_group_too_big_for_every_room_is_told_to_shrink(city):
    room_open(city, byday="TU", opens=time(17), closes=time(22), capacity=10)
    ready_workshop(city, group_size=16)
    plan = services.plan_create(city=city, starts_on=MONDAY, days=7, time_limit=5)
    [entry] = plan.unplaced
    assert entry["blocker"] == {**entry["blocker"], "code": "too_big", "largest": 10}
    assert entry["suggestion"]["code"] == "smaller_group"
    assert entry["suggestion"]["size"] == 10


def test_plan_refuses_a_silly_period(city):
    with pytest.raises(DomainError):
        services.plan_create(city=city, starts_on=MONDAY, days=90)
    with pytest.raises(DomainError):
        services.plan_create(city=city, starts_on=MONDAY, days=7, time_limit=0)


def _plan_with_two_items(city, contact):
    room_open(city, byday="TU,TH", opens=time(17), closes=time(22), contact=contact)
    first = ready_workshop(city, days=("tue",), times=("evening",))
    second = ready_workshop(city, days=("thu",), times=("evening",))
    plan = services.plan_create(city=city, starts_on=MONDAY, days=7, time_limit=5)
    assert plan.items.count() == 2
    return plan, first, second


def test_accept_requests_every_room_and_tells_each_leader(city):
    boss, contact = coordinator(city), UserFactory()
    plan, first, second = _plan_with_two_items(city, contact)
    requested, clashed = services.plan_accept(plan=plan, items=plan.items.all(), by=boss)
    assert len(requested) == 2 and clashed == []
    bookings = Booking.objects.filter(status=Booking.Status.REQUESTED, requested_by=boss)
    assert {b.workshop for b in bookings} == {first, second}
    for item in plan.items.all():
        assert item.state == PlanItem.State.REQUESTED
        assert item.booking.starts_at == item.starts_at
        assert item.accepted_by == boss
    told = Message.objects.filter(template="session_planned")
    assert {m.recipient for m in told} == {first.leader, second.leader}
    leader_mail = [m for m in mail.outbox if m.to == [first.leader.email]]
    assert leader_mail and first.leader.email
    # The partner's contact was asked, through the venues service.
    assert Message.objects.filter(template="booking_requested", recipient=contact).count() == 2


def test_a_clash_is_reported_and_the_other_items_go_ahead(city):
    boss = coordinator(city)
    plan, first, _second = _plan_with_two_items(city, None)
    taken = plan.items.get(workshop=first)
    # Someone books the same room at that time after the plan was made.
    booking_request(room=taken.room, workshop=ready_workshop(city), starts_at=taken.starts_at,
                    ends_at=taken.ends_at)
    requested, clashed = services.plan_accept(plan=plan, items=plan.items.all(), by=boss)
    assert [i.pk for i in clashed] == [taken.pk]
    assert len(requested) == 1
    taken.refresh_from_db()
    assert taken.state == PlanItem.State.CLASH and taken.problem
    assert taken.booking is None
    assert not Message.objects.filter(template="session_planned",
                                      recipient=first.leader).exists()


def test_refused_bookings_come_back_as_replan_these(city):
    boss = coordinator(city)
    plan, first, _ = _plan_with_two_items(city, None)
    services.plan_accept(plan=plan, items=plan.items.all(), by=boss)
    refused = plan.items.get(workshop=first)
    booking_refuse(booking=refused.booking, by=boss, message="Salle en travaux")
    assert [item.pk for item in selectors.items_to_replan(plan)] == [refused.pk]


def test_accept_refuses_items_of_another_plan_or_already_requested(city):
    boss = coordinator(city)
    plan, _, _ = _plan_with_two_items(city, None)
    other = services.plan_create(city=city, starts_on=MONDAY, days=7, time_limit=2)
    with pytest.raises(DomainError):
        services.plan_accept(plan=other, items=plan.items.all(), by=boss)
    services.plan_accept(plan=plan, items=plan.items.all(), by=boss)
    with pytest.raises(DomainError):
        services.plan_accept(plan=plan, items=plan.items.all(), by=boss)


@pytest.mark.django_db(transaction=True)
def test_leaders_are_told_only_when_the_acceptance_commits(city):
    boss = coordinator(city)
    plan, first, _ = _plan_with_two_items(city, None)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.plan_accept(plan=plan, items=plan.items.all(), by=boss)
        raise RuntimeError("something after it failed")
    assert mail.outbox == []
    assert not Booking.objects.exists()
    services.plan_accept(plan=plan, items=plan.items.all(), by=boss)
    assert first.leader.email in {address for m in mail.outbox for address in m.to}


def test_a_workshop_only_possible_elsewhere_is_told_the_neighbourhood(city):
    room_open(city, byday="TU", opens=time(17), closes=time(22), neighbourhood="Centre")
    workshop = ready_workshop(city, neighbourhoods=("Droixhe",))
    plan = services.plan_create(city=city, starts_on=MONDAY, days=7, time_limit=5)
    assert not plan.items.exists()
    [entry] = plan.unplaced
    assert entry["workshop"] == workshop.pk
    assert entry["blocker"]["code"] == "none_in_neighbourhood"
    assert entry["suggestion"]["code"] == "other_neighbourhood"
    assert entry["suggestion"]["neighbourhood"] == "Centre"
    with translation.override("en"):
        [row] = selectors.unplaced_explained(plan)
    assert "Droixhe" in row["reason"] and "Centre" in row["change"]


def test_the_leaders_message_is_text_not_html(city):
    from interra.notifications.services import render_message

    boss = coordinator(city)
    plan, first, _ = _plan_with_two_items(city, None)
    first.title = {"fr": "L'atelier <pain> & co", "en": "L'atelier <pain> & co"}
    first.save(update_fields=["title"])
    services.plan_accept(plan=plan, items=plan.items.filter(workshop=first), by=boss)
    message = Message.objects.get(template="session_planned", recipient=first.leader)
    with translation.override("en"):
        rendered = render_message(message)
    for part in ("subject", "body", "sms"):
        assert "L'atelier <pain> & co" in rendered[part], rendered[part]
    item = plan.items.get(workshop=first)
    assert local(item.starts_at).strftime("%H:%M") in rendered["body"]
    assert item.room.venue.address in rendered["body"]


def test_a_double_submitted_accept_leaves_the_requested_items_as_they_are(city):
    """Two clicks on "accept": both requests read the items before either committed. The
    second must not turn the first one's requests into "no longer free" clashes (its own
    booking holds the room), nor tell the leaders twice."""
    boss = coordinator(city)
    plan, _, _ = _plan_with_two_items(city, None)
    seen_by_second_click = list(plan.items.all())  # read before the first one commits
    first_requested, _ = services.plan_accept(plan=plan, items=plan.items.all(), by=boss)
    requested, clashed = services.plan_accept(plan=plan, items=seen_by_second_click, by=boss)
    assert (requested, clashed) == ([], [])
    for item in plan.items.all():
        assert item.state == PlanItem.State.REQUESTED and item.booking is not None
    assert Booking.objects.filter(status=Booking.Status.REQUESTED).count() == 2
    assert Message.objects.filter(template="session_planned").count() == 2
