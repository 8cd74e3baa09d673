"""The autonomy path: which leaders a coordinator trusted to schedule their own sessions.

One row per promotion; taking it back fills ``revoked_*`` on that row, so the history of
who decided what, when and why stays readable. A leader is trusted in a city while a row
of that city has no ``revoked_at`` (a constraint keeps it to one at a time).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LeaderTrust(models.Model):
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="trusts", verbose_name=_("leader"))
    city = models.ForeignKey("cities.City", on_delete=models.CASCADE,
                             related_name="leader_trusts", verbose_name=_("city"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("trusted by"))
    granted_at = models.DateTimeField(_("trusted on"))
    grant_reason = models.CharField(_("why"), max_length=300, blank=True)
    # What the leader had done when trusted (numbers only): held sessions, average
    # feedback, attendance, and whether the city's thresholds were met.
    evidence = models.JSONField(_("figures when trusted"), default=dict, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("taken back by"))
    revoked_at = models.DateTimeField(_("taken back on"), null=True, blank=True)
    revoke_reason = models.CharField(_("why it was taken back"), max_length=300, blank=True)

    class Meta:
        ordering = ["-granted_at", "-pk"]
        verbose_name = _("trusted leader")
        verbose_name_plural = _("trusted leaders")
        constraints = [
            models.UniqueConstraint(fields=["leader", "city"],
                                    condition=Q(revoked_at__isnull=True),
                                    name="leader_trust_one_active_per_city"),
        ]

    def __str__(self):
        return f"{self.leader_id} · {self.city_id} · {self.granted_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
