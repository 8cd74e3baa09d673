"""Reads about messages, scoped to what the viewer may see."""

from django.db.models import Q, QuerySet

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


# Messages the provider took (and bills), whether or not they arrived.
SENT_STATUSES = ("sent", "delivered", "undelivered")


def messages_by_channel(*, cities, start, end) -> dict:
    """How many messages went out in ``cities`` between ``start`` and ``end``, by channel,
    with their estimated cost: SMS by segment (SMS_PRICE_PER_SEGMENT), e-mail and push
    at EMAIL_PRICE and PUSH_PRICE (about nothing). Counts of messages, not of people."""
    from decimal import Decimal

    from django.conf import settings
    from django.db.models import Count, Sum

    from .models import Channel

    rows = {row["channel"]: row for row in (
        Message.objects.filter(city__in=cities, created_at__gte=start, created_at__lt=end,
                               status__in=SENT_STATUSES)
        .values("channel").annotate(messages=Count("pk"), segments=Sum("segments"),
                                    fallbacks=Count("pk", filter=Q(fallback_from="push"))))}
    prices = {Channel.EMAIL: Decimal(str(settings.EMAIL_PRICE)),
              Channel.SMS: Decimal(str(settings.SMS_PRICE_PER_SEGMENT)),
              Channel.PUSH: Decimal(str(settings.PUSH_PRICE))}
    channels = []
    for channel in (Channel.PUSH, Channel.EMAIL, Channel.SMS):
        row = rows.get(channel, {})
        messages = row.get("messages", 0)
        segments = row.get("segments") or 0
        units = segments if channel == Channel.SMS else messages
        channels.append({"channel": channel, "label": channel.label, "messages": messages,
                         "segments": segments if channel == Channel.SMS else None,
                         "fallbacks": row.get("fallbacks", 0),
                         "cost": (prices[channel] * units).quantize(Decimal("0.01"))})
    push_count = next(c["messages"] for c in channels if c["channel"] == Channel.PUSH)
    return {
        "channels": channels,
        "messages": sum(c["messages"] for c in channels),
        "cost": sum((c["cost"] for c in channels), Decimal("0.00")),
        "sms_price": prices[Channel.SMS],
        # Each push sent instead of an SMS saved at least one segment.
        "saved_at_least": (prices[Channel.SMS] * push_count).quantize(Decimal("0.01")),
    }
