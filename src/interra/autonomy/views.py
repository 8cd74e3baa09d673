"""Pages of the autonomy path: the coordinators' list of leaders to trust (and the
sessions trusted leaders booked), and the trusted leader's one-tap choice on a phone."""

import rules
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from interra.accounts.decorators import coordinator_required
from interra.cities.selectors import coordinated_cities
from interra.core.audit import audit_personal_data_access
from interra.core.errors import Conflict, DomainError

from . import selectors, services
from .forms import SlotForm, TrustForm


def _decidable_cities(user) -> list:
    return [city for city in coordinated_cities(user)
            if rules.has_perm("autonomy.manage_trust", user, city)]  # no superuser bypass


@coordinator_required
def trust(request):
    """Per city: the leaders who held sessions, eligible ones first, with what they did
    against the city's thresholds; confirm or take back; the history; and the rooms
    trusted leaders asked for, to step in."""
    cities = _decidable_cities(request.user)
    sections = [{"city": city, "records": selectors.leader_records(city=city),
                 "history": selectors.trust_history(city=city)} for city in cities]
    audit_personal_data_access(
        actor=request.user, action="view", subject="autonomy.leadertrust:list",
        detail="cities=" + ",".join(str(city.pk) for city in cities))
    return render(request, "autonomy/trust.html", {
        "sections": sections, "requests": list(selectors.leader_requests(cities=cities)),
    })


def _decision(request):
    form = TrustForm(request.POST)
    if not form.is_valid():
        raise Http404
    city = next((c for c in _decidable_cities(request.user)
                 if c.pk == form.cleaned_data["city"]), None)
    leader = get_user_model().objects.filter(pk=form.cleaned_data["leader"]).first()
    if city is None or leader is None:
        raise Http404  # the same answer for another city's leader and no such person
    return leader, city, form.cleaned_data["reason"]


def _decide(request, service, success: str):
    """Both decisions: the same checks, one service, a message, back to the list."""
    leader, city, reason = _decision(request)
    try:
        service(leader=leader, city=city, by=request.user, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success % {"name": leader.display_name})
    return redirect("autonomy:trust")


@coordinator_required
@require_POST
def trust_grant(request):
    return _decide(request, services.leader_trust_grant,
                   _("%(name)s can now schedule their own sessions; they are told."))


@coordinator_required
@require_POST
def trust_revoke(request):
    return _decide(request, services.leader_trust_revoke,
                   _("Taken back: the team schedules %(name)s's sessions again; they are "
                     "told."))


@login_required
def next_session(request, pk):
    """A trusted leader's phone page: a few times the planner proposes, one tap each.
    Anyone else (not trusted, trust taken back, not their workshop) gets a 404."""
    workshop = selectors.workshop_to_schedule(request.user, pk)
    if workshop is None:
        raise Http404
    status = 200
    error = ""
    if request.method == "POST":
        form = SlotForm(request.POST)
        if form.is_valid():
            room_id, starts_at = form.cleaned_data["slot"]
            try:
                services.leader_session_request(workshop=workshop, leader=request.user,
                                                room_id=room_id, starts_at=starts_at)
            except DomainError as exc:
                error, status = exc.message, exc.status_code
            else:
                messages.success(request, _("Asked! The place confirms, then your session "
                                            "appears on the agenda. We will tell you."))
                return redirect("agenda:leader_home")
        else:
            error, status = _("Choose one of the times shown."), 400
        if status == 403:
            raise Http404
    return render(request, "autonomy/next_session.html", {
        "workshop": workshop, "slots": selectors.slots_for(workshop), "error": error,
        "pending": selectors.requests_pending(workshop),
        "conflict": status == Conflict.status_code,
    }, status=status)
