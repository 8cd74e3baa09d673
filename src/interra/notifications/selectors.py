"""Reads about messages, scoped to what the viewer may see."""

from django.db.models import QuerySet

from .models import Message


def failed_messages_for(user) -> QuerySet[Message]:
    """Messages that did not reach their recipient, in the cities ``user`` coordinates
    (a network admin: every city). Newest first."""
    from interra.cities.selectors import coordinated_cities

    return (
        Message.objects.filter(
            status__in=[Message.Status.FAILED, Message.Status.UNDELIVERED],
            city__in=coordinated_cities(user),
        )
        .select_related("recipient", "city")
        .order_by("-created_at", "-pk")
    )
