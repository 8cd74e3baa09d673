"""Sessions of workshops, the people registered for them, attendance and feedback.

Seat rules (held seats for newcomers and locals, the waitlist) live in ``seats.py`` as pure
arithmetic and are applied under a lock by ``services.py``.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from interra.accounts.models import Group
from interra.core.models import TimeStampedModel


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Session(TimeStampedModel):
    """One dated occurrence of a workshop, in a room, with a capacity."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", pgettext_lazy("session status", "held")
        CANCELLED = "cancelled", _("cancelled")

    workshop = models.ForeignKey(
        "proposals.Workshop", on_delete=models.CASCADE, related_name="sessions",
        verbose_name=_("workshop"),
    )
    # Copied from the workshop: every public and staff list filters by city first.
    city = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="sessions", verbose_name=_("city")
    )
    room = models.ForeignKey(
        "venues.Room", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="sessions", verbose_name=_("room"),
    )
    booking = models.ForeignKey(
        "venues.Booking", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="sessions", verbose_name=_("booking"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    newcomer_seats_percent = models.PositiveSmallIntegerField(
        _("seats held for newcomers (%)"), validators=[MaxValueValidator(100)],
        null=True, blank=True,
    )
    local_seats_percent = models.PositiveSmallIntegerField(
        _("seats held for locals (%)"), validators=[MaxValueValidator(100)],
        null=True, blank=True,
    )
    hold_release_at = models.DateTimeField(_("held seats open to all from"), null=True,
                                           blank=True)
    max_seats_per_registration = models.PositiveSmallIntegerField(
        _("most seats one person may take"), default=4, validators=[MinValueValidator(1)]
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.SCHEDULED)
    series_key = models.CharField(_("series"), max_length=40, blank=True, db_index=True)
    leader_note = models.TextField(_("leader's note"), blank=True)
    # Who put the session on the agenda (for a booked room: who asked for it). The impact
    # dashboard counts the sessions leaders schedule themselves.
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("scheduled by"),
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = pgettext_lazy("workshop date", "session")
        verbose_name_plural = pgettext_lazy("workshop date", "sessions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                   name="session_ends_after_start"),
            models.CheckConstraint(
                condition=Q(newcomer_seats_percent__isnull=True)
                | Q(local_seats_percent__isnull=True)
                | Q(newcomer_seats_percent__lte=100 - models.F("local_seats_percent")),
                name="session_held_seats_at_most_100_percent",
            ),
            # A confirmed booking becomes one public session, never two.
            models.UniqueConstraint(fields=["booking"], condition=Q(booking__isnull=False),
                                    name="session_one_per_booking"),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["city", "status", "starts_at"]),
        ]

    def __str__(self):
        return f"{self.workshop} {self.starts_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.apply_defaults()
        super().save(*args, **kwargs)

    def apply_defaults(self):
        """Fill what the coordinator left empty from the workshop's city."""
        if not self.city_id and self.workshop_id:
            self.city_id = self.workshop.city_id
        city = self.city if self.city_id else None
        if self.newcomer_seats_percent is None:
            self.newcomer_seats_percent = city.newcomer_seats_percent if city else 0
        if self.local_seats_percent is None:
            self.local_seats_percent = city.local_seats_percent if city else 0
        if self.hold_release_at is None and self.starts_at:
            hours = city.hold_release_hours if city else 48
            self.hold_release_at = self.starts_at - timedelta(hours=hours)
        if not self.capacity:
            self.capacity = (self.room.capacity if self.room_id else None) or (
                self.workshop.group_size if self.workshop_id else 12)

    def get_absolute_url(self):
        return reverse("agenda:session", args=[self.pk])

    @property
    def absolute_url(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()

    @property
    def held_for_newcomers(self) -> int:
        return self.capacity * (self.newcomer_seats_percent or 0) // 100

    @property
    def held_for_locals(self) -> int:
        return self.capacity * (self.local_seats_percent or 0) // 100


class Registration(models.Model):
    """A person's seats (or waitlist place) in a session; a walk-in has no person."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("on the waitlist")
        CANCELLED = "cancelled", _("cancelled")

    session = models.ForeignKey(Session, on_delete=models.CASCADE,
                                related_name="registrations", verbose_name=_("session"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="registrations", verbose_name=_("person"),
    )
    walk_in_name = models.CharField(_("name of a walk-in"), max_length=80, blank=True)
    # A registration made for a person already on file by somebody who did not prove to be
    # them (the public form, the API, the staff desk) is "unclaimed": it keeps the name
    # and contact typed for it, and the leader and staff see those, never the account's
    # name or other contact, until the person says from their private link that it is
    # theirs (``registration_claim``). Typing a phone must not tell whose it is.
    claimed = models.BooleanField(_("confirmed by the person"), default=True)
    name_as_typed = models.CharField(_("name as typed"), max_length=80, blank=True)
    contact_as_typed = models.CharField(_("contact as typed"), max_length=254, blank=True)
    is_walk_in = models.BooleanField(_("walked in"), default=False)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1,
                                             validators=[MinValueValidator(1)])
    # A snapshot of the self-declared mark when registering: counts stay right even if the
    # person later changes or erases it.
    group = models.CharField(_("newcomer or local"), max_length=16, choices=Group.choices,
                             default=Group.UNDISCLOSED)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    token = models.CharField(_("private link key"), max_length=64, unique=True,
                             default=new_token, editable=False)
    attended = models.BooleanField(_("came"), null=True, blank=True)
    # For a registration of several seats ("+1"): how many of them came. Empty means all
    # of them when ``attended`` is true.
    attended_seats = models.PositiveSmallIntegerField(_("seats that came"), null=True,
                                                      blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved from the waitlist"), null=True, blank=True)
    feedback_requested_at = models.DateTimeField(_("feedback asked"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # Last line of defence against registering twice (the service says it kindly).
            models.UniqueConstraint(
                fields=["session", "person"], condition=~Q(status="cancelled"),
                name="registration_one_active_per_person",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="registration_seats_positive"),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self):
        return f"{self.display_first_name} · {self.session_id} · {self.status}"

    def get_absolute_url(self):
        return reverse("agenda:registration", args=[self.token])

    @property
    def display_name(self) -> str:
        """The name others (leader, staff) read: the account's once the person claimed
        the registration, else what was typed for it."""
        if self.person_id and self.claimed:
            return self.person.display_name or ""
        if self.person_id:
            return self.name_as_typed
        # A walk-in's name is shown exactly as the leader typed it ("Галина (з подругою)").
        return self.walk_in_name or ""

    @property
    def display_first_name(self) -> str:
        if self.person_id:
            return (self.display_name or "").split(" ")[0]
        return self.walk_in_name or ""

    @property
    def shown_phone(self) -> str:
        """The phone staff may read for this registration (see ``display_name``)."""
        if self.person_id and self.claimed:
            return self.person.phone or ""
        return self.contact_as_typed if "@" not in self.contact_as_typed else ""

    @property
    def shown_email(self) -> str:
        if self.person_id and self.claimed:
            return self.person.email or ""
        return self.contact_as_typed if "@" in self.contact_as_typed else ""

    @property
    def present_seats(self) -> int:
        """How many people of this registration came (0 when not marked present)."""
        if not self.attended:
            return 0
        return self.seats if self.attended_seats is None else self.attended_seats

    @property
    def seat_choices(self) -> range:
        return range(self.seats + 1)


class SessionLogEntry(models.Model):
    """Who changed what, when and why, when staff change a session or a registration for
    someone (the staff desk: a phone call to the office). Holds no contact details: the
    registration it points to says who; erasing the person blanks the reason."""

    class Action(models.TextChoices):
        REGISTERED = "registered", _("registered by staff")
        CANCELLED = "cancelled", _("registration cancelled by staff")
        PROMOTED = "promoted", _("moved from the waitlist by staff")
        AUTO_PROMOTED = "auto_promoted", _("moved from the waitlist (a seat freed up)")
        LINK_SENT = "link_sent", _("link sent again")
        SEATS_CHANGED = "seats_changed", _("seats changed")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="log_entries",
                                verbose_name=pgettext_lazy("workshop date", "session"))
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.CASCADE,
        related_name="log_entries", verbose_name=_("registration"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("by"))
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    reason = models.CharField(_("why"), max_length=300, blank=True)
    # Numbers only (seats before and after, capacity...), never a name or a contact.
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("session log entry")
        verbose_name_plural = _("session log entries")

    def __str__(self):
        return f"{self.session_id} · {self.action} · {self.created_at:%Y-%m-%d %H:%M}"


class Feedback(models.Model):
    """How a participant felt about a session: a smiley (1 to 5) and an optional word."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE,
                                        related_name="feedback", verbose_name=_("registration"))
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    # The participant's explicit yes (never ticked for them): the leaders of the session
    # may quote the comment, without any name, on their portfolio. Withdrawn at any time
    # from "My data"; erasing the person withdraws it too.
    quote_consent = models.BooleanField(
        _("the leader may quote this comment, without my name, on their portfolio"),
        default=False)
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5),
                                   name="feedback_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.rating}/5 · {self.registration_id}"


class ReminderSent(models.Model):
    """One reminder sent for one registration, so that sending twice is impossible."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="reminders", verbose_name=_("registration"))
    hours_before = models.PositiveSmallIntegerField(_("hours before"))
    # Reminders are for one start time; a moved session gets new ones.
    starts_at = models.DateTimeField(_("session start"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["registration", "hours_before", "starts_at"],
                                    name="reminder_sent_once"),
        ]

    def __str__(self):
        return f"{self.registration_id} · {self.hours_before} h"
