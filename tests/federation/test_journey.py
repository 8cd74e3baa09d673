"""Done when (issue 14): a local fediverse inbox follows Liège's actor, receives a new
session as a signed Create of an Event, then its move and its cancellation as Updates,
every signature checked the way Mastodon checks it (mastodon.py, not Interra's code)."""

import json
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone

from interra.agenda.services import session_cancel, session_create, session_move
from interra.federation.models import Follower
from tests.factories import CityFactory, RoomFactory, WorkshopFactory

from .mastodon import fetch_actor, verify_like_mastodon


def _webfinger(base: str, resource: str) -> dict:
    url = f"{base}/.well-known/webfinger?resource={resource}"
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        assert response.headers["Content-Type"].startswith("application/jrd+json")
        return json.loads(response.read())


@pytest.mark.django_db(transaction=True)
def test_a_mastodon_follows_liege_and_hears_of_a_session_moved_then_cancelled(
        live_server, settings, fediverse):
    settings.SITE_URL = live_server.url
    mastodon = fediverse
    mastodon.authorized_fetch = True  # alice's key only to a fetch signed by Liège
    city = CityFactory(name="Liège", slug="liege")
    host = live_server.url.split("://", 1)[1]

    # alice@mastodon looks up liege@host and follows it, as Mastodon's search does.
    finger = _webfinger(live_server.url, f"acct:liege@{host}")
    actor_url = next(link["href"] for link in finger["links"] if link["rel"] == "self")
    actor = fetch_actor(actor_url)
    assert actor["type"] == "Group" and actor["preferredUsername"] == "liege"
    follow = {"@context": "https://www.w3.org/ns/activitystreams",
              "id": mastodon.actor_id + "#follows/1", "type": "Follow",
              "actor": mastodon.actor_id, "object": actor_url}
    assert mastodon.post(actor["inbox"], follow) == 202

    # The Accept comes back to alice's own inbox, signed by Liège.
    [accept_request] = mastodon.wait_for(1)
    assert accept_request["path"] == "/users/alice/inbox"
    accept = verify_like_mastodon(accept_request)
    assert accept["type"] == "Accept" and accept["actor"] == actor_url
    assert accept["object"]["id"] == follow["id"]
    assert accept["object"]["actor"] == mastodon.actor_id
    assert Follower.objects.filter(city=city, actor_uri=mastodon.actor_id).exists()
    assert mastodon.fetch_refusals == []

    # A session is published: a signed Create of an Event, to the shared inbox.
    workshop = WorkshopFactory(city=city, theme="cooking",
                               title={"fr": "Cuisine syrienne", "ar": "طبخ سوري"},
                               description={"fr": "On cuisine & on parle.", "ar": "نطبخ"})
    room = RoomFactory(venue__partner__city=city, venue__name="Maison des Quartiers")
    starts = (timezone.now() + timedelta(days=6)).replace(second=0, microsecond=0)
    session = session_create(workshop=workshop, starts_at=starts,
                             ends_at=starts + timedelta(hours=2), room=room)
    create_request = mastodon.wait_for(2)[1]
    assert create_request["path"] == "/inbox"
    create = verify_like_mastodon(create_request)
    assert create["type"] == "Create"
    event = create["object"]
    assert event["type"] == "Event"
    assert event["attributedTo"] == actor_url
    assert event["name"] == "Cuisine syrienne"
    assert event["nameMap"] == {"fr": "Cuisine syrienne", "ar": "طبخ سوري"}
    assert event["content"] == "<p>On cuisine &amp; on parle.</p>"
    assert event["startTime"] == timezone.localtime(starts).isoformat()
    assert event["startTime"][-6:] in ("+01:00", "+02:00")  # Brussels, winter or summer
    assert event["location"]["address"]["streetAddress"].startswith("Rue Puits-en-Sock")
    assert (event["location"]["latitude"], event["location"]["longitude"]) == (50.6387, 5.5808)
    assert event["ical:status"] == "CONFIRMED"
    assert event["url"] == f"{live_server.url}/agenda/{session.pk}/"
    assert "https://www.w3.org/ns/activitystreams#Public" in create["to"]
    # The Event's id dereferences to the same object, as a Mastodon fetching it sees it.
    assert fetch_actor(event["id"])["name"] == "Cuisine syrienne"

    # Moved: an Update with the new times.
    session_move(session=session, starts_at=starts + timedelta(days=1),
                 ends_at=starts + timedelta(days=1, hours=2))
    moved = verify_like_mastodon(mastodon.wait_for(3)[2])
    assert moved["type"] == "Update" and moved["object"]["id"] == event["id"]
    assert moved["object"]["startTime"] == timezone.localtime(
        starts + timedelta(days=1)).isoformat()

    # Cancelled: an Update that says so, in Mobilizon's words.
    session_cancel(session=session)
    cancelled = verify_like_mastodon(mastodon.wait_for(4)[3])
    assert cancelled["type"] == "Update" and cancelled["object"]["id"] == event["id"]
    assert cancelled["object"]["ical:status"] == "CANCELLED"

    # alice unfollows: the next session reaches nobody.
    undo = {"@context": "https://www.w3.org/ns/activitystreams",
            "id": mastodon.actor_id + "#follows/1/undo", "type": "Undo",
            "actor": mastodon.actor_id, "object": follow}
    assert mastodon.post(actor["inbox"], undo) == 202
    assert not Follower.objects.filter(city=city).exists()
    session_create(workshop=workshop, starts_at=starts + timedelta(days=14),
                   ends_at=starts + timedelta(days=14, hours=2), room=room)
    assert len(mastodon.received) == 4

