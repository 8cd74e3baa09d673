"""What the impact app stores itself: the coordinator's qualitative highlights per year.

Every figure is computed from the other apps' data (see ``selectors.py``); only the words
a coordinator writes for the yearly report live here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interra.core.models import TimeStampedModel


class ReportHighlight(TimeStampedModel):
    """Qualitative highlights of one city's year, written by its coordinator for the report.

    The text is about workshops and the network, not about people: the edit page says so.
    """

    city = models.ForeignKey(
        "cities.City", on_delete=models.CASCADE, related_name="report_highlights",
        verbose_name=_("city"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    highlights = models.TextField(_("highlights of the year"), blank=True, max_length=6000)
    partnerships = models.TextField(_("about our partnerships"), blank=True, max_length=4000)
    outlook = models.TextField(_("outlook for next year"), blank=True, max_length=4000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("last edited by"),
    )

    class Meta:
        ordering = ["-year", "city"]
        verbose_name = _("report highlights")
        verbose_name_plural = _("report highlights")
        constraints = [
            models.UniqueConstraint(fields=["city", "year"], name="report_highlight_city_year"),
        ]

    def __str__(self):
        return f"{self.city} {self.year}"
