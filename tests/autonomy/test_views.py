"""The coordinators' trust page and the trusted leader's phone page, without JavaScript."""

import pytest
from django.conf import settings
from django.test import Client

from interra.autonomy import selectors, services
from interra.autonomy.models import LeaderTrust
from interra.core.models import AuditLogEntry
from interra.venues.models import Booking
from tests.conftest import force_staff_login
from tests.factories import UserFactory, coordinator

from .factories import evening_room, seasoned_workshop

pytestmark = pytest.mark.django_db

LEADER_HOME = "/agenda/lead/"


def _page(workshop):
    return f"/autonomy/workshops/{workshop.pk}/next/"


def _leader_client(leader, language="en"):
    client = Client()
    client.force_login(leader)  # a magic link: their own space only
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_coordinators_see_eligible_leaders_of_their_cities_only(coordinator_client, city,
                                                                other_city):
    eligible = seasoned_workshop(city)
    beginner = seasoned_workshop(city, leader=UserFactory(display_name="Rania Haddad"), held=1)
    elsewhere = seasoned_workshop(other_city, leader=UserFactory(display_name="Yusuf Namur"))
    response = coordinator_client.get("/autonomy/trust/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="leader-{eligible.leader.pk}" data-eligible="yes" data-trusted="no"' in body
    assert f'id="leader-{beginner.leader.pk}" data-eligible="no"' in body
    assert "Yusuf Namur" not in body and f"leader-{elsewhere.leader.pk}" not in body
    assert body.count('action="/autonomy/trust/grant/"') == 1
    assert AuditLogEntry.objects.filter(actor=coordinator_client.person,
                                        subject="autonomy.leadertrust:list").exists()
    # Reached from the planner's page.
    assert 'href="/autonomy/trust/"' in coordinator_client.get("/planning/").content.decode()


def test_coordinator_confirms_then_takes_it_back(coordinator_client, city):
    workshop = seasoned_workshop(city)
    data = {"leader": workshop.leader.pk, "city": city.pk}
    response = coordinator_client.post("/autonomy/trust/grant/", data)
    assert response.status_code == 302
    trust = LeaderTrust.objects.get(leader=workshop.leader, revoked_at__isnull=True)
    assert trust.granted_by == coordinator_client.person
    page = coordinator_client.get("/autonomy/trust/").content.decode()
    assert 'data-trusted="yes"' in page and 'action="/autonomy/trust/revoke/"' in page
    response = coordinator_client.post("/autonomy/trust/revoke/",
                                       {**data, "reason": "Une pause"})
    assert response.status_code == 302
    trust.refresh_from_db()
    assert trust.revoked_at and trust.revoke_reason == "Une pause"


def test_another_citys_leader_answers_404(coordinator_client, city, other_city):
    workshop = seasoned_workshop(other_city)
    response = coordinator_client.post("/autonomy/trust/grant/",
                                       {"leader": workshop.leader.pk, "city": other_city.pk})
    assert response.status_code == 404
    assert not LeaderTrust.objects.exists()


def test_the_trust_page_needs_the_second_factor(client, city):
    boss = coordinator(city)
    client.force_login(boss)  # a magic link, no password nor second factor
    response = client.get("/autonomy/trust/")
    assert response.status_code == 302 and "/accounts/staff/sign-in/" in response["Location"]
    response = client.post("/autonomy/trust/grant/", {"leader": boss.pk, "city": city.pk})
    assert response.status_code == 302 and not LeaderTrust.objects.exists()


def test_an_untrusted_leader_has_no_link_and_no_page(city):
    evening_room(city)
    workshop = seasoned_workshop(city)
    client = _leader_client(workshop.leader)
    home = client.get(LEADER_HOME)
    assert home.status_code == 200 and "/autonomy/" not in home.content.decode()
    assert client.get(_page(workshop)).status_code == 404
    start = selectors.slots_for(workshop)[0]
    assert client.post(_page(workshop), {"slot": start.value}).status_code == 404
    assert not Booking.objects.exists()


def test_a_trusted_leader_picks_a_slot_with_one_tap(city):
    room = evening_room(city)
    workshop = seasoned_workshop(city)
    boss = coordinator(city)
    services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    client = _leader_client(workshop.leader)
    home = client.get(LEADER_HOME).content.decode()
    assert f'href="{_page(workshop)}"' in home
    response = client.get(_page(workshop))
    assert response.status_code == 200
    body = response.content.decode()
    slots = response.context["slots"]
    assert slots and body.count('<button type="submit" class="slot"') == len(slots)
    assert room.venue.name in body
    response = client.post(_page(workshop), {"slot": slots[0].value})
    assert response.status_code == 302 and response["Location"] == LEADER_HOME
    booking = Booking.objects.get()
    assert booking.requested_by == workshop.leader and booking.starts_at == slots[0].starts_at
    page = client.get(_page(workshop)).content.decode()
    assert "Waiting for the place to confirm" in page


def test_a_revoked_leader_loses_the_page_at_once(city):
    evening_room(city)
    workshop = seasoned_workshop(city)
    boss = coordinator(city)
    services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    client = _leader_client(workshop.leader)
    assert client.get(_page(workshop)).status_code == 200
    services.leader_trust_revoke(leader=workshop.leader, city=city, by=boss, reason="Pause")
    assert client.get(_page(workshop)).status_code == 404
    assert _page(workshop) not in client.get(LEADER_HOME).content.decode()


def test_a_slot_taken_meanwhile_gets_a_clear_message_and_fresh_times(city):
    room = evening_room(city)
    first = seasoned_workshop(city, theme="cooking")
    second = seasoned_workshop(city, leader=UserFactory(), theme="music")
    boss = coordinator(city)
    for workshop in (first, second):
        services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    shown = selectors.slots_for(second)[0]
    services.leader_session_request(workshop=first, leader=first.leader, room_id=room.pk,
                                    starts_at=shown.starts_at)
    response = _leader_client(second.leader).post(_page(second), {"slot": shown.value})
    assert response.status_code == 409
    body = response.content.decode()
    assert 'role="alert"' in body and "no longer free" in body
    assert shown.value not in [slot.value for slot in response.context["slots"]]


def test_a_tampered_slot_is_refused_kindly(city):
    evening_room(city)
    workshop = seasoned_workshop(city)
    services.leader_trust_grant(leader=workshop.leader, city=city, by=coordinator(city))
    client = _leader_client(workshop.leader)
    for value in ("nonsense", "1|2030-01-01T18:00:00", "999999|2030-01-08T18:00:00+01:00"):
        response = client.post(_page(workshop), {"slot": value})
        assert response.status_code in (400, 409), value
        assert 'role="alert"' in response.content.decode()
    assert not Booking.objects.exists()


def test_force_staff_login_coordinator_is_not_a_leader(city):
    """A coordinator of the city opening a leader's page sees 404 like anyone else."""
    evening_room(city)
    workshop = seasoned_workshop(city)
    boss = coordinator(city)
    services.leader_trust_grant(leader=workshop.leader, city=city, by=boss)
    client = force_staff_login(Client(), boss)
    assert client.get(_page(workshop)).status_code == 404
