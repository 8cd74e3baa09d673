"""The coordinator's planner: run it for a period, read the plan, accept all or some."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from interra.accounts.decorators import coordinator_required
from interra.cities.selectors import coordinated_cities
from interra.core.errors import DomainError

from . import selectors, services
from .forms import PlanForm

PENDING_REFRESH_SECONDS = 3


@coordinator_required
def plans(request):
    cities = coordinated_cities(request.user)
    form = PlanForm(request.POST or None, cities=cities)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_request(
                city=form.cleaned_data["city"], starts_on=form.cleaned_data["starts_on"],
                days=form.cleaned_data["weeks"] * 7,
                time_limit=form.cleaned_data["time_limit"], by=request.user)
        except services.PlanInProgress as busy:
            messages.info(request, busy.message)
            return redirect("planning:plan", pk=busy.plan.pk)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("planning:plan", pk=plan.pk)
    return render(request, "planning/plans.html", {
        "form": form, "plans": selectors.plans_for(request.user)[:20],
    })


@coordinator_required
def plan_detail(request, pk):
    plan = selectors.plan_for(request.user, pk)
    if plan is None:
        raise Http404
    if request.headers.get("HX-Request"):
        # The "planning…" box asks every few seconds (htmx): the box again while the task
        # runs, then a reload of the whole page once the plan (or its failure) is there.
        if plan.in_progress:
            return render(request, "planning/_plan_progress.html", {
                "plan": plan, "elapsed": selectors.plan_elapsed(plan),
                "refresh_seconds": PENDING_REFRESH_SECONDS})
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    if plan.state != plan.State.DONE:
        # Queued or running: "planning…", with a link to look again (and, with script,
        # the box polls by itself). Failed: the reason.
        return render(request, "planning/plan_pending.html", {
            "plan": plan, "elapsed": selectors.plan_elapsed(plan),
            "refresh_seconds": PENDING_REFRESH_SECONDS,
        })
    items = selectors.plan_items(plan)
    return render(request, "planning/plan_detail.html", {
        "plan": plan, "items": items, "weeks": selectors.week_calendar(plan, items),
        "unplaced": selectors.unplaced_explained(plan), "replan": selectors.items_to_replan(plan),
        "proposed": [item for item in items if item.state != item.State.REQUESTED],
    })


@coordinator_required
@require_POST
def plan_accept(request, pk):
    plan = selectors.plan_for(request.user, pk)
    if plan is None or plan.state != plan.State.DONE:
        raise Http404
    chosen = request.POST.getlist("items")
    # "²" and "٣" are digits to str.isdigit() but not to the database, nor is a number
    # longer than a database id: each would be a crash (500), not a choice.
    ids = [v for v in chosen if v.isascii() and v.isdigit() and len(v) <= 18]
    items = list(plan.items.filter(pk__in=ids)
                 .exclude(state="requested"))
    if not items:
        messages.error(request, _("Choose at least one session to accept."))
        return redirect("planning:plan", pk=plan.pk)
    try:
        requested, clashed = services.plan_accept(plan=plan, items=items, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("planning:plan", pk=plan.pk)
    if requested:
        messages.success(request, ngettext(
            "%(count)s room request sent to the partners; the leader is told.",
            "%(count)s room requests sent to the partners; the leaders are told.",
            len(requested)) % {"count": len(requested)})
    if clashed:
        messages.warning(request, ngettext(
            "%(count)s session could not be requested: its room is no longer free.",
            "%(count)s sessions could not be requested: their rooms are no longer free.",
            len(clashed)) % {"count": len(clashed)})
    return redirect("planning:plan", pk=plan.pk)
