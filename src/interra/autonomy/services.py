"""Writes of the autonomy path: trust a leader (or take it back), and a trusted leader's
own booking of their next session.

A trusted leader's choice goes through the same doors as a coordinator's:
``venues.services.booking_request`` locks the room and refuses a clash, the partner is
asked and confirms in their portal, and the confirmed booking becomes the session
(``agenda.services.session_from_booking``) scheduled by the leader, which is what the
impact page counts.
"""

from datetime import datetime

import rules
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from interra.cities.models import Membership, Role
from interra.core.errors import Conflict, DomainError, PermissionDenied
from interra.core.i18n import localized
from interra.notifications.services import notify
from interra.venues import services as venues_services

from . import selectors
from .models import LeaderTrust

REASON_MAX = 300


def _check_may_decide(by, city) -> None:
    # The rule itself, not ``by.has_perm``: Django lets a superuser through any perm.
    if by is None or not rules.has_perm("autonomy.manage_trust", by, city):
        raise PermissionDenied(_("Only a coordinator of this city can decide this."),
                               code="forbidden")


@transaction.atomic
def leader_trust_grant(*, leader, city, by, reason: str = "") -> LeaderTrust:
    """A coordinator of ``city`` confirms that ``leader`` schedules their own sessions
    there from now on. Records who, when and why, with the figures that made the leader
    eligible; the leader is told in their language (on commit).

    Refuses anyone but a coordinator of the city, a leader who has not reached the
    city's thresholds (``selectors.leader_record``), and a leader already trusted."""
    _check_may_decide(by, city)
    record = selectors.leader_record(leader=leader, city=city)
    if not record.eligible:
        raise DomainError(_("This leader has not reached the city's thresholds yet."),
                          code="not_eligible")
    # Serialises two coordinators confirming at once; the constraint is the last word.
    list(LeaderTrust.objects.select_for_update().filter(leader=leader, city=city,
                                                        revoked_at__isnull=True))
    if record.trust is not None or selectors.active_trust(leader=leader, city=city):
        raise Conflict(_("This leader is already trusted."), code="already")
    try:
        with transaction.atomic():
            trust = LeaderTrust.objects.create(
                leader=leader, city=city, granted_by=by, granted_at=timezone.now(),
                grant_reason=reason.strip()[:REASON_MAX], evidence=record.evidence())
    except IntegrityError as exc:
        raise Conflict(_("This leader is already trusted."), code="already") from exc
    if leader.is_active:
        notify(person=leader, template="leader_trusted", city_id=city.pk,
               context={"city": city.name, "sign_in_next": reverse("agenda:leader_home")})
    return trust


@transaction.atomic
def leader_trust_revoke(*, leader, city, by, reason: str) -> LeaderTrust:
    """A coordinator of ``city`` takes the trust back: from the next page the leader
    loads, they can no longer book. Rooms already asked for stay (the coordinator
    cancels them from the bookings page if need be). Records who, when and why; the
    leader is told, with the reason. Refuses without a reason, or if not trusted."""
    _check_may_decide(by, city)
    reason = reason.strip()[:REASON_MAX]
    if not reason:
        raise DomainError(_("Say why, in a few words."), code="reason")
    trust = (LeaderTrust.objects.select_for_update()
             .filter(leader=leader, city=city, revoked_at__isnull=True).first())
    if trust is None:
        raise Conflict(_("This leader is not trusted."), code="not_trusted")
    trust.revoked_by, trust.revoked_at, trust.revoke_reason = by, timezone.now(), reason
    trust.save(update_fields=["revoked_by", "revoked_at", "revoke_reason"])
    if leader.is_active:
        notify(person=leader, template="leader_trust_revoked", city_id=city.pk,
               context={"city": city.name, "reason": reason})
    return trust


def leader_session_request(*, workshop, leader, room_id: int, starts_at: datetime):
    """A trusted leader books the next session of their workshop at a start the planner
    proposed: the partner is asked for the room at once (their portal, a message), and
    the coordinators of the city are told, so that they may step in.

    Checked again at this moment, whatever the page showed: the leader is trusted in the
    workshop's city now, leads it, it still wants sessions, and the start still fits by
    the planner's rules (``selectors.slot_check``). Two leaders taking the same room at
    the same instant: the room lock lets one through, the other gets a Conflict saying
    so. Returns the booking (the session appears when the partner confirms)."""
    if workshop.leader_id != leader.pk or selectors.workshop_to_schedule(
            leader, workshop.pk) is None:
        raise PermissionDenied(
            _("The team schedules this workshop's sessions for now; ask your coordinator."),
            code="not_trusted")
    if starts_at <= timezone.now():
        raise DomainError(_("Choose a date in the future."), code="past")
    # Read before the transaction: on SQLite BEGIN IMMEDIATE is the write lock.
    checked = selectors.slot_check(workshop, room_id=room_id, starts_at=starts_at)
    if checked is None:
        raise Conflict(_("This time is no longer free. Choose another one."), code="gone")
    room, ends_at = checked
    with transaction.atomic():
        # Two taps at once (two times, or the same one twice): the workshop row is the
        # lock, and the trust and what the workshop still wants are read again under it.
        type(workshop).objects.select_for_update().filter(pk=workshop.pk).first()
        # Trust taken back since the check above: the revocation locks this row too.
        if not LeaderTrust.objects.select_for_update().filter(
                leader=leader, city_id=workshop.city_id, revoked_at__isnull=True).exists():
            raise PermissionDenied(
                _("The team schedules this workshop's sessions for now; ask your "
                  "coordinator."), code="not_trusted")
        if selectors.sessions_still_wanted(workshop) == 0:
            raise Conflict(_("This session is already asked for; the place confirms it."),
                           code="already_asked")
        try:
            booking = venues_services.booking_request(
                room=room, workshop=workshop, starts_at=starts_at, ends_at=ends_at,
                requested_by=leader, note=_("Chosen by the leader among the planner's times."))
        except Conflict as exc:
            raise Conflict(_("Someone has just taken this time. Choose another one."),
                           code="taken") from exc
        _tell_coordinators(booking)
    return booking


def _tell_coordinators(booking) -> None:
    """The coordinators of the city hear of it (a message), with the bookings page where
    they cancel it. Names the leader: they coordinate them."""
    workshop = booking.workshop
    local_start = timezone.localtime(booking.starts_at)
    context = {
        "leader": workshop.leader.first_name,
        "workshop": localized(workshop.title) or str(workshop.pk),
        "starts_at": local_start.isoformat(),
        "room": booking.room.name,
        "venue": booking.room.venue.name,
        "bookings_path": reverse("venues:bookings") + f"#booking-{booking.pk}",
    }
    coordinators = (Membership.objects.filter(city_id=workshop.city_id, role=Role.COORDINATOR,
                                              person__is_active=True)
                    .select_related("person"))
    for membership in coordinators:
        notify(person=membership.person, template="leader_session_requested",
               context=context, city_id=workshop.city_id)


# --- Personal data (core.personal_data) ------------------------------------------------------

def personal_data_export(person) -> list[dict]:
    """The decisions about the person as a leader: when they were trusted, why, and when
    it was taken back and why (the coordinators' names are theirs to keep)."""
    return [{"city": trust.city.name, "trusted_at": trust.granted_at.isoformat(),
             "why": trust.grant_reason,
             "taken_back_at": trust.revoked_at.isoformat() if trust.revoked_at else None,
             "why_taken_back": trust.revoke_reason}
            for trust in LeaderTrust.objects.filter(leader=person).select_related("city")]


def personal_data_erase(person) -> None:
    """The person's trust goes; decisions they made as a coordinator stay, without their
    name."""
    LeaderTrust.objects.filter(leader=person).delete()
    LeaderTrust.objects.filter(granted_by=person).update(granted_by=None)
    LeaderTrust.objects.filter(revoked_by=person).update(revoked_by=None)
