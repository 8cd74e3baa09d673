"""Workshops: an accepted proposal becomes a Workshop, which runs once or as a series.

The Proposal pipeline lives beside it (this app); sessions live in the agenda app.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interra.core.i18n import LocalizedTextField
from interra.core.models import TimeStampedModel


class Theme(models.TextChoices):
    COOKING = "cooking", _("Cooking")
    ART = "art", _("Art")
    SPORT = "sport", _("Sport")
    MUSIC = "music", _("Music")
    DANCE = "dance", _("Dance")
    DISCUSSION = "discussion", _("Philosophy and discussion")
    CRAFTS = "crafts", _("Crafts")
    LANGUAGES = "languages", _("Languages")
    NATURE = "nature", _("Nature and gardening")
    DIGITAL = "digital", _("Digital")
    WELLBEING = "wellbeing", _("Wellbeing")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    ADULTS = "adults", _("Adults")
    FAMILIES = "families", _("Families")
    CHILDREN = "children", _("Children")
    YOUTH = "youth", _("Young people")
    WOMEN = "women", _("Women only")
    EVERYONE = "everyone", _("Everyone")


class WorkshopFormat(models.TextChoices):
    ONE_OFF = "one_off", _("One-off")
    SERIES = "series", _("Series")


class Workshop(TimeStampedModel):
    """What a leader offers; its dated sessions are in the agenda."""

    city = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="workshops", verbose_name=_("city")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="workshops_led",
        verbose_name=_("leader"),
    )
    co_leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="workshops_co_led",
        verbose_name=_("co-leaders"),
    )
    theme = models.CharField(_("theme"), max_length=16, choices=Theme.choices)
    title = LocalizedTextField(_("title"))
    description = LocalizedTextField(_("description"))
    languages = models.JSONField(_("languages spoken in the workshop"), default=list, blank=True)
    beginner_french_welcome = models.BooleanField(_("beginner French welcome"), default=True)
    audience = models.CharField(
        _("for whom"), max_length=16, choices=Audience.choices, default=Audience.EVERYONE
    )
    group_size = models.PositiveSmallIntegerField(_("group size"), default=12)
    needs = models.JSONField(
        _("needs"), default=dict, blank=True,
        help_text=_("Room kind, equipment, materials, budget: as the proposal stated them."),
    )
    format = models.CharField(
        _("format"), max_length=8, choices=WorkshopFormat.choices, default=WorkshopFormat.ONE_OFF
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        indexes = [models.Index(fields=["city", "theme"])]

    def __str__(self):
        from interra.core.i18n import localized

        return localized(self.title) or f"#{self.pk}"
