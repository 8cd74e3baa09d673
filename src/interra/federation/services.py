"""What a city's actor does: take followers, tell them about sessions, and deliver
every activity signed, again and again with back-off until the inbox takes it."""

import json
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from interra.core import queueing

from . import documents, keys, remote, signatures
from .models import Delivery, Follower

logger = logging.getLogger("interra.federation")

CLAIM_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 8  # the last one about 11 days after the first (1, 4, 16... minutes)


class Gone(remote.RemoteError):
    """The inbox's account no longer exists: no point trying again."""


class InboxRefusal(Exception):
    """An activity that is signed but makes no sense for this actor (400)."""


def _id_of(value) -> str:
    return value.get("id", "") if isinstance(value, dict) else (value or "")


def _checked_url(value) -> str:
    url = value if isinstance(value, str) else ""
    remote.check_url(url)
    if len(url) > 500:
        raise remote.RemoteError("Address too long.")
    return url


@transaction.atomic
def follower_add(*, city, actor: dict, follow: dict) -> Follower:
    """``actor`` (already verified as the signer) follows the city; an ``Accept`` goes
    back to its inbox after commit. Following twice keeps one follower and accepts again
    (a server that lost our first answer asks again)."""
    if _id_of(follow.get("object")) != documents.actor_url(city):
        raise InboxRefusal("This Follow is not for this actor.")
    try:
        inbox = _checked_url(actor.get("inbox"))
        endpoints = actor.get("endpoints") if isinstance(actor.get("endpoints"), dict) else {}
        shared = endpoints.get("sharedInbox") or ""
        shared = _checked_url(shared) if shared else ""
    except remote.RemoteError as exc:
        raise InboxRefusal(str(exc)) from exc
    follow_id = follow.get("id") if isinstance(follow.get("id"), str) else ""
    follower, _created = Follower.objects.update_or_create(
        city=city, actor_uri=actor["id"],
        defaults={"inbox": inbox, "shared_inbox": shared, "follow_id": follow_id[:500]})
    accept = documents.activity("Accept", city, {
        "id": follow_id, "type": "Follow", "actor": actor["id"],
        "object": documents.actor_url(city)})
    # The Accept goes to the follower's own inbox: a shared inbox may not route it.
    delivery_queue(city=city, inbox=inbox, activity=accept)
    return follower


@transaction.atomic
def follower_remove(*, city, actor_id: str, follow: dict) -> int:
    """``Undo`` of a ``Follow``: the actor stops following. Returns how many left (0 or 1)."""
    if follow and _id_of(follow.get("actor")) not in ("", actor_id):
        raise InboxRefusal("One cannot undo someone else's Follow.")
    deleted, _by_model = Follower.objects.filter(city=city, actor_uri=actor_id).delete()
    return deleted


def delivery_queue(*, city, inbox: str, activity: dict) -> Delivery:
    delivery = Delivery.objects.create(city=city, inbox=inbox, activity=activity,
                                       next_attempt_at=timezone.now() + CLAIM_LEASE)
    transaction.on_commit(lambda: _enqueue(delivery.pk))
    return delivery


def _enqueue(delivery_id: int, *, run_after: datetime | None = None) -> None:
    from .tasks import deliver

    queueing.enqueue(deliver, delivery_id, run_after=run_after)


@transaction.atomic
def session_announce(*, session, change: str) -> int:
    """Tell the city's followers that ``session`` was published (``Create``), moved
    (``Update``) or cancelled (``Update`` with ``ical:status`` CANCELLED, as Mobilizon
    sends it: the event stays readable and says it is cancelled). One delivery per inbox,
    a shared inbox standing for all its followers. Returns how many were queued."""
    city = session.city
    inboxes = {follower.delivery_inbox
               for follower in Follower.objects.filter(city=city)}
    if not inboxes:
        return 0
    activity = documents.event_activity(session,
                                        "Create" if change == "published" else "Update")
    for inbox in sorted(inboxes):
        delivery_queue(city=city, inbox=inbox, activity=activity)
    return len(inboxes)


def _claim(delivery_id: int, now: datetime) -> bool:
    due = Q(status=Delivery.Status.QUEUED) | Q(
        status__in=[Delivery.Status.RETRYING, Delivery.Status.SENDING],
        next_attempt_at__lte=now)
    return bool(Delivery.objects.filter(due, pk=delivery_id).update(
        status=Delivery.Status.SENDING, attempts=F("attempts") + 1,
        next_attempt_at=now + CLAIM_LEASE))


def signed_fetch(city, url: str) -> dict:
    """GET an ActivityPub document signed as ``city``: a Mastodon in "authorized fetch"
    mode answers only signed fetches."""
    headers = signatures.sign(method="GET", url=url, key_id=documents.key_id(city),
                              private_key=keys.private_key(keys.actor_key(city)))
    return remote.fetch_json(url, headers=headers)


def _post(delivery: Delivery) -> None:
    city = delivery.city
    body = json.dumps(delivery.activity).encode()
    headers = signatures.sign(method="POST", url=delivery.inbox, body=body,
                              key_id=documents.key_id(city),
                              private_key=keys.private_key(keys.actor_key(city)))
    headers["Content-Type"] = remote.ACTIVITY_JSON
    answer = remote.request("POST", delivery.inbox, headers=headers, body=body)
    if answer.status == 410:
        # The account is gone for good (Mastodon answers so for a deleted account): it
        # follows no more. A shared inbox serves other followers and stays.
        Follower.objects.filter(city=city, inbox=delivery.inbox).delete()
        raise Gone(f"{delivery.inbox[:200]} answered 410")
    if not 200 <= answer.status < 300:
        raise remote.RemoteError(f"{delivery.inbox[:200]} answered {answer.status}")


def delivery_send(*, delivery_id: int, now: datetime | None = None) -> Delivery:
    """Sign and post one delivery if it is due; record the outcome.

    At most one worker posts it per claim (a retried task or the scheduler never posts it
    twice at once). A failure is recorded and tried again after 1, 4, 16... minutes,
    then the delivery stays failed; it is not raised.
    """
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return Delivery.objects.get(pk=delivery_id)
    delivery = Delivery.objects.select_related("city").get(pk=delivery_id)
    try:
        _post(delivery)
    except Exception as exc:  # a remote failure is recorded, then tried again
        logger.warning("Delivery %s to %s: attempt %s failed: %r", delivery.pk,
                       delivery.inbox, delivery.attempts, exc)
        delivery.error = repr(exc)[:2000]
        give_up = isinstance(exc, Gone) or delivery.attempts >= getattr(
            settings, "FEDERATION_MAX_ATTEMPTS", MAX_ATTEMPTS)
        queueing.fail_or_retry(delivery, give_up=give_up, now=now, enqueue=_enqueue)
        return delivery
    delivery.status, delivery.sent_at = Delivery.Status.SENT, timezone.now()
    delivery.error, delivery.next_attempt_at = "", None
    delivery.save(update_fields=["status", "sent_at", "error", "next_attempt_at"])
    return delivery


def deliveries_retry_due(*, now: datetime | None = None) -> int:
    """Post every delivery whose next attempt is due (the scheduler's job)."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        status__in=[Delivery.Status.QUEUED, Delivery.Status.RETRYING,
                    Delivery.Status.SENDING], next_attempt_at__lte=now,
    ).values_list("pk", flat=True)
    ids = list(due[:200])
    for delivery_id in ids:
        delivery_send(delivery_id=delivery_id, now=now)
    return len(ids)


DELIVERY_RETENTION = timedelta(days=30)


def deliveries_purge_old(*, now: datetime | None = None) -> int:
    """Delete deliveries sent or failed more than 30 days ago (an Accept names the
    follower's account). Returns how many were deleted."""
    now = now or timezone.now()
    deleted, _by_model = Delivery.objects.filter(
        status__in=[Delivery.Status.SENT, Delivery.Status.FAILED],
        created_at__lt=now - DELIVERY_RETENTION).delete()
    return deleted


@transaction.atomic
def personal_data_erase(person) -> None:
    """A leader erases their data: the Events of the sessions they led are deleted from
    their followers' servers (a ``Delete`` of a ``Tombstone``, which Mastodon and
    Mobilizon act on), and deliveries still carrying those sessions' texts are dropped
    (not yet sent, they would publish what was erased)."""
    from .selectors import sessions_led_by

    sessions = list(sessions_led_by(person))
    event_ids = {documents.event_url(session) for session in sessions}
    doomed = [delivery.pk for delivery in Delivery.objects.filter(
        city__in={session.city_id for session in sessions}).only("pk", "activity")
        if _id_of(delivery.activity.get("object")) in event_ids]
    Delivery.objects.filter(pk__in=doomed).delete()
    for session in sessions:
        inboxes = {follower.delivery_inbox
                   for follower in Follower.objects.filter(city=session.city)}
        tombstone = {"id": documents.event_url(session), "type": "Tombstone",
                     "formerType": "Event"}
        delete = documents.activity("Delete", session.city, tombstone,
                                    to=[documents.PUBLIC],
                                    cc=[documents.followers_url(session.city)])
        for inbox in sorted(inboxes):
            delivery_queue(city=session.city, inbox=inbox, activity=delete)
