"""Reads of the proposal pipeline, always scoped to what the viewer may see."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from interra.accounts.models import User
from interra.cities.models import STAFF_ROLES, Membership, Role
from interra.cities.selectors import cities_for_user, coordinated_cities

from .models import ACTIVE_STAGES, Note, Proposal, Stage, StageChange, Task, Workshop

BOARD_LIMIT = 500


def _leader_confirmed(prefix: str = ""):
    """True when the proposal's leader holds a leader role in its city (see
    ``Proposal.submitted_name``): only then do staff see the account's name and
    contacts."""
    return Exists(Membership.objects.filter(person=OuterRef(f"{prefix}leader"),
                                            city=OuterRef(f"{prefix}city"),
                                            role=Role.LEADER))


@dataclass
class BoardFilters:
    city: str = ""
    theme: str = ""
    language: str = ""
    assignee: str = ""  # a person's id, "none" for unassigned
    waiting_days: int | None = None
    closed: bool = False  # show declined and withdrawn too


def _open_tasks():
    return Prefetch("tasks", queryset=Task.objects.filter(done_at__isnull=True)
                    .order_by("due_on", "pk"), to_attr="open_tasks")


def board(user, filters: BoardFilters) -> tuple[list[Proposal], dict[str, int]]:
    """The proposals of the cities ``user`` coordinates, oldest waiting first, and the
    number in each stage (the counts ignore the stage filter but honour the others).

    A constant number of queries, however many proposals.
    """
    queryset = Proposal.objects.filter(city__in=coordinated_cities(user))
    if filters.city:
        queryset = queryset.filter(city__slug=filters.city)
    if filters.theme:
        queryset = queryset.filter(theme=filters.theme)
    if filters.language:
        # A text search on the JSON list works the same on SQLite and PostgreSQL.
        queryset = queryset.filter(
            Q(language=filters.language) | Q(languages__icontains=f'"{filters.language}"')
        )
    if filters.assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        queryset = queryset.filter(assignee_id=int(filters.assignee))
    if filters.waiting_days:
        queryset = queryset.filter(
            stage_changed_at__lte=timezone.now() - timedelta(days=filters.waiting_days)
        )
    counts = {row["stage"]: row["n"] for row in
              queryset.order_by().values("stage").annotate(n=Count("pk"))}
    if not filters.closed:
        queryset = queryset.filter(stage__in=ACTIVE_STAGES)
    proposals = list(
        queryset.annotate(leader_confirmed=_leader_confirmed())
        .select_related("city", "leader", "assignee")
        .prefetch_related(_open_tasks())
        .order_by("stage_changed_at", "pk")[:BOARD_LIMIT]
    )
    return proposals, {stage: counts.get(stage, 0) for stage in Stage.values}


def board_columns(proposals: list[Proposal], counts: dict[str, int], *, closed: bool):
    """Group the board's proposals by stage, in pipeline order."""
    by_stage = {stage: [] for stage in Stage.values}
    for proposal in proposals:
        by_stage[proposal.stage].append(proposal)
    return [
        {"stage": stage, "label": Stage(stage).label, "count": counts[stage],
         "proposals": by_stage[stage]}
        for stage in Stage.values
        if closed or stage in ACTIVE_STAGES
    ]


def team_of(cities) -> QuerySet[User]:
    """Coordinators and volunteers of ``cities``: who can follow a proposal or a task."""
    return (
        User.objects.filter(memberships__city__in=cities, memberships__role__in=STAFF_ROLES,
                            is_active=True)
        .distinct().order_by("display_name", "pk")
    )


def proposal_for_staff(user, pk: int) -> Proposal | None:
    """One proposal with everything its page shows, if ``user`` is staff of its city."""
    return (
        Proposal.objects.filter(pk=pk, city__in=cities_for_user(user))
        .annotate(leader_confirmed=_leader_confirmed())
        .select_related("city", "leader", "assignee", "workshop")
        .prefetch_related(
            Prefetch("tasks", queryset=Task.objects.select_related("assignee", "done_by")
                     .order_by("done_at", "due_on", "pk")),
            Prefetch("notes", queryset=Note.objects.select_related("author")),
            Prefetch("history", queryset=StageChange.objects.select_related("actor")),
            Prefetch("workshop__co_leaders", queryset=User.objects.order_by("display_name", "pk")),
        )
        .first()
    )


def task_for_staff(user, pk: int) -> Task | None:
    return (
        Task.objects.filter(pk=pk, proposal__city__in=cities_for_user(user))
        .select_related("proposal", "proposal__city").first()
    )


def tasks_for(user) -> dict[str, list[Task]]:
    """A volunteer's page: their open tasks (soonest due first), the open tasks nobody
    has taken in their cities, and what they closed in the last two weeks."""
    base = (Task.objects.filter(proposal__city__in=cities_for_user(user))
            .annotate(leader_confirmed=_leader_confirmed("proposal__"))
            .select_related("proposal", "proposal__city", "proposal__leader"))
    since = timezone.now() - timedelta(days=14)
    return {
        "mine": list(base.filter(assignee=user, done_at__isnull=True).order_by("due_on", "pk")),
        "unassigned": list(base.filter(assignee__isnull=True, done_at__isnull=True,
                                       proposal__stage__in=ACTIVE_STAGES)
                           .order_by("due_on", "pk")[:50]),
        "done": list(base.filter(done_by=user, done_at__gte=since).order_by("-done_at")[:20]),
    }


def leader_proposals(person) -> list[Proposal]:
    return list(
        Proposal.objects.filter(leader=person)
        .select_related("city", "workshop")
        .prefetch_related(_open_tasks())
        .order_by("-created_at", "-pk")
    )


def leader_proposal(person, pk: int) -> Proposal | None:
    return Proposal.objects.filter(leader=person, pk=pk).select_related("city").first()


def leader_workshops(person) -> list[Workshop]:
    """The workshops ``person`` leads or co-leads (``is_co_leader`` marks the latter)."""
    workshops = list(
        Workshop.objects.filter(Q(leader=person) | Q(co_leaders=person))
        .distinct().select_related("city", "leader").order_by("-created_at", "-pk")
    )
    for workshop in workshops:
        workshop.is_co_leader = workshop.leader_id != person.pk
    return workshops


def co_leader_invitations_pending(workshop):
    """A workshop's invitations still waiting: what the coordinator typed, nothing more."""
    from .models import CoLeaderInvitation

    return (CoLeaderInvitation.objects.filter(workshop=workshop,
                                              status=CoLeaderInvitation.Status.PENDING)
            .only("id", "workshop_id", "invited_name", "created_at", "status")
            .order_by("created_at", "pk"))


def co_leader_invitations_for(person):
    """The invitations ``person`` has not answered yet, for their own space."""
    from .models import CoLeaderInvitation

    return (CoLeaderInvitation.objects.filter(person=person,
                                              status=CoLeaderInvitation.Status.PENDING)
            .select_related("workshop__city", "workshop__leader").order_by("created_at"))
