"""The coordinator's planner page: scoped to their cities, works without JavaScript."""

from datetime import time

import pytest

from interra.planning import services
from interra.planning.models import Plan, PlanItem
from interra.venues.models import Booking
from tests.conftest import sign_in_staff
from tests.factories import UserFactory, coordinator

from .factories import MONDAY, ready_workshop, room_open

pytestmark = pytest.mark.django_db


def make_plan(city):
    room_open(city, byday="TU,TH", opens=time(17), closes=time(22))
    ready_workshop(city, days=("tue",), times=("evening",))
    ready_workshop(city, days=("thu",), times=("evening",))
    ready_workshop(city, days=("sun",), times=("morning",))  # nothing open on Sundays
    return services.plan_create(city=city, starts_on=MONDAY, days=7, time_limit=5)


def test_coordinator_runs_the_planner_from_the_form(coordinator_client, city,
                                                   django_capture_on_commit_callbacks):
    room_open(city, byday="TU", opens=time(17), closes=time(22))
    ready_workshop(city)
    page = coordinator_client.get("/planning/")
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the task runs at once
        response = coordinator_client.post("/planning/", {
            "city": city.pk, "starts_on": MONDAY.isoformat(), "weeks": 1, "time_limit": 3})
    plan = Plan.objects.get()
    assert plan.state == Plan.State.DONE
    assert response.status_code == 302 and response["Location"] == f"/planning/{plan.pk}/"
    assert plan.created_by == coordinator_client.person
    assert plan.items.count() == 1


def test_plan_page_shows_calendar_table_and_reasons(coordinator_client, city):
    plan = make_plan(city)
    response = coordinator_client.get(f"/planning/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    for item in plan.items.all():
        assert f'name="items" value="{item.pk}"' in body
    assert 'id="unplaced"' in body
    assert len(response.context["unplaced"]) == 1
    assert response.context["unplaced"][0]["reason"]
    assert len(response.context["weeks"]) == 1


def test_accept_some_with_checkboxes(coordinator_client, city):
    plan = make_plan(city)
    first, second = plan.items.all()
    response = coordinator_client.post(f"/planning/{plan.pk}/accept/", {"items": [first.pk]})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == PlanItem.State.REQUESTED and first.booking is not None
    assert second.state == PlanItem.State.PROPOSED
    assert Booking.objects.count() == 1


def test_accept_nothing_is_a_message_not_an_error(coordinator_client, city):
    plan = make_plan(city)
    response = coordinator_client.post(f"/planning/{plan.pk}/accept/", {}, follow=True)
    assert response.status_code == 200
    assert not Booking.objects.exists()


def test_another_citys_coordinator_gets_404(client, city, other_city):
    plan = make_plan(city)
    sign_in_staff(client, coordinator(other_city))
    assert client.get(f"/planning/{plan.pk}/").status_code == 404
    response = client.post(f"/planning/{plan.pk}/accept/",
                           {"items": [i.pk for i in plan.items.all()]})
    assert response.status_code == 404
    assert not Booking.objects.exists()
    # And their city list does not offer the other city.
    response = client.post("/planning/", {"city": city.pk, "starts_on": MONDAY.isoformat(),
                                          "weeks": 1, "time_limit": 2})
    assert response.status_code == 200
    assert Plan.objects.count() == 1


def test_people_who_are_not_coordinators_cannot_plan(client, city):
    plan = make_plan(city)
    assert client.get("/planning/").status_code == 302  # to the staff sign-in
    client.force_login(UserFactory())
    assert client.get("/planning/").status_code == 403
    assert client.get(f"/planning/{plan.pk}/").status_code == 403


def test_plan_list_queries_do_not_grow_with_plans(coordinator_client, city,
                                                  django_assert_max_num_queries):
    for _ in range(3):
        make_plan(city)
    with django_assert_max_num_queries(12):
        response = coordinator_client.get("/planning/")
    assert response.status_code == 200
    body = response.content.decode()
    for plan in Plan.objects.all():  # placed / wanted, per plan
        assert f"<td>{plan.items.count()} / {plan.wanted}</td>" in body


@pytest.mark.parametrize("starts_on", ["9999-12-28", "0001-01-01", "2020-01-06"])
def test_a_period_in_the_past_or_past_the_calendar_is_refused_on_the_form(
        coordinator_client, city, starts_on, settings):
    """Before, 9999-12-28 queued a plan that failed with "OverflowError: date value out of
    range", and 2020 planned sessions nobody can book any more."""
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = coordinator_client.post("/planning/", {
        "city": city.pk, "starts_on": starts_on, "weeks": 1, "time_limit": 1})
    assert response.status_code == 200
    assert "Choose a start between today and" in response.content.decode()
    assert not Plan.objects.exists()


def test_accept_with_odd_item_values_is_a_message_not_a_crash(coordinator_client, city):
    """"²" and "٣" pass str.isdigit(): the query then raised ValueError (a 500)."""
    plan = make_plan(city)
    first = plan.items.first()
    for odd in ("²", "٣", "99999999999999999999", "-1", "1e3", ""):
        response = coordinator_client.post(f"/planning/{plan.pk}/accept/", {"items": [odd]})
        assert response.status_code == 302, odd
    response = coordinator_client.post(f"/planning/{plan.pk}/accept/",
                                       {"items": ["²", str(first.pk)]})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == PlanItem.State.REQUESTED
