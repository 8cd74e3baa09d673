"""Pages of the proposal pipeline: the public form, the board, the checklist, the leader
space. Each view checks access, calls one service or selector, and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from interra.accounts.decorators import coordinator_required, staff_required
from interra.cities.models import City
from interra.cities.selectors import coordinated_cities
from interra.core.audit import audit_personal_data_access
from interra.core.errors import DomainError
from interra.core.ratelimit import message_quota_exceeded, ratelimited

from . import selectors, services
from .forms import (
    STEP_FORMS,
    AssignForm,
    BoardFilterForm,
    CoLeaderForm,
    HoneypotMixin,
    MoveForm,
    NoteForm,
    TextForm,
)
from .models import Stage, Theme

DRAFT_KEY = "proposal_draft"
SENT_KEY = "proposal_sent"
STEPS = (1, 2, 3)
STEP_TITLES = {
    1: gettext_lazy("About you"),
    2: gettext_lazy("Your workshop"),
    3: gettext_lazy("What it needs"),
}


# --- The public form -------------------------------------------------------------------


def _draft(request) -> dict:
    return dict(request.session.get(DRAFT_KEY) or {})


# What someone typed on a screen and left with "Back", not yet checked: shown again when
# they come back to that screen, checked only when they press "Next" there.
UNCHECKED = "unchecked"
_UNCHECKED_TEXT_MAX = 2000
_UNCHECKED_LIST_MAX = 50


def _unchecked_data(form) -> dict:
    """The raw values of ``form``'s fields, JSON-able and bounded (no robot can fill the
    session with megabytes)."""
    data = {}
    for name, field in form.fields.items():
        if name == "website":
            continue
        value = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        if isinstance(value, (list, tuple)):
            value = [str(v)[:200] for v in value[:_UNCHECKED_LIST_MAX]]
        elif value is not None:
            value = str(value)[:_UNCHECKED_TEXT_MAX]
        data[name] = value
    return data


def _draft_city(draft) -> City | None:
    city_id = (draft.get("1") or {}).get("city")
    return City.objects.filter(pk=city_id).first() if city_id else None


def new(request, step=1):
    """The proposal form: three screens, each saved in the session when sent, so that a
    dropped connection or a closed tab loses nothing; works without JavaScript."""
    if step not in STEPS:
        raise Http404
    draft = _draft(request)
    first_missing = next((s for s in STEPS if str(s) not in draft), 3)
    if step > first_missing:
        return redirect(_step_url(first_missing))
    form_class = STEP_FORMS[step]
    kwargs = {}
    city = None
    if step == 3:
        city = _draft_city(draft)
        if city is None:
            return redirect(_step_url(1))
        kwargs["neighbourhoods"] = city.neighbourhoods
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if isinstance(form, HoneypotMixin) and form.is_spam():
            # Answer a robot as if it worked; keep nothing.
            request.session.pop(DRAFT_KEY, None)
            return redirect("proposals:sent")
        if "back" in request.POST and step > 1:
            # "Back" keeps this screen as typed, unchecked; the screen counts as done again
            # once "Next" accepts it.
            draft.pop(str(step), None)
            draft[UNCHECKED] = {**(draft.get(UNCHECKED) or {}),
                                str(step): _unchecked_data(form)}
            request.session[DRAFT_KEY] = draft
            return redirect(_step_url(step - 1))
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            draft[str(step)] = data
            unchecked = draft.get(UNCHECKED) or {}
            unchecked.pop(str(step), None)
            draft[UNCHECKED] = unchecked
            request.session[DRAFT_KEY] = draft
            if step < STEPS[-1]:
                return redirect(_step_url(step + 1))
            if ratelimited(request, "proposal-submit", limit=5, period=3600) or (
                    message_quota_exceeded(request, contacts=[
                        draft.get("1", {}).get("phone", ""),
                        draft.get("1", {}).get("email", "")])):
                form.add_error(None, _("Too many proposals from here. Wait an hour and try "
                                       "again, or call us."))
                status = 429
            else:
                try:
                    proposal = services.proposal_submit(**_submit_kwargs(draft, city))
                except DomainError as exc:
                    form.add_error(None, exc.message)
                    status = exc.status_code
                else:
                    request.session.pop(DRAFT_KEY, None)
                    request.session[SENT_KEY] = {
                        "title": draft["2"]["title"],
                        "phone": draft["1"].get("phone", ""),
                        "email": draft["1"].get("email", ""),
                        "proposal": proposal.pk,
                    }
                    return redirect("proposals:sent")
        else:
            status = 400
    else:
        initial = (draft.get(UNCHECKED) or {}).get(str(step)) or draft.get(str(step))
        form = form_class(initial=initial, **kwargs)
    return render(request, "proposals/new.html", {
        "form": form,
        "step": step,
        "steps": [{"number": s, "title": STEP_TITLES[s], "done": str(s) in draft}
                  for s in STEPS],
        "step_title": STEP_TITLES[step],
        "has_previous": step > 1,
        "city": city,
        "theme_values": Theme.values,
    }, status=status)


def _step_url(step: int) -> str:
    return reverse("proposals:new") if step == 1 else reverse("proposals:new_step", args=[step])


def _submit_kwargs(draft: dict, city: City) -> dict:
    about, idea, needs = draft["1"], draft["2"], draft["3"]
    return {
        "city": city,
        "display_name": about["display_name"],
        "email": about.get("email", ""),
        "phone": about.get("phone", ""),
        "spoken_languages": about.get("spoken_languages") or [],
        "ui_language": translation.get_language(),
        "language": idea["language"],
        "theme": idea["theme"],
        "title": idea["title"],
        "description": idea.get("description", ""),
        "audience": idea["audience"],
        "group_size": idea["group_size"],
        "room_kind": needs.get("room_kind", ""),
        "equipment": needs.get("equipment", ""),
        "materials": needs.get("materials", ""),
        "budget": needs.get("budget"),
        "available_days": needs.get("available_days") or [],
        "available_times": needs.get("available_times") or [],
        "neighbourhoods": needs.get("neighbourhoods") or [],
    }


def sent(request):
    return render(request, "proposals/sent.html", {"sent": request.session.get(SENT_KEY)})


# --- Coordinators' board and a proposal's page --------------------------------------------


@coordinator_required
def board(request):
    """Every proposal of my cities by stage, oldest waiting first, with counts."""
    cities = list(coordinated_cities(request.user))
    team = list(selectors.team_of(cities))
    form = BoardFilterForm(request.GET or None, cities=cities, team=team)
    filters = selectors.BoardFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.BoardFilters(
            city=data["city"], theme=data["theme"], language=data["language"],
            assignee=data["assignee"], waiting_days=data["waiting_days"],
            closed=data["closed"],
        )
    proposals, counts = selectors.board(request.user, filters)
    audit_personal_data_access(actor=request.user, action="view",
                               subject="accounts.user:list", detail="proposals board")
    return render(request, "proposals/board.html", {
        "form": form,
        "columns": selectors.board_columns(proposals, counts, closed=filters.closed),
        "total": sum(counts.values()),
    })


def _proposal_or_404(request, pk):
    proposal = selectors.proposal_for_staff(request.user, pk)
    if proposal is None:
        # The same answer for "does not exist" and "not your city".
        raise Http404
    return proposal


def _detail(request, proposal, *, status=200, **forms):
    team = list(selectors.team_of(City.objects.filter(pk=proposal.city_id)))
    audit_personal_data_access(actor=request.user, action="view",
                               subject=f"accounts.user:{proposal.leader_id}",
                               detail=f"proposal:{proposal.pk}")
    co_leaders = list(proposal.workshop.co_leaders.all()) if proposal.workshop else []
    for person in co_leaders:
        audit_personal_data_access(actor=request.user, action="view",
                                   subject=f"accounts.user:{person.pk}",
                                   detail=f"proposal:{proposal.pk} co-leader")
    for task in proposal.tasks.all():  # the prefetched list: the template sees these forms
        task.assign_form = AssignForm(team=team, prefix=f"task{task.pk}",
                                      initial={"assignee": task.assignee_id,
                                               "due_on": task.due_on})
    context = {
        "proposal": proposal,
        "can_move": request.user.has_perm("proposals.move_proposal", proposal),
        "move_form": forms.get("move_form") or MoveForm(proposal=proposal, team=team),
        "note_form": forms.get("note_form") or NoteForm(),
        "assign_form": AssignForm(team=team, with_due=False,
                                  initial={"assignee": proposal.assignee_id}),
        "text_form": forms.get("text_form") or TextForm(initial={"language": "fr"}),
        "co_leaders": co_leaders,
        "co_leader_invitations": (
            list(selectors.co_leader_invitations_pending(proposal.workshop))
            if proposal.workshop else []),
        "co_leader_form": forms.get("co_leader_form") or CoLeaderForm(prefix="co"),
    }
    return render(request, "proposals/detail.html", context, status=status)


@staff_required
def detail(request, pk):
    return _detail(request, _proposal_or_404(request, pk))


@require_POST
@staff_required
def move(request, pk):
    proposal = _proposal_or_404(request, pk)
    if not request.user.has_perm("proposals.move_proposal", proposal):
        raise Http404
    team = selectors.team_of(City.objects.filter(pk=proposal.city_id))
    form = MoveForm(request.POST, proposal=proposal, team=team)
    if form.is_valid():
        try:
            services.proposal_move(proposal=proposal, to_stage=form.cleaned_data["stage"],
                                   actor=request.user, reason=form.cleaned_data["reason"],
                                   assignee=form.cleaned_data.get("task_assignee"))
        except DomainError as exc:
            form.add_error(None, exc.message)
            return _detail(request, proposal, status=exc.status_code, move_form=form)
        messages.success(request, _("Moved. The leader has been told."))
        return redirect("proposals:detail", pk=proposal.pk)
    return _detail(request, proposal, status=400, move_form=form)


def _workshop_for_coordinator(request, pk):
    proposal = _proposal_or_404(request, pk)
    if proposal.workshop is None or not request.user.has_perm("proposals.move_proposal",
                                                               proposal):
        raise Http404
    return proposal


@require_POST
@staff_required
def co_leader_add(request, pk):
    """A coordinator invites a co-leader to the proposal's workshop (by phone or email);
    the person appears once they accept."""
    proposal = _workshop_for_coordinator(request, pk)
    form = CoLeaderForm(request.POST, prefix="co")
    if form.is_valid():
        try:
            invitation = services.workshop_co_leader_invite(
                workshop=proposal.workshop, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
            return _detail(request, proposal, status=exc.status_code, co_leader_form=form)
        messages.success(request, _("Invitation sent to %(name)s. They appear here once "
                                    "they accept.") % {"name": invitation.invited_name})
        return redirect(reverse("proposals:detail", args=[proposal.pk]) + "#co-leaders")
    return _detail(request, proposal, status=400, co_leader_form=form)


@require_POST
@staff_required
def co_leader_invitation_cancel(request, pk, invitation_pk):
    proposal = _workshop_for_coordinator(request, pk)
    invitation = selectors.co_leader_invitations_pending(proposal.workshop).filter(
        pk=invitation_pk).first()
    if invitation is None:
        raise Http404
    try:
        services.co_leader_invitation_cancel(invitation=invitation, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect(reverse("proposals:detail", args=[proposal.pk]) + "#co-leaders")


@require_POST
@staff_required
def co_leader_remove(request, pk, person_pk):
    proposal = _workshop_for_coordinator(request, pk)
    person = proposal.workshop.co_leaders.filter(pk=person_pk).first()
    if person is None:
        raise Http404
    try:
        services.workshop_co_leader_remove(workshop=proposal.workshop, person=person,
                                           actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect(reverse("proposals:detail", args=[proposal.pk]) + "#co-leaders")


@require_POST
@staff_required
def assign(request, pk):
    proposal = _proposal_or_404(request, pk)
    if not request.user.has_perm("proposals.assign_proposal", proposal):
        raise Http404
    team = selectors.team_of(City.objects.filter(pk=proposal.city_id))
    form = AssignForm(request.POST, team=team, with_due=False)
    if form.is_valid():
        assignee = team.filter(pk=form.cleaned_data["assignee"]).first()
        services.proposal_assign(proposal=proposal, assignee=assignee, actor=request.user)
        messages.success(request, _("Saved."))
    return redirect("proposals:detail", pk=proposal.pk)


@require_POST
@staff_required
def note(request, pk):
    proposal = _proposal_or_404(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_add(proposal=proposal, author=request.user, text=form.cleaned_data["text"])
        return redirect(reverse("proposals:detail", args=[proposal.pk]) + "#notes")
    return _detail(request, proposal, status=400, note_form=form)


@require_POST
@staff_required
def translate(request, pk):
    """The team adds a title and a description in another language (often French)."""
    proposal = _proposal_or_404(request, pk)
    form = TextForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_text_update(proposal=proposal, person=request.user,
                                          **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
            return _detail(request, proposal, status=exc.status_code, text_form=form)
        messages.success(request, _("Saved."))
        return redirect("proposals:detail", pk=proposal.pk)
    return _detail(request, proposal, status=400, text_form=form)


# --- Tasks --------------------------------------------------------------------------------


def _task_or_404(request, pk):
    task = selectors.task_for_staff(request.user, pk)
    if task is None:
        raise Http404
    return task


def _back(request, task):
    target = request.POST.get("next") or ""
    if target in ("tasks", ""):
        return redirect("proposals:tasks")
    return redirect(reverse("proposals:detail", args=[task.proposal_id]) + "#tasks")


@staff_required
def my_tasks(request):
    # The tasks show each proposal's leader by name, to volunteers too.
    audit_personal_data_access(actor=request.user, action="view",
                               subject="accounts.user:list", detail="tasks")
    return render(request, "proposals/tasks.html", selectors.tasks_for(request.user))


@require_POST
@staff_required
def task_close(request, pk):
    task = _task_or_404(request, pk)
    services.task_close(task=task, actor=request.user)
    messages.success(request, _("Task done. Thank you!"))
    return _back(request, task)


@require_POST
@staff_required
def task_take(request, pk):
    task = _task_or_404(request, pk)
    try:
        services.task_assign(task=task, assignee=request.user, actor=request.user)
    except DomainError as exc:  # a network admin is in no city's team
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The task is yours."))
    return _back(request, task)


@require_POST
@staff_required
def task_assign(request, pk):
    task = _task_or_404(request, pk)
    if not request.user.has_perm("proposals.assign_proposal", task.proposal):
        raise Http404
    team = selectors.team_of(City.objects.filter(pk=task.proposal.city_id))
    form = AssignForm(request.POST, team=team, prefix=f"task{task.pk}")
    if form.is_valid():
        assignee = team.filter(pk=form.cleaned_data["assignee"]).first()
        services.task_assign(task=task, assignee=assignee, due_on=form.cleaned_data["due_on"],
                             actor=request.user)
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Check the date."))
    return _back(request, task)


@require_POST
@staff_required
def task_reopen(request, pk):
    """A closed task is open again (closed by mistake, the room fell through): who, when
    and why are kept on the task."""
    task = _task_or_404(request, pk)
    try:
        services.task_reopen(task=task, actor=request.user,
                             reason=request.POST.get("reason", "")[:300])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The task is open again."))
    return _back(request, task)


# --- The leader space -------------------------------------------------------------------------


@login_required
def mine(request):
    """The leader's own space: where their proposals stand, what is missing, workshops."""
    services.leader_memberships_confirm(person=request.user)
    return render(request, "proposals/mine.html", {
        "proposals": selectors.leader_proposals(request.user),
        "workshops": selectors.leader_workshops(request.user),
        "invitations": selectors.co_leader_invitations_for(request.user),
    })


@require_POST
@login_required
def co_leader_answer(request, invitation_pk):
    """The invited person accepts or declines, from their own session."""
    invitation = selectors.co_leader_invitations_for(request.user).filter(
        pk=invitation_pk).first()
    if invitation is None:
        raise Http404  # not theirs, or already answered: the same answer
    accept = request.POST.get("answer") == "accept"
    try:
        services.co_leader_invitation_answer(invitation=invitation, person=request.user,
                                             accept=accept)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You now co-lead this workshop.") if accept
                         else _("Declined. The team has been told."))
    return redirect("proposals:mine")


@login_required
def edit_text(request, pk):
    proposal = selectors.leader_proposal(request.user, pk)
    if proposal is None:
        raise Http404
    language = request.GET.get("language") or proposal.language
    initial = {"language": language, "title": proposal.title.get(language, ""),
               "description": proposal.description.get(language, "")}
    form = TextForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.proposal_text_update(proposal=proposal, person=request.user,
                                              **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("Saved."))
                return redirect("proposals:mine")
        else:
            status = 400
    return render(request, "proposals/edit_text.html",
                  {"form": form, "proposal": proposal}, status=status)


@require_POST
@login_required
def withdraw(request, pk):
    proposal = selectors.leader_proposal(request.user, pk)
    if proposal is None:
        raise Http404
    reason = (request.POST.get("reason") or "").strip() or _("Withdrawn by the leader.")
    try:
        services.proposal_move(proposal=proposal, to_stage=Stage.WITHDRAWN,
                               actor=request.user, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("proposals:mine")
