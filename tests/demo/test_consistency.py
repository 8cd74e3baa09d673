"""The demo tells one story: confirmed bookings are the upcoming sessions, proposals stand
where their sessions say, and a few trusted leaders scheduled their own."""

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from interra.agenda.models import Session
from interra.autonomy.models import LeaderTrust
from interra.proposals.models import Proposal, Stage
from interra.venues.models import Booking


@pytest.mark.django_db
def test_demo_bookings_sessions_and_stages_agree():
    call_command("seed_demo")
    now = timezone.now()
    confirmed = Booking.objects.filter(status=Booking.Status.CONFIRMED)
    assert confirmed.exists()
    for booking in confirmed:
        assert booking.sessions.count() == 1, booking
    upcoming = Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now)
    assert upcoming.count() >= 12
    # An upcoming session in a room always holds it through a confirmed booking.
    assert not upcoming.filter(room__isnull=False, booking__isnull=True).exists()
    assert not upcoming.exclude(booking__isnull=True).exclude(
        booking__status=Booking.Status.CONFIRMED).exists()
    assert not Session.objects.exclude(booking__isnull=True).exclude(
        booking__status=Booking.Status.CONFIRMED).exists()
    for proposal in Proposal.objects.filter(workshop__isnull=False).select_related("workshop"):
        sessions = proposal.workshop.sessions.exclude(status=Session.Status.CANCELLED)
        if sessions.filter(status=Session.Status.HELD).exists():
            assert proposal.stage == Stage.RUNNING, proposal
        elif sessions.exists():
            assert proposal.stage == Stage.SCHEDULED, proposal
        else:
            assert proposal.stage not in (Stage.SCHEDULED, Stage.RUNNING), proposal
    assert Proposal.objects.filter(stage=Stage.SCHEDULED).exists()
    assert Proposal.objects.filter(stage=Stage.RUNNING).exists()
    by_leaders = Session.objects.filter(scheduled_by=F("workshop__leader"))
    assert by_leaders.count() >= 2
    trusted = set(LeaderTrust.objects.filter(revoked_at__isnull=True)
                  .values_list("leader_id", "city_id"))
    assert trusted and all((s.workshop.leader_id, s.city_id) in trusted for s in by_leaders)
    assert not Session.objects.filter(scheduled_by__isnull=True).exists()
