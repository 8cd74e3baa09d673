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
    outlook = models.TextField(_("perspectives for next year"), blank=True, max_length=4000)
    # Who signs the report for this city (the coordinator), and where.
    signatory_name = models.CharField(_("signed by"), max_length=120, blank=True)
    signatory_role = models.CharField(_("role of the signatory"), max_length=120, blank=True)
    signed_at_place = models.CharField(_("signed at (place)"), max_length=120, blank=True)
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


class TieMeeting(models.Model):
    """One newcomer and one local who both attended one held session: a pair per session.

    Maintained from attendance (``ties.py``: incrementally per session through
    ``tasks.refresh_ties_for_session``, or all at once by ``rebuild_ties``), so that the
    dashboard counts ties with indexed range counts instead of a self-join of registrations.
    The marks are those of the registrations (their snapshot), as in ``selectors.py``.

    Each row also links to the pair's previous and next meeting, network-wide and within the
    row's city (ordered by start, then session). With those links a pair's first meeting is
    the row without a previous one, and the pair's last meeting inside a period is the row
    whose next one is missing or after the period: new and lasting ties are then one COUNT
    each over a range of an index, with no GROUP BY and no DISTINCT.

    Privacy: rows hold user ids and dates only, never a name, a contact or a mark, and are
    never shown: the dashboard only counts them (then applies the "< 5" rule). They are
    personal data about who met whom, so they follow the person: erasure anonymises the
    user row and keeps these rows pointing at it, which keeps the network's anonymous
    counts (the registrations they derive from are kept the same way); deleting a user
    deletes their rows (CASCADE), like their registrations. They are not exported as "my
    data" because they add nothing to the registrations already exported.
    """

    session = models.ForeignKey("agenda.Session", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("session"))
    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("city"))
    # Copied from the session (kept in step when it moves): every count filters on it.
    starts_at = models.DateTimeField(_("session start"))
    newcomer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("newcomer"))
    local = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+", verbose_name=_("local"))
    previous_at = models.DateTimeField(_("previous meeting of the pair"), null=True, blank=True)
    next_at = models.DateTimeField(_("next meeting of the pair"), null=True, blank=True)
    previous_in_city_at = models.DateTimeField(_("previous meeting of the pair in this city"),
                                               null=True, blank=True)
    next_in_city_at = models.DateTimeField(_("next meeting of the pair in this city"),
                                           null=True, blank=True)

    class Meta:
        verbose_name = _("tie meeting")
        verbose_name_plural = _("tie meetings")
        constraints = [
            models.UniqueConstraint(fields=["session", "newcomer", "local"],
                                    name="tie_meeting_one_per_pair_and_session"),
        ]
        indexes = [
            # Covering indexes for the two counts (one city; the whole network).
            models.Index(fields=["city", "starts_at", "previous_in_city_at", "next_in_city_at"],
                         name="tie_meeting_city_chain"),
            models.Index(fields=["starts_at", "previous_at", "next_at"],
                         name="tie_meeting_network_chain"),
            # A pair's meetings, to relink them when one changes; grouped counts.
            models.Index(fields=["newcomer", "local", "starts_at"], name="tie_meeting_pair"),
        ]

    def __str__(self):
        return f"{self.session_id} · {self.newcomer_id} · {self.local_id}"


class TieSessionState(models.Model):
    """The state of a session (status, start, city) its tie meetings were computed for.

    Sessions can change through queryset updates that send no signal (the reminders job
    marks ended sessions as held that way): before counting, the dashboard compares these
    rows with the sessions and refreshes the few that differ.
    """

    session = models.OneToOneField("agenda.Session", on_delete=models.CASCADE,
                                   primary_key=True, related_name="+",
                                   verbose_name=_("session"))
    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("city"))
    status = models.CharField(_("status"), max_length=12)
    starts_at = models.DateTimeField(_("session start"))

    class Meta:
        verbose_name = _("session ties state")
        verbose_name_plural = _("session ties states")

    def __str__(self):
        return f"{self.session_id} · {self.status}"
