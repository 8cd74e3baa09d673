"""Workshops: an accepted proposal becomes a Workshop, which runs once or as a series.

The Proposal pipeline lives beside it (this app); sessions live in the agenda app.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
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


# --- The proposal pipeline ---------------------------------------------------------------


class Stage(models.TextChoices):
    NEW = "new", _("New")
    IN_CONVERSATION = "conversation", _("In conversation")
    ACCEPTED = "accepted", _("Accepted")
    IN_PREPARATION = "preparation", _("In preparation")
    READY = "ready", _("Ready to schedule")
    SCHEDULED = "scheduled", _("Scheduled")
    RUNNING = "running", _("Running")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A proposal in one of these stages is over: it no longer blocks a duplicate.
CLOSED_STAGES = (Stage.DECLINED, Stage.WITHDRAWN)
# Stages that need a coordinator's or volunteer's next move (shown first on the board).
ACTIVE_STAGES = tuple(s for s in Stage if s not in CLOSED_STAGES)
# Where a proposal may go from each stage; anything else is refused by proposal_move.
TRANSITIONS = {
    Stage.NEW: {Stage.IN_CONVERSATION, Stage.ACCEPTED, Stage.DECLINED, Stage.WITHDRAWN},
    Stage.IN_CONVERSATION: {Stage.ACCEPTED, Stage.DECLINED, Stage.WITHDRAWN},
    Stage.ACCEPTED: {Stage.IN_PREPARATION, Stage.READY, Stage.WITHDRAWN},
    Stage.IN_PREPARATION: {Stage.READY, Stage.WITHDRAWN},
    Stage.READY: {Stage.IN_PREPARATION, Stage.SCHEDULED, Stage.WITHDRAWN},
    Stage.SCHEDULED: {Stage.READY, Stage.RUNNING, Stage.WITHDRAWN},
    Stage.RUNNING: {Stage.WITHDRAWN},
    Stage.DECLINED: {Stage.IN_CONVERSATION},
    Stage.WITHDRAWN: set(),
}
# Moving to these stages needs a reason the leader can read.
REASON_REQUIRED = (Stage.DECLINED, Stage.WITHDRAWN)


class RoomKind(models.TextChoices):
    KITCHEN = "kitchen", _("Kitchen")
    SPORTS_HALL = "sports_hall", _("Sports hall")
    STUDIO = "studio", _("Studio")
    QUIET_ROOM = "quiet_room", _("Quiet room")
    OUTDOORS = "outdoors", _("Outdoors")


class Weekday(models.TextChoices):
    MONDAY = "mon", _("Monday")
    TUESDAY = "tue", _("Tuesday")
    WEDNESDAY = "wed", _("Wednesday")
    THURSDAY = "thu", _("Thursday")
    FRIDAY = "fri", _("Friday")
    SATURDAY = "sat", _("Saturday")
    SUNDAY = "sun", _("Sunday")


class TimeOfDay(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")


def title_key(title: str) -> str:
    """The title as duplicate detection compares it: case, spaces and punctuation ignored."""
    return "".join(ch for ch in (title or "").casefold() if ch.isalnum())[:200]


class Proposal(TimeStampedModel):
    """What a would-be leader submitted; moves through the stages until it runs.

    ``title`` and ``description`` are written in ``language`` (the leader's own); other
    languages are added later by the team or the leader.
    """

    city = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="proposals", verbose_name=_("city")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals",
        verbose_name=_("leader"),
    )
    # What the anonymous form typed. Staff see these, not the account's own name and
    # contacts, until the leader holds a role in the city by their own doing (a new
    # person, or one who opened their leader space): typing somebody's phone must not
    # reveal who they are (issue 10).
    submitted_name = models.CharField(_("name as typed"), max_length=80, blank=True)
    submitted_contact = models.CharField(_("contact as typed"), max_length=254, blank=True)
    language = models.CharField(_("language of the text"), max_length=8,
                                choices=settings.LANGUAGES, default="fr")
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    theme = models.CharField(_("theme"), max_length=16, choices=Theme.choices)
    title = LocalizedTextField(_("title"))
    description = LocalizedTextField(_("description"))
    # For duplicate detection (same person, same title) and its database constraint.
    title_key = models.CharField(max_length=200, editable=False)
    audience = models.CharField(
        _("for whom"), max_length=16, choices=Audience.choices, default=Audience.EVERYONE
    )
    group_size = models.PositiveSmallIntegerField(_("group size"), default=12)
    room_kind = models.CharField(_("kind of room"), max_length=16, choices=RoomKind.choices,
                                 blank=True)
    equipment = models.CharField(_("equipment"), max_length=300, blank=True)
    materials = models.CharField(_("materials"), max_length=300, blank=True)
    budget = models.PositiveSmallIntegerField(_("budget (euros)"), null=True, blank=True)
    available_days = models.JSONField(_("days"), default=list, blank=True)
    available_times = models.JSONField(_("times of day"), default=list, blank=True)
    neighbourhoods = models.JSONField(_("neighbourhoods"), default=list, blank=True)

    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices,
                             default=Stage.NEW, db_index=True)
    stage_changed_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    stage_reason = models.CharField(_("reason"), max_length=500, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="proposals_followed", verbose_name=_("followed by"),
    )
    workshop = models.OneToOneField(
        Workshop, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal",
        verbose_name=_("workshop"),
    )

    class Meta:
        ordering = ["stage_changed_at", "pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["city", "stage", "stage_changed_at"])]
        constraints = [
            # The last line of defence against a double submission (two taps, two tabs).
            models.UniqueConstraint(
                fields=["leader", "title_key"],
                condition=~models.Q(stage__in=["declined", "withdrawn"]),
                name="proposal_unique_open_title_per_leader",
            ),
        ]

    def __str__(self):
        from interra.core.i18n import localized

        return localized(self.title) or f"#{self.pk}"

    def save(self, *args, **kwargs):
        # Rows made outside proposal_submit (demo, other apps' tests) still get their key,
        # so the duplicate constraint never compares empty strings.
        if not self.title_key:
            own = self.title.get(self.language) or next(iter(self.title.values()), "")
            self.title_key = title_key(own) or f"untitled-{timezone.now().timestamp()}"
        super().save(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSED_STAGES

    @property
    def next_stages(self) -> list[str]:
        return [s for s in Stage.values if s in TRANSITIONS[Stage(self.stage)]]

    def missing_for_leader(self) -> list[str]:
        """What the leader could still add themselves (shown in their space)."""
        if self.is_closed:
            return []
        missing = []
        if not self.description:
            missing.append(_("A short description"))
        if not (self.title.get("fr") or "").strip():
            missing.append(_("A title in French (the team can help)"))
        if not (self.available_days or self.available_times):
            missing.append(_("When you are free"))
        return missing

    def needs_summary(self) -> dict:
        """The needs as the Workshop stores them (``Workshop.needs``)."""
        return {
            "room_kind": self.room_kind,
            "equipment": self.equipment,
            "materials": self.materials,
            "budget": self.budget,
            "available_days": self.available_days,
            "available_times": self.available_times,
            "neighbourhoods": self.neighbourhoods,
        }


class StageChange(models.Model):
    """One move of a proposal: who, when, from where to where, and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="history",
                                 verbose_name=_("proposal"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("by"),
    )
    from_stage = models.CharField(_("from"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self):
        return f"{self.proposal_id}: {self.from_stage} → {self.to_stage}"


class Note(TimeStampedModel):
    """An internal note on a proposal, for the staff of its city only."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="notes",
                                 verbose_name=_("proposal"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("note"), max_length=2000)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self):
        return self.text[:60]


class TaskKind(models.TextChoices):
    MEET = "meet", _("Meet the leader")
    ROOM = "room", _("Find a room")
    MATERIALS = "materials", _("Gather materials")
    PUBLIC = "public", _("Reach a public")
    TRANSLATE = "translate", _("Translate the description")
    POSTER = "poster", _("Make the poster")


# A proposal is ready to schedule once these are done; the public and the poster need
# a date, so they come after scheduling.
BLOCKING_TASKS = (TaskKind.MEET, TaskKind.ROOM, TaskKind.MATERIALS, TaskKind.TRANSLATE)


class Task(TimeStampedModel):
    """One step of the accompaniment of an accepted proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="tasks",
                                 verbose_name=_("proposal"))
    kind = models.CharField(_("task"), max_length=16, choices=TaskKind.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="proposal_tasks", verbose_name=_("assigned to"),
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("done by"),
    )
    # The last time a closed task was opened again: who, when and why.
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("reopened by"),
    )
    reopen_reason = models.CharField(_("why it was reopened"), max_length=300, blank=True)

    class Meta:
        ordering = ["done_at", "due_on", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "kind"], name="task_unique_kind"),
        ]
        indexes = [models.Index(fields=["assignee", "done_at", "due_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.proposal_id}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_on < timezone.localdate()


class CoLeaderInvitation(models.Model):
    """A coordinator asks somebody to co-lead a workshop; they answer from their own
    space. Until they accept, the coordinator sees only the name they typed: nothing
    stored about the person found by the phone or email (issue 10, finding 2)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="co_leader_invitations",
        verbose_name=_("workshop"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
        related_name="co_leader_invitations", verbose_name=_("person"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("invited by"),
    )
    invited_name = models.CharField(_("name as typed by the coordinator"), max_length=80)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("co-leader invitation")
        verbose_name_plural = _("co-leader invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "person"], condition=models.Q(status="pending"),
                name="co_leader_invitation_one_pending",
            ),
        ]

    def __str__(self):
        return f"{self.invited_name} · {self.workshop_id} · {self.status}"
