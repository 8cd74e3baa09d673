import json
from datetime import timedelta

import pytest
from django.utils import timezone

from interra.agenda.services import session_create
from interra.federation import remote, services
from interra.federation.models import Delivery, Follower
from tests.factories import RoomFactory, WorkshopFactory

from .mastodon import verify_like_mastodon


def _publish(city):
    workshop = WorkshopFactory(city=city)
    starts = timezone.now() + timedelta(days=3)
    return session_create(workshop=workshop, starts_at=starts,
                          ends_at=starts + timedelta(hours=2),
                          room=RoomFactory(venue__partner__city=city))


@pytest.mark.django_db
def test_one_delivery_per_inbox_a_shared_inbox_standing_for_its_followers(city, fediverse):
    for name in ("alice", "bob"):
        Follower.objects.create(city=city, actor_uri=f"{fediverse.base}/users/{name}",
                                inbox=f"{fediverse.base}/users/{name}/inbox",
                                shared_inbox=fediverse.shared_inbox)
    Follower.objects.create(city=city, actor_uri=f"{fediverse.base}/users/carol",
                            inbox=f"{fediverse.base}/users/carol/inbox")
    _publish(city)
    paths = sorted(request["path"] for request in fediverse.wait_for(2))
    assert paths == ["/inbox", "/users/carol/inbox"]
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2


@pytest.mark.django_db
def test_a_city_without_followers_sends_nothing(city, other_city, fediverse):
    Follower.objects.create(city=other_city, actor_uri=fediverse.actor_id,
                            inbox=fediverse.inbox)
    _publish(city)
    assert not Delivery.objects.exists() and fediverse.received == []


@pytest.mark.django_db
def test_a_rolled_back_session_is_never_announced(city, fediverse,
                                                  django_capture_on_commit_callbacks):
    Follower.objects.create(city=city, actor_uri=fediverse.actor_id, inbox=fediverse.inbox)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            from django.db import transaction

            with transaction.atomic():
                _publish(city)
                raise RuntimeError("the coordinator's request fails after the session")
        except RuntimeError:
            pass
    assert callbacks == [] and not Delivery.objects.exists()


@pytest.mark.django_db
def test_a_failing_inbox_is_tried_again_with_back_off_then_given_up(city, fediverse,
                                                                    settings):
    settings.FEDERATION_MAX_ATTEMPTS = 3
    fediverse.answer_status = 503
    Follower.objects.create(city=city, actor_uri=fediverse.actor_id, inbox=fediverse.inbox)
    _publish(city)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.RETRYING and delivery.attempts == 1
    assert "503" in delivery.error
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_wait <= timedelta(minutes=1)
    # Not due yet: the scheduler's job leaves it alone.
    assert services.deliveries_retry_due() == 0
    later = delivery.next_attempt_at + timedelta(seconds=1)
    assert services.deliveries_retry_due(now=later) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at - later == timedelta(minutes=4)
    services.deliveries_retry_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and delivery.next_attempt_at is None
    # The inbox came back: nothing more is sent for a failed delivery.
    fediverse.answer_status = 202
    assert services.deliveries_retry_due(now=later + timedelta(days=30)) == 0
    assert len(fediverse.received) == 3
    assert json.loads(fediverse.received[0]["body"])["type"] == "Create"


@pytest.mark.django_db
def test_a_retried_delivery_carries_a_valid_signature(city, fediverse, settings, live_server):
    """The key is fetched from the live server: Mastodon's check passes on a retry too."""
    settings.SITE_URL = live_server.url
    fediverse.answer_status = 500
    Follower.objects.create(city=city, actor_uri=fediverse.actor_id, inbox=fediverse.inbox)
    _publish(city)
    fediverse.answer_status = 202
    delivery = Delivery.objects.get()
    services.deliveries_retry_due(now=delivery.next_attempt_at)
    assert Delivery.objects.get().status == Delivery.Status.SENT
    assert verify_like_mastodon(fediverse.received[-1])["type"] == "Create"


@pytest.mark.parametrize("url", [
    "http://m.example/inbox",        # plain http in production
    "https://127.0.0.1/inbox",       # loopback
    "https://10.1.2.3/inbox",        # private
    "https://169.254.169.254/latest/meta-data",  # link-local (cloud metadata)
    "https://[::1]/inbox",
    "https://user:pw@m.example/inbox",
    "file:///etc/passwd",
])
def test_remote_calls_refuse_private_addresses_and_plain_http(settings, url):
    settings.FEDERATION_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(remote.RemoteError):
        remote.request("GET", url, headers={})


def test_remote_answers_are_cut_at_the_size_limit(settings, fediverse):
    settings.FEDERATION_MAX_BYTES = 100
    with pytest.raises(remote.RemoteError, match="more than 100 bytes"):
        remote.fetch_json(fediverse.actor_id)
    settings.FEDERATION_MAX_BYTES = 100_000
    assert remote.fetch_json(fediverse.actor_id)["id"] == fediverse.actor_id


@pytest.mark.django_db
def test_an_account_gone_for_good_stops_following(city, fediverse):
    fediverse.answer_status = 410
    Follower.objects.create(city=city, actor_uri=fediverse.actor_id, inbox=fediverse.inbox)
    _publish(city)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 1
    assert not Follower.objects.exists()


@pytest.mark.django_db
def test_done_deliveries_are_deleted_after_thirty_days(city):
    old = timezone.now() - timedelta(days=31)
    for status in (Delivery.Status.SENT, Delivery.Status.FAILED, Delivery.Status.RETRYING):
        delivery = Delivery.objects.create(city=city, inbox="https://m.example/inbox",
                                           activity={"type": "Accept"}, status=status)
        Delivery.objects.filter(pk=delivery.pk).update(created_at=old)
    Delivery.objects.create(city=city, inbox="https://m.example/inbox",
                            activity={"type": "Accept"}, status=Delivery.Status.SENT)
    assert services.deliveries_purge_old() == 2
    assert sorted(Delivery.objects.values_list("status", flat=True)) == ["retrying", "sent"]


@pytest.mark.django_db
def test_a_leader_who_erases_their_data_has_their_events_deleted(city, fediverse, settings):
    from interra.accounts.services import person_erase
    from tests.factories import SessionFactory

    Follower.objects.create(city=city, actor_uri=fediverse.actor_id, inbox=fediverse.inbox)
    session = _publish(city)
    other = SessionFactory(workshop__city=city)  # another leader's: stays
    fediverse.answer_status = 500  # the Create of a later session waits for a retry
    later = session_create(workshop=session.workshop, starts_at=session.starts_at
                           + timedelta(days=7), ends_at=session.ends_at + timedelta(days=7))
    assert Delivery.objects.filter(status=Delivery.Status.RETRYING).count() == 1
    fediverse.answer_status = 202
    person_erase(person=session.workshop.leader)
    deletes = [json.loads(request["body"]) for request in fediverse.received
               if json.loads(request["body"])["type"] == "Delete"]
    assert sorted(d["object"]["id"] for d in deletes) == sorted(
        f"{settings.SITE_URL}/federation/liege/events/{pk}" for pk in (session.pk, later.pk))
    assert all(d["object"]["type"] == "Tombstone" for d in deletes)
    assert str(other.pk) not in {d["object"]["id"].rsplit("/", 1)[1] for d in deletes}
    # The delivery that still held the erased workshop's texts is gone, not retried.
    assert not any(d.activity["type"] == "Create" for d in Delivery.objects.all())
