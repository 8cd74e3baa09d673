"""What the city actors publish, read from the agenda."""

from django.db.models import Count, QuerySet

from interra.agenda.models import Session
from interra.cities.models import City

from .models import Follower

OUTBOX_PAGE_SIZE = 20


def city_by_slug(slug: str) -> City | None:
    return City.objects.filter(slug=slug).first()


def _public() -> QuerySet[Session]:
    # An erased leader's sessions are not public any more (their texts are gone).
    return (Session.objects.filter(workshop__leader__erased_at__isnull=True)
            .select_related("workshop", "city", "room__venue"))


def announceable_session(session_id: int) -> Session | None:
    return _public().filter(pk=session_id).first()


def public_event(city: City, session_id: int) -> Session | None:
    """A session of ``city`` anyone may read (cancelled ones too: they say so)."""
    return _public().filter(pk=session_id, city=city).first()


def outbox_sessions(city: City) -> QuerySet[Session]:
    """The sessions the outbox lists as ``Create`` activities, newest first: cancelled
    ones are left out (they were never "created" for a new follower)."""
    return (_public().filter(city=city).exclude(status=Session.Status.CANCELLED)
            .order_by("-created_at", "-pk"))


def followers_count(city: City) -> int:
    return Follower.objects.filter(city=city).count()


def public_events_count() -> int:
    return _public().exclude(status=Session.Status.CANCELLED).count()


def followers_counts(cities) -> dict[int, int]:
    """{city id: how many follow it} for ``cities``, in one query."""
    rows = (Follower.objects.filter(city__in=cities).values("city_id")
            .annotate(count=Count("pk")).values_list("city_id", "count"))
    return dict(rows)


def sessions_led_by(person) -> QuerySet[Session]:
    """Every session of the workshops ``person`` leads, whatever its status: what the
    city's followers may have received about them."""
    return Session.objects.filter(workshop__leader=person).select_related("city")
