"""Writes of the proposal pipeline: submit, move, accept, accompany, edit, erase.

Every function is atomic and sends its messages on commit (``notify`` queues them with
``transaction.on_commit``); a refusal is a ``DomainError`` with a translated message and
changes nothing.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from interra.accounts.services import person_find_or_create
from interra.cities.models import City, Membership, Role
from interra.core.errors import Conflict, DomainError, PermissionDenied
from interra.core.i18n import clean_localized, language_codes, localized
from interra.notifications.services import notify

from .models import (
    BLOCKING_TASKS,
    REASON_REQUIRED,
    TRANSITIONS,
    Audience,
    CoLeaderInvitation,
    Note,
    Proposal,
    RoomKind,
    Stage,
    StageChange,
    Task,
    TaskKind,
    Theme,
    TimeOfDay,
    Weekday,
    Workshop,
    title_key,
)

TITLE_MAX = 120
DESCRIPTION_MAX = 2000
# Days after acceptance by which each task should be done: meeting first, the poster
# once the room and the date are in sight.
TASK_DUE_DAYS = {
    TaskKind.MEET: 7,
    TaskKind.TRANSLATE: 10,
    TaskKind.ROOM: 14,
    TaskKind.MATERIALS: 21,
    TaskKind.POSTER: 21,
    TaskKind.PUBLIC: 28,
}


def _leader_space() -> str:
    """Where the leader's sign-in link leads; the worker mints the link when it sends."""
    return reverse("proposals:mine")


def _only(values, allowed) -> list[str]:
    allowed = set(allowed)
    return [v for v in dict.fromkeys(values or []) if v in allowed]


@transaction.atomic
def proposal_submit(
    *,
    city: City,
    display_name: str,
    email: str = "",
    phone: str = "",
    spoken_languages: list[str] | None = None,
    ui_language: str = "",
    language: str,
    theme: str,
    title: str,
    description: str = "",
    audience: str = Audience.EVERYONE,
    group_size: int = 12,
    room_kind: str = "",
    equipment: str = "",
    materials: str = "",
    budget: int | None = None,
    available_days: list[str] | None = None,
    available_times: list[str] | None = None,
    neighbourhoods: list[str] | None = None,
) -> Proposal:
    """Record a proposal from somebody without an account, and tell them how to follow it.

    Finds or creates the person (by phone or email), makes them a leader of ``city``, and
    sends a message with a magic link to their leader space. Refuses a proposal with the
    same title from the same person while the first one is still open (a double tap, a
    second tab), bad contact details and unknown choices; nothing is saved then.
    """
    title = " ".join((title or "").split())[:TITLE_MAX]
    description = (description or "").strip()[:DESCRIPTION_MAX]
    if not title:
        raise DomainError(_("Give your workshop a title."), code="title")
    if not (display_name or "").strip():
        raise DomainError(_("Tell us your name."), code="name")
    if theme not in Theme.values:
        raise DomainError(_("Choose a theme."), code="theme")
    if language not in language_codes():
        raise DomainError(_("Choose the language you wrote in."), code="language")
    if audience not in Audience.values:
        raise DomainError(_("Choose who the workshop is for."), code="audience")
    if room_kind and room_kind not in RoomKind.values:
        raise DomainError(_("Choose a kind of room from the list."), code="room_kind")
    if not 1 <= int(group_size or 0) <= 200:
        raise DomainError(_("A group has between 1 and 200 people."), code="group_size")
    if budget is not None and not 0 <= budget <= 5000:
        raise DomainError(_("The budget must be between 0 and 5000 euros."), code="budget")

    person, _created = person_find_or_create(
        display_name=display_name,
        email=email,
        phone=phone,
        language=ui_language if ui_language in language_codes() else language,
        spoken_languages=_only(spoken_languages, language_codes()),
    )
    key = title_key(title)
    if Proposal.objects.filter(leader=person, title_key=key).exclude(
        stage__in=[Stage.DECLINED, Stage.WITHDRAWN]
    ).exists():
        raise Conflict(
            _("You already sent a proposal with this title. We have it: no need to send it "
              "again."),
            code="duplicate",
        )
    if _created:
        # An existing person becomes a leader of this city only from their own session
        # (``leader_memberships_confirm``): typing their phone must not show them to
        # this city's staff.
        Membership.objects.get_or_create(person=person, city=city, role=Role.LEADER)
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                city=city,
                leader=person,
                language=language,
                languages=_only(spoken_languages, language_codes()) or [language],
                theme=theme,
                title={language: title},
                description={language: description} if description else {},
                title_key=key,
                submitted_name=" ".join(display_name.split())[:80],
                submitted_contact=_matching_contact(person, email=email, phone=phone),
                audience=audience,
                group_size=int(group_size),
                room_kind=room_kind,
                equipment=(equipment or "").strip()[:300],
                materials=(materials or "").strip()[:300],
                budget=budget,
                available_days=_only(available_days, Weekday.values),
                available_times=_only(available_times, TimeOfDay.values),
                neighbourhoods=_only(neighbourhoods, city.neighbourhoods),
            )
    except IntegrityError as exc:
        # The same proposal committed a moment ago, from another tab.
        raise Conflict(
            _("You already sent a proposal with this title. We have it: no need to send it "
              "again."),
            code="duplicate",
        ) from exc
    StageChange.objects.create(proposal=proposal, actor=person, to_stage=Stage.NEW)
    notify(
        person=person,
        template="proposal_received",
        context={"proposal_id": proposal.pk, "title": title,
                 "sign_in_next": _leader_space()},
        city_id=city.pk,
    )
    return proposal


def _matching_contact(person, *, email: str, phone: str) -> str:
    """The typed contact that identified ``person`` (never one they did not type)."""
    from interra.accounts.normalize import normalize_email, normalize_phone

    if email and person.email and person.email.lower() == normalize_email(email).lower():
        return person.email
    try:
        if phone and person.phone and person.phone == normalize_phone(phone):
            return person.phone
    except ValidationError:  # a bad phone was refused earlier; show nothing
        return ""
    return ""


def _record_move(proposal: Proposal, *, to_stage: str, actor, reason: str) -> None:
    """Move ``proposal`` (already locked), write the history and tell the leader."""
    StageChange.objects.create(
        proposal=proposal, actor=actor, from_stage=proposal.stage, to_stage=to_stage,
        reason=reason,
    )
    proposal.stage = to_stage
    proposal.stage_reason = reason
    proposal.stage_changed_at = timezone.now()
    proposal.save(update_fields=["stage", "stage_reason", "stage_changed_at", "updated_at"])
    leader = proposal.leader
    notify(
        person=leader,
        template="proposal_stage_changed",
        context={
            "proposal_id": proposal.pk,
            "title": localized(proposal.title, leader.preferred_language),
            "stage": to_stage,
            "reason": reason,
            "sign_in_next": _leader_space(),
        },
        city_id=proposal.city_id,
    )


def _locked(proposal: Proposal) -> Proposal:
    # On PostgreSQL the row lock serialises two coordinators moving the same card; on
    # SQLite the IMMEDIATE transaction already does.
    return Proposal.objects.select_for_update().select_related("leader", "city").get(
        pk=proposal.pk
    )


@transaction.atomic
def proposal_move(*, proposal: Proposal, to_stage: str, actor, reason: str = "",
                  assignee=None) -> Proposal:
    """Move a proposal to another stage; record who, when and why; tell the leader.

    Refuses a move the pipeline does not allow (see ``TRANSITIONS``), a decline or a
    withdrawal without a reason, and a stage the proposal is already in. Moving to
    "accepted" goes through ``proposal_accept`` (it creates the workshop and the tasks).
    """
    if to_stage == Stage.ACCEPTED:
        proposal_accept(proposal=proposal, actor=actor, reason=reason, assignee=assignee)
        return Proposal.objects.get(pk=proposal.pk)
    proposal = _locked(proposal)
    reason = (reason or "").strip()[:500]
    if to_stage not in Stage.values or to_stage not in TRANSITIONS[Stage(proposal.stage)]:
        raise Conflict(
            _("This proposal cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Stage(proposal.stage).label,
               "to": Stage(to_stage).label if to_stage in Stage.values else to_stage},
            code="transition",
        )
    if to_stage in REASON_REQUIRED and not reason:
        raise DomainError(_("Say why, in a few words: the leader will read it."),
                          code="reason")
    _record_move(proposal, to_stage=to_stage, actor=actor, reason=reason)
    return proposal


@transaction.atomic
def proposal_accept(
    *,
    proposal: Proposal,
    actor,
    assignee=None,
    reason: str = "",
    beginner_french_welcome: bool = True,
    format: str = "",
) -> Workshop:
    """Accept a proposal: create its Workshop and the accompaniment tasks from its needs.

    Tasks: always meet the leader, find a room, reach a public and make the poster;
    gather materials when materials, equipment or a budget are asked for; translate when
    there is no French title yet. Each has a due date counted from today. They go to
    ``assignee`` when the coordinator names one (who is told), otherwise to the city's
    pool: "tasks nobody has taken", which every volunteer of the city sees and can take.
    (They used to go to the person accepting, who then held every task of every proposal.)
    """
    proposal = _locked(proposal)
    if Stage.ACCEPTED not in TRANSITIONS[Stage(proposal.stage)]:
        raise Conflict(
            _("This proposal cannot be accepted from “%(from)s”.")
            % {"from": Stage(proposal.stage).label},
            code="transition",
        )
    workshop = Workshop.objects.create(
        city=proposal.city,
        leader=proposal.leader,
        theme=proposal.theme,
        title=dict(proposal.title),
        description=dict(proposal.description),
        languages=list(proposal.languages),
        beginner_french_welcome=beginner_french_welcome,
        audience=proposal.audience,
        group_size=proposal.group_size,
        needs=proposal.needs_summary(),
        **({"format": format} if format else {}),
    )
    proposal.workshop = workshop
    if proposal.assignee_id is None and actor is not None:
        proposal.assignee = actor
    proposal.save(update_fields=["workshop", "assignee", "updated_at"])
    if assignee is not None and not _is_staff_of(assignee, proposal.city_id):
        raise DomainError(_("This person is not in the team of this city."), code="assignee")
    owner = assignee
    today = timezone.localdate()
    kinds = [TaskKind.MEET, TaskKind.ROOM]
    if proposal.materials or proposal.equipment or proposal.budget:
        kinds.append(TaskKind.MATERIALS)
    if not (proposal.title.get("fr") or "").strip():
        kinds.append(TaskKind.TRANSLATE)
    kinds += [TaskKind.PUBLIC, TaskKind.POSTER]
    tasks = Task.objects.bulk_create([
        Task(proposal=proposal, kind=kind, assignee=owner,
             due_on=today + timedelta(days=TASK_DUE_DAYS[kind]))
        for kind in kinds
    ])
    if owner is not None:
        _tell_assignee(owner, tasks, actor=actor)
    _record_move(proposal, to_stage=Stage.ACCEPTED, actor=actor, reason=(reason or "")[:500])
    return workshop


# Where a proposal stands on its way to the agenda; sessions only ever move it forward.
_PROGRESS = [Stage.ACCEPTED, Stage.IN_PREPARATION, Stage.READY, Stage.SCHEDULED,
             Stage.RUNNING]
_FOLLOW_REASONS = {
    Stage.SCHEDULED: gettext_noop("The first session is on the agenda."),
    Stage.RUNNING: gettext_noop("The first session took place."),
}


@transaction.atomic
def proposal_follow_sessions(*, workshop: Workshop, to_stage: str, actor=None
                             ) -> Proposal | None:
    """Move the workshop's proposal to "scheduled" (a session is on the agenda) or
    "running" (a session took place), recording ``actor`` (None: the platform) and
    telling the leader.

    Reality outranks the pipeline here: the move may skip stages (a booking confirmed
    before every task was closed), but it never goes backwards, never reopens a declined
    or withdrawn proposal, and does nothing when the proposal is already there.
    """
    if to_stage not in _FOLLOW_REASONS:
        raise DomainError(_("Sessions only move a proposal to scheduled or running."),
                          code="transition")
    proposal = (Proposal.objects.select_for_update().select_related("leader", "city")
                .filter(workshop=workshop).first())
    if proposal is None or proposal.stage not in _PROGRESS:
        return proposal
    if _PROGRESS.index(Stage(proposal.stage)) >= _PROGRESS.index(Stage(to_stage)):
        return proposal
    _record_move(proposal, to_stage=to_stage, actor=actor if actor and actor.pk else None,
                 reason=_FOLLOW_REASONS[to_stage])
    return proposal


def _check_coordinator(actor, city_id) -> None:
    from interra.cities.selectors import coordinated_cities

    if actor is None or not coordinated_cities(actor).filter(pk=city_id).exists():
        raise PermissionDenied(_("Only a coordinator of this city can decide this."),
                               code="forbidden")


@transaction.atomic
def leader_memberships_confirm(*, person) -> None:
    """The person, signed in as themselves, holds a leader role in every city where they
    proposed a workshop (an anonymous proposal found them by phone or email but gave
    them no role)."""
    cities = set(Proposal.objects.filter(leader=person).values_list("city_id", flat=True))
    have = set(Membership.objects.filter(person=person, role=Role.LEADER)
               .values_list("city_id", flat=True))
    Membership.objects.bulk_create(
        [Membership(person=person, city_id=city_id, role=Role.LEADER)
         for city_id in sorted(cities - have)], ignore_conflicts=True)


@transaction.atomic
def workshop_co_leader_invite(
    *,
    workshop: Workshop,
    actor,
    display_name: str = "",
    email: str = "",
    phone: str = "",
    language: str = "",
) -> CoLeaderInvitation:
    """A coordinator of the workshop's city invites somebody, found by phone or email (or
    created with ``display_name``), to co-lead it. They get a message with a link to
    their own space, where they accept or decline.

    Nothing about the person is shown to the coordinator until they accept (the page
    shows ``display_name`` as typed), nothing about an existing person is changed, and
    no city role is given: typing a phone number never makes anybody visible. Refuses
    the workshop's own leader, a co-leader and someone already invited.
    """
    _check_coordinator(actor, workshop.city_id)
    workshop = Workshop.objects.select_for_update().select_related("leader", "city").get(
        pk=workshop.pk
    )
    person, _created = person_find_or_create(
        display_name=display_name or "",
        email=email,
        phone=phone,
        language=language if language in language_codes() else "",
    )
    if person.pk == workshop.leader_id:
        raise DomainError(_("This person already leads this workshop."), code="leader")
    if workshop.co_leaders.filter(pk=person.pk).exists():
        raise Conflict(_("This person is already a co-leader of this workshop."),
                       code="duplicate")
    if workshop.co_leader_invitations.filter(
            person=person, status=CoLeaderInvitation.Status.PENDING).exists():
        raise Conflict(_("This person is already invited; they have not answered yet."),
                       code="duplicate")
    invitation = CoLeaderInvitation.objects.create(
        workshop=workshop, person=person, invited_by=actor,
        invited_name=" ".join((display_name or "").split())[:80] or _("(no name given)"),
    )
    notify(
        person=person,
        template="proposal_co_leader",
        context={
            "workshop_id": workshop.pk,
            "title": localized(workshop.title, person.preferred_language),
            "leader": workshop.leader.first_name,
            "city": workshop.city.name,
            "sign_in_next": _leader_space(),
        },
        city_id=workshop.city_id,
    )
    return invitation


@transaction.atomic
def co_leader_invitation_answer(*, invitation: CoLeaderInvitation, person,
                                accept: bool) -> CoLeaderInvitation:
    """The invited person, signed in as themselves, accepts (they then co-lead the
    workshop and its city's coordinators see their name and contacts on it) or
    declines. Only their own pending invitations; answering twice changes nothing."""
    invitation = (CoLeaderInvitation.objects.select_for_update()
                  .filter(pk=invitation.pk, person=person).first())
    if invitation is None:
        raise PermissionDenied(_("This invitation is not yours."), code="forbidden")
    if invitation.status != CoLeaderInvitation.Status.PENDING:
        raise Conflict(_("This invitation was already answered or withdrawn."),
                       code="answered")
    invitation.status = (CoLeaderInvitation.Status.ACCEPTED if accept
                         else CoLeaderInvitation.Status.DECLINED)
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    if accept:
        invitation.workshop.co_leaders.add(person)
    return invitation


@transaction.atomic
def co_leader_invitation_cancel(*, invitation: CoLeaderInvitation, actor) -> None:
    """A coordinator of the workshop's city withdraws a pending invitation."""
    _check_coordinator(actor, invitation.workshop.city_id)
    CoLeaderInvitation.objects.filter(
        pk=invitation.pk, status=CoLeaderInvitation.Status.PENDING
    ).update(status=CoLeaderInvitation.Status.CANCELLED, answered_at=timezone.now())


@transaction.atomic
def workshop_co_leader_remove(*, workshop: Workshop, person, actor) -> None:
    """A coordinator of the workshop's city takes a co-leader off the workshop; from
    then on the city's staff see nothing of them through it. Removing twice is a no-op."""
    _check_coordinator(actor, workshop.city_id)
    workshop.co_leaders.remove(person)


@transaction.atomic
def proposal_assign(*, proposal: Proposal, assignee, actor) -> Proposal:
    """Say who follows a proposal. The assignee must be staff of the proposal's city."""
    if assignee is not None and not _is_staff_of(assignee, proposal.city_id):
        raise DomainError(_("This person is not in the team of this city."), code="assignee")
    proposal.assignee = assignee
    proposal.save(update_fields=["assignee", "updated_at"])
    return proposal


def _is_staff_of(person, city_id) -> bool:
    return Membership.objects.filter(
        person=person, city_id=city_id, role__in=[Role.COORDINATOR, Role.VOLUNTEER]
    ).exists()


@transaction.atomic
def note_add(*, proposal: Proposal, author, text: str) -> Note:
    """An internal note, seen by the city's staff only (never by the leader)."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_("The note is empty."), code="note")
    return Note.objects.create(proposal=proposal, author=author, text=text[:2000])


@transaction.atomic
def task_assign(*, task: Task, assignee, due_on=None, actor=None) -> Task:
    """Hand a task to a member of the city's team (or to nobody), maybe with a new date.
    The new assignee is told (on commit), unless they took it themselves."""
    if assignee is not None and not _is_staff_of(assignee, task.proposal.city_id):
        raise DomainError(_("This person is not in the team of this city."), code="assignee")
    changed = assignee is not None and assignee.pk != task.assignee_id
    task.assignee = assignee
    fields = ["assignee", "updated_at"]
    if due_on:
        task.due_on = due_on
        fields.append("due_on")
    task.save(update_fields=fields)
    if changed:
        _tell_assignee(assignee, [task], actor=actor)
    return task


def _tell_assignee(assignee, tasks: list[Task], *, actor) -> None:
    """Tell a team member which tasks they were given (not when they took them)."""
    if actor is not None and assignee.pk == actor.pk:
        return
    from django.conf import settings

    proposal = tasks[0].proposal
    language = assignee.preferred_language or settings.LANGUAGE_CODE
    notify(
        person=assignee,
        template="task_assigned",
        context={
            "proposal_id": proposal.pk,
            "title": localized(proposal.title, language),
            "tasks": [{"kind": task.kind, "due_on": task.due_on.isoformat()}
                      for task in tasks],
            "by": actor.first_name if actor is not None else "",
            "link": settings.SITE_URL + reverse("proposals:tasks"),
        },
    )


@transaction.atomic
def task_close(*, task: Task, actor) -> Task:
    """Mark a task done. The proposal moves on by itself: to "in preparation" at the first
    closed task, to "ready to schedule" when every task that blocks scheduling is done.

    Closing a task twice changes nothing.
    """
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.done_at is not None:
        return task
    task.done_at = timezone.now()
    task.done_by = actor
    task.save(update_fields=["done_at", "done_by", "updated_at"])
    proposal = _locked(task.proposal)
    if proposal.stage not in (Stage.ACCEPTED, Stage.IN_PREPARATION):
        return task
    blocking_open = proposal.tasks.filter(kind__in=BLOCKING_TASKS, done_at__isnull=True)
    if not blocking_open.exists():
        # Stored untranslated and shown through {% translate %}: the leader and the team
        # each read it in their own language.
        _record_move(proposal, to_stage=Stage.READY, actor=actor,
                     reason=gettext_noop("All preparation tasks are done."))
    elif proposal.stage == Stage.ACCEPTED:
        _record_move(proposal, to_stage=Stage.IN_PREPARATION, actor=actor, reason="")
    return task


@transaction.atomic
def task_reopen(*, task: Task, actor, reason: str) -> Task:
    """Open a closed task again (closed by mistake, or the room fell through), recording
    who, when and why. A proposal that was "ready to schedule" goes back to "in
    preparation" when the task blocks scheduling. Refuses without a reason; reopening an
    open task changes nothing."""
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise DomainError(_("Say why the task is open again, in a few words."), code="reason")
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.done_at is None:
        return task
    task.done_at = None
    task.done_by = None
    task.reopened_at = timezone.now()
    task.reopened_by = actor
    task.reopen_reason = reason
    task.save(update_fields=["done_at", "done_by", "reopened_at", "reopened_by",
                             "reopen_reason", "updated_at"])
    proposal = _locked(task.proposal)
    if proposal.stage == Stage.READY and task.kind in BLOCKING_TASKS:
        _record_move(proposal, to_stage=Stage.IN_PREPARATION, actor=actor, reason=reason)
    return task


@transaction.atomic
def proposal_text_update(
    *, proposal: Proposal, person, language: str, title: str, description: str
) -> Proposal:
    """The leader (or the team) writes the title and description in one language.

    Other languages stay as they are; an accepted proposal's workshop gets the same text.
    Refuses a closed proposal, an unknown language, an empty title and anyone but the
    leader (the team uses the same function through their own pages).
    """
    proposal = _locked(proposal)
    if proposal.leader_id != person.pk and not _is_staff_of(person, proposal.city_id):
        raise PermissionDenied(_("Only the leader can change this text."), code="forbidden")
    if proposal.is_closed:
        raise Conflict(_("This proposal is closed; it cannot be changed."), code="closed")
    if language not in language_codes():
        raise DomainError(_("Choose a language from the list."), code="language")
    title = " ".join((title or "").split())[:TITLE_MAX]
    if not title:
        raise DomainError(_("Give your workshop a title."), code="title")
    proposal.title = clean_localized({**proposal.title, language: title})
    proposal.description = clean_localized(
        {**proposal.description, language: (description or "").strip()[:DESCRIPTION_MAX]}
    )
    fields = ["title", "description", "updated_at"]
    if language == proposal.language:
        proposal.title_key = title_key(title)
        fields.append("title_key")
    try:
        with transaction.atomic():
            proposal.save(update_fields=fields)
    except IntegrityError as exc:
        raise Conflict(_("You already have a proposal with this title."),
                       code="duplicate") from exc
    if proposal.workshop_id:
        Workshop.objects.filter(pk=proposal.workshop_id).update(
            title=proposal.title, description=proposal.description, updated_at=timezone.now()
        )
        _agenda_changed()
    return proposal


def _agenda_changed() -> None:
    """Workshops changed by a queryset update (no post_save): tell who shows them (the
    agenda drops its cached lists)."""
    from .signals import workshops_changed

    workshops_changed.send(sender=Workshop)


# --- Personal data (registered in ProposalsConfig.ready) ---------------------------------


def personal_data_export(person) -> dict:
    return {
        "proposals": [
            {
                "created": p.created_at.isoformat(),
                "city": p.city.name,
                "stage": p.stage,
                "theme": p.theme,
                "title": p.title,
                "description": p.description,
                "languages": p.languages,
                "audience": p.audience,
                "group_size": p.group_size,
                "needs": p.needs_summary(),
            }
            for p in Proposal.objects.filter(leader=person).select_related("city")
        ],
        "workshops": [
            {"title": w.title, "theme": w.theme, "city": w.city.name}
            for w in Workshop.objects.filter(leader=person).select_related("city")
        ],
    }


def personal_data_erase(person) -> None:
    """Remove what the leader wrote and the staff notes about them; keep the counts
    (a proposal's theme, city and stage stay, without text)."""
    from interra.notifications.services import messages_scrub

    proposals = Proposal.objects.filter(leader=person)
    workshops = Workshop.objects.filter(leader=person)
    # What they wrote is also quoted in messages to others (a reminder to a participant
    # names the workshop; a decline reason was sent to them): scrubbed there too.
    written = [text for item in [*proposals, *workshops]
               for field in (item.title, item.description) for text in (field or {}).values()]
    written += [p.stage_reason for p in proposals]
    written += list(StageChange.objects.filter(proposal__in=proposals)
                    .values_list("reason", flat=True))
    Note.objects.filter(proposal__in=proposals).delete()
    StageChange.objects.filter(proposal__in=proposals).update(reason="")
    # Their workshops leave the public agenda (agenda's eraser cancels coming sessions);
    # theme, city and counts stay.
    workshops.update(title={}, description={}, is_active=False)
    _agenda_changed()
    person.workshops_co_led.clear()
    messages_scrub(written)
    for proposal in proposals:
        proposal.title = {}
        proposal.description = {}
        proposal.title_key = f"erased-{proposal.pk}"
        proposal.equipment = ""
        proposal.materials = ""
        proposal.neighbourhoods = []
        proposal.stage_reason = ""
        proposal.submitted_name = ""
        proposal.submitted_contact = ""
        proposal.save()
    # An invitation to co-lead keeps its status (a count), not the name the coordinator typed.
    CoLeaderInvitation.objects.filter(person=person).update(invited_name="")
