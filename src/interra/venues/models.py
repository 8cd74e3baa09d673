"""Partners, their venues and rooms, and bookings of rooms for workshops."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interra.core.models import TimeStampedModel


class PartnerType(models.TextChoices):
    VENUE_HOST = "venue_host", _("Venue host")
    MATERIALS = "materials", _("Materials lender")
    SOCIAL_SERVICE = "social_service", _("Social service")
    EMPLOYER = "employer", _("Employer")
    FUNDER = "funder", _("Funder")


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

    class Meta:
        ordering = ["venue__name", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self):
        return f"{self.venue.name} · {self.name}"


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

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="booking_ends_after_start"),
        ]
        indexes = [models.Index(fields=["room", "starts_at"])]

    def __str__(self):
        return f"{self.room} {self.starts_at:%Y-%m-%d %H:%M}"
