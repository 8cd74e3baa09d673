"""A plan the scheduling assistant proposed for a city and a period, and its items.

Kept so a coordinator can come back to it: accept some items today, others tomorrow, and
see which bookings partners refused ("re-plan these").
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interra.core.models import TimeStampedModel


class Plan(TimeStampedModel):
    class State(models.TextChoices):
        # The solve runs in a background task (tasks.py): queued, then running, then done
        # (or failed, with the reason kept for the coordinator).
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("planning")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="plans",
                             verbose_name=_("city"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("made by"),
    )
    starts_on = models.DateField(_("first day"))
    days = models.PositiveSmallIntegerField(_("days"))
    time_limit = models.PositiveSmallIntegerField(_("time limit (seconds)"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices,
                             default=State.DONE)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    failure = models.CharField(_("why it failed"), max_length=300, blank=True)
    status = models.CharField(_("solver status"), max_length=16, blank=True)
    wanted = models.PositiveIntegerField(_("sessions wanted"), default=0)
    bound = models.PositiveIntegerField(_("at most placeable"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    # [{"workshop": id, "missing": n, "blocker": {...}, "suggestion": {...}}]: codes and
    # parameters, turned into sentences in the reader's language (see explain.py).
    unplaced = models.JSONField(_("not placed"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["city", "state"], name="plan_city_state")]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self):
        return f"{self.city} {self.starts_on:%Y-%m-%d} +{self.days}"

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)


class PlanItem(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        REQUESTED = "requested", _("booking requested")
        CLASH = "clash", _("no longer free")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items",
                             verbose_name=_("plan"))
    workshop = models.ForeignKey("proposals.Workshop", on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("workshop"))
    room = models.ForeignKey("venues.Room", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("room"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.PROPOSED)
    problem = models.CharField(_("problem"), max_length=300, blank=True)
    booking = models.OneToOneField("venues.Booking", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="plan_item",
                                   verbose_name=_("booking"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self):
        return f"{self.workshop_id} {self.room_id} {self.starts_at:%Y-%m-%d %H:%M}"
