"""The impact page shows the messages of the coordinator's cities by channel, with their
estimated cost (SMS by segment), and nothing of other cities."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from interra.notifications.models import Message
from interra.notifications.selectors import messages_by_channel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _messages(city, channel, count, *, segments=0, status="sent", fallback_from=""):
    person = UserFactory()
    Message.objects.bulk_create([
        Message(recipient=person, city=city, template="session_reminder", channel=channel,
                status=status, segments=segments, fallback_from=fallback_from)
        for _ in range(count)])


def test_the_dashboard_counts_messages_by_channel_and_prices_sms_segments(
        coordinator_client, city, other_city, settings):
    settings.SMS_PRICE_PER_SEGMENT = 0.08
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _messages(city, "push", 7)
    _messages(city, "email", 4)
    _messages(city, "sms", 2, segments=1)
    _messages(city, "sms", 1, segments=3, status="delivered")  # Arabic: UCS-2, 3 segments
    _messages(city, "sms", 1, segments=1, fallback_from="push")
    _messages(city, "sms", 2, segments=2, status="failed")  # not sent: not billed
    _messages(other_city, "sms", 5, segments=4)  # another city

    response = coordinator_client.get("/impact/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="messages"' in html
    figures = response.context["messages_by_channel"]
    rows = {row["channel"]: row for row in figures["channels"]}
    assert (rows["push"]["messages"], rows["push"]["cost"]) == (7, Decimal("0.00"))
    assert (rows["email"]["messages"], rows["email"]["cost"]) == (4, Decimal("0.00"))
    assert (rows["sms"]["messages"], rows["sms"]["segments"]) == (4, 6)
    assert rows["sms"]["cost"] == Decimal("0.48") and rows["sms"]["fallbacks"] == 1
    assert figures["messages"] == 15 and figures["cost"] == Decimal("0.48")
    assert figures["saved_at_least"] == Decimal("0.56")
    assert '<tr data-channel="sms"><th scope="row">SMS</th><td>4</td><td>6</td>' in html


def test_counts_follow_the_period(city):
    _messages(city, "sms", 3, segments=1)
    old = Message.objects.all()[:1].get()
    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    now = timezone.now()
    figures = messages_by_channel(cities=[city], start=now - timedelta(days=30),
                                  end=now + timedelta(days=1))
    sms = next(row for row in figures["channels"] if row["channel"] == "sms")
    assert (sms["messages"], sms["segments"]) == (2, 2)


def test_message_figures_stay_out_of_the_exports(coordinator_client, city):
    _messages(city, "sms", 3, segments=1)
    csv = coordinator_client.get("/impact/export.csv").content.decode("utf-8-sig")
    assert "segment" not in csv.lower() and "SMS" not in csv
