"""Partners, their venues and rooms, opening rules, bookings of rooms, and materials."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from interra.core.models import TimeStampedModel


class PartnerType(models.TextChoices):
    VENUE_HOST = "venue_host", _("Venue host")
    MATERIALS = "materials", _("Materials lender")
    SOCIAL_SERVICE = "social_service", _("Social service")
    EMPLOYER = "employer", _("Employer")
    FUNDER = "funder", _("Funder")


class Agreement(models.TextChoices):
    FREE = "free", _("Free of charge")
    PAID = "paid", _("Paid")
    CONDITIONS = "conditions", _("Under conditions")


class Equipment(models.TextChoices):
    """The fixed vocabulary of what a room offers; the room finder matches on these keys."""

    KITCHEN = "kitchen", _("Kitchen")
    OVEN = "oven", _("Oven")
    SPORTS_FLOOR = "sports_floor", _("Sports floor")
    MIRRORS = "mirrors", _("Mirrors")
    PROJECTOR = "projector", _("Projector")
    PIANO = "piano", _("Piano")
    SOUND_SYSTEM = "sound_system", _("Sound system")
    OUTDOOR_SPACE = "outdoor_space", _("Outdoor space")
    TABLES = "tables", _("Tables and chairs")
    SINK = "sink", _("Sink")
    WIFI = "wifi", _("Wi-Fi")
    WHITEBOARD = "whiteboard", _("Whiteboard")


class Accessibility(models.TextChoices):
    STEP_FREE = "step_free", _("Step-free access")
    ACCESSIBLE_TOILET = "accessible_toilet", _("Accessible toilet")
    LIFT = "lift", _("Lift")
    CHILD_FRIENDLY = "child_friendly", _("Child-friendly")


class Partner(TimeStampedModel):
    city = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="partners", verbose_name=_("city")
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=16, choices=PartnerType.choices,
                            default=PartnerType.VENUE_HOST)
    description = models.TextField(_("description"), blank=True)
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="partner_of",
        verbose_name=_("contacts"),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    agreement = models.CharField(_("agreement"), max_length=12, choices=Agreement.choices,
                                 default=Agreement.FREE)
    agreement_terms = models.TextField(
        _("terms of the agreement"), blank=True,
        help_text=_("Price, conditions, who to call: what the team must know before booking."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class Venue(TimeStampedModel):
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="venues", verbose_name=_("partner")
    )
    city = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="venues", verbose_name=_("city")
    )
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=80, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    public_transport = models.TextField(_("how to get there by public transport"), blank=True)
    house_rules = models.TextField(_("house rules"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self):
        return self.name


class Room(TimeStampedModel):
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("venue")
    )
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    equipment = models.JSONField(_("equipment"), default=list, blank=True)
    accessibility = models.JSONField(_("accessibility"), default=list, blank=True)
    cost_per_hour = models.DecimalField(_("cost per hour (EUR)"), max_digits=7,
                                        decimal_places=2, default=0)
    cost_notes = models.CharField(_("about the cost"), max_length=200, blank=True)
    setup_minutes = models.PositiveSmallIntegerField(
        _("set-up time (minutes)"), default=15,
        help_text=_("Kept free before each booking."),
    )
    cleanup_minutes = models.PositiveSmallIntegerField(
        _("clean-up time (minutes)"), default=15,
        help_text=_("Kept free after each booking."),
    )
    is_active = models.BooleanField(_("can be booked"), default=True)

    class Meta:
        ordering = ["venue__name", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self):
        return f"{self.venue.name} · {self.name}"

    def get_equipment_display(self) -> list[str]:
        labels = dict(Equipment.choices)
        return [str(labels.get(key, key)) for key in self.equipment]

    def get_accessibility_display(self) -> list[str]:
        labels = dict(Accessibility.choices)
        return [str(labels.get(key, key)) for key in self.accessibility]


RRULE_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class OpeningRule(TimeStampedModel):
    """When a room is open, as an RFC 5545 recurrence ("FREQ=WEEKLY;BYDAY=TU,TH") with hours.

    Times are wall-clock times in the platform's time zone; a room with no rule at all is
    "open on request" (the partner decides), so the finder and bookings do not restrict it.
    """

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="opening_rules", verbose_name=_("room")
    )
    rrule = models.CharField(_("recurrence (RFC 5545 RRULE)"), max_length=200,
                             default="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["room", "opens_at"]
        verbose_name = _("opening rule")
        verbose_name_plural = _("opening rules")
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")),
                                   name="opening_rule_closes_after_opening"),
        ]

    def __str__(self):
        return f"{self.room_id} {self.rrule} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"

    @property
    def weekdays(self) -> list[int]:
        """0 = Monday ... 6 = Sunday, read from BYDAY (empty when the rule has none)."""
        for part in self.rrule.upper().split(";"):
            if part.startswith("BYDAY="):
                days = [d.strip()[-2:] for d in part[6:].split(",")]
                return [RRULE_DAYS.index(d) for d in days if d in RRULE_DAYS]
        return []

    def describe(self) -> str:
        """"Tuesday, Thursday 14:00–21:00" in the reader's language."""
        days = ", ".join(str(WEEKDAYS[d]) for d in self.weekdays) or self.rrule
        return f"{days} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class Closure(TimeStampedModel):
    """An exception to the opening rules: a holiday, works, a one-off event.

    Without a room it closes the whole venue.
    """

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="closures", verbose_name=_("venue")
    )
    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, null=True, blank=True, related_name="closures",
        verbose_name=_("room"), help_text=_("Leave empty to close the whole venue."),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="closure_ends_after_start"),
        ]
        indexes = [models.Index(fields=["venue", "starts_at"])]

    def __str__(self):
        return f"{self.venue_id} {self.starts_at:%Y-%m-%d} {self.reason}"


class Booking(TimeStampedModel):
    """A room reserved for a workshop over [starts_at, ends_at), buffers included apart.

    Two requested-or-confirmed bookings of one room never overlap (see services).
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        CONFIRMED = "confirmed", _("confirmed")
        REFUSED = "refused", _("refused")
        CANCELLED = "cancelled", _("cancelled")

    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("room")
    )
    workshop = models.ForeignKey(
        "proposals.Workshop", on_delete=models.CASCADE, related_name="bookings",
        verbose_name=_("workshop"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="bookings_requested", verbose_name=_("requested by"),
    )
    setup_minutes = models.PositiveSmallIntegerField(_("set-up time (minutes)"), default=0)
    cleanup_minutes = models.PositiveSmallIntegerField(_("clean-up time (minutes)"), default=0)
    # The room is held over [blocked_from, blocked_until): the booking plus its buffers.
    # Stored (not computed in SQL) because the PostgreSQL exclusion constraint needs an
    # immutable expression, and timestamptz minus an interval is not one.
    # NOT NULL on purpose: a bulk_create that skips save() fails loudly instead of storing
    # an unbounded range (which PostgreSQL's constraint would read as "forever").
    blocked_from = models.DateTimeField(_("room held from"), editable=False)
    blocked_until = models.DateTimeField(_("room held until"), editable=False)
    note = models.TextField(_("note for the partner"), blank=True)
    partner_message = models.TextField(_("message from the partner"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="bookings_decided", verbose_name=_("decided by"),
    )

    ACTIVE_STATUSES = (Status.REQUESTED, Status.CONFIRMED)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="booking_ends_after_start"),
            # On PostgreSQL, migration 0003 adds the exclusion constraint
            # "booking_no_overlap" (btree_gist) over [blocked_from, blocked_until).
        ]
        indexes = [models.Index(fields=["room", "starts_at"]),
                   models.Index(fields=["room", "status", "blocked_from"],
                                name="venues_booking_room_blocked")]

    def __str__(self):
        return f"{self.room} {self.starts_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.blocked_from = self.starts_at - timedelta(minutes=self.setup_minutes or 0)
        self.blocked_until = self.ends_at + timedelta(minutes=self.cleanup_minutes or 0)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"starts_at", "ends_at", "setup_minutes",
                                          "cleanup_minutes"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "blocked_from", "blocked_until"}
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class Material(TimeStampedModel):
    """Lendable equipment: a folding table set, a sewing machine, a sound box..."""

    city = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="materials", verbose_name=_("city")
    )
    name = models.CharField(_("item"), max_length=120)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    kept_at = models.CharField(_("where it is kept"), max_length=200, blank=True)
    lender = models.ForeignKey(
        Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="materials",
        verbose_name=_("lent by"), help_text=_("Empty when Interra owns it."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.name


class MaterialLoan(TimeStampedModel):
    """Some units of a material lent for a workshop (usually for one booking) over a range."""

    material = models.ForeignKey(
        Material, on_delete=models.PROTECT, related_name="loans", verbose_name=_("material")
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    booking = models.ForeignKey(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="loans",
        verbose_name=_("booking"),
    )
    workshop = models.ForeignKey(
        "proposals.Workshop", on_delete=models.CASCADE, null=True, blank=True,
        related_name="material_loans", verbose_name=_("workshop"),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("due back"))
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="material_loans_created", verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("material loan")
        verbose_name_plural = _("material loans")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="material_loan_ends_after_start"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1),
                                   name="material_loan_quantity_positive"),
        ]
        indexes = [models.Index(fields=["material", "starts_at"])]

    def __str__(self):
        return f"{self.material} ×{self.quantity} {self.starts_at:%Y-%m-%d}"
