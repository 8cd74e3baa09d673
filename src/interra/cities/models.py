"""Cities (antennas) and who does what in each of them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from interra.core.models import TimeStampedModel
from interra.core.whatsapp import WhatsAppNumberField


class City(TimeStampedModel):
    """A local branch with its own coordinators and its own data scope."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("short name"), unique=True)
    neighbourhoods = models.JSONField(
        _("neighbourhoods"), default=list, blank=True,
        help_text=_("Names of the neighbourhoods people can choose from."),
    )
    # Mixed groups by design: share of seats held for each group until the release.
    newcomer_seats_percent = models.PositiveSmallIntegerField(
        _("seats held for newcomers (%)"), default=40,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    local_seats_percent = models.PositiveSmallIntegerField(
        _("seats held for locals (%)"), default=40,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    hold_release_hours = models.PositiveSmallIntegerField(
        _("held seats open to all this many hours before"), default=48
    )
    reminder_hours = models.JSONField(
        _("reminders, hours before a session"), default=list, blank=True
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    # Opening a city (issue 14): where the antenna is, its clock, what it shows.
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Brussels")
    address = models.CharField(
        _("antenna address"), max_length=200, blank=True,
        help_text=_("Printed on posters and shown to people who contact the antenna."),
    )
    languages = models.JSONField(
        _("languages shown"), default=list, blank=True,
        help_text=_("Language codes the city's posters and pages offer first, "
                    "e.g. [\"fr\", \"ar\"]."),
    )
    poster_footer = models.CharField(
        _("poster footer"), max_length=160, blank=True,
        help_text=_("A line printed at the bottom of every poster: a partner, a funder, a motto."),
    )
    # Data, not a tick: set when a coordinator saves the settings page; the checklist
    # reads it (cities.checklist).
    settings_saved_at = models.DateTimeField(_("settings saved"), null=True, blank=True)
    checklist_dismissed_at = models.DateTimeField(
        _("opening checklist dismissed"), null=True, blank=True)
    # Optional: pages and messages then offer "write to us on WhatsApp" (a wa.me link).
    whatsapp_number = WhatsAppNumberField(
        _("WhatsApp number"),
        help_text=_("Optional. In international form, e.g. +32 470 12 34 56: pages and "
                    "messages then offer to write to the antenna on WhatsApp."),
    )
    # The autonomy path: a leader who reaches all three becomes eligible to be trusted
    # (a coordinator still confirms), then schedules their own next sessions.
    trust_min_held_sessions = models.PositiveSmallIntegerField(
        _("sessions held before a leader can be trusted"), default=4,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    trust_min_average_feedback = models.DecimalField(
        _("lowest average feedback (1 to 5) for a trusted leader"), max_digits=2,
        decimal_places=1, default=Decimal("4.0"),
        validators=[MinValueValidator(Decimal("1.0")), MaxValueValidator(Decimal("5.0"))],
    )
    trust_min_attendance_percent = models.PositiveSmallIntegerField(
        # No "%" in the label: gettext would read it as a format directive.
        _("lowest attendance, in percent of the registered people who came, for a trusted leader"),
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    newcomer_seats_percent__lte=100 - models.F("local_seats_percent")
                ),
                name="city_held_seats_at_most_100_percent",
            ),
        ]

    def __str__(self):
        return self.name

    def get_reminder_hours(self) -> list[int]:
        return self.reminder_hours or [48, 3]


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    VOLUNTEER = "volunteer", _("Volunteer")
    LEADER = "leader", _("Workshop leader")
    PARTICIPANT = "participant", _("Participant")
    PARTNER = "partner", _("Partner contact")
    EMPLOYER = "employer", _("Employer")


STAFF_ROLES = (Role.COORDINATOR, Role.VOLUNTEER)


class Membership(TimeStampedModel):
    """A person's role in a city. One person may hold several roles in several cities."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("person"),
    )
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("city")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("role in a city")
        verbose_name_plural = _("roles in cities")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "city", "role"], name="membership_unique_role"
            )
        ]
        indexes = [models.Index(fields=["city", "role"])]

    def __str__(self):
        return f"{self.person} · {self.get_role_display()} · {self.city}"
