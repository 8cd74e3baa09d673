"""Pages of organisations (sign up, search, ask), of leaders (be found, answer) and of
coordinators (verify, outcomes). Thin: parse, check, call, render."""

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from interra.accounts.decorators import coordinator_required
from interra.cities.selectors import coordinated_cities
from interra.core.audit import audit_personal_data_access
from interra.core.errors import DomainError
from interra.core.ratelimit import ratelimited

from . import selectors, services
from .forms import AnswerForm, InviteForm, RequestForm, SearchForm, SignUpForm, StatusForm
from .models import Employer, EmployerContact


def verified_employer_required(view):
    """A signed-in contact of at least one verified organisation; others 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        employers = list(selectors.employers_of(request.user))
        if not employers:
            raise PermissionDenied
        request.employers = employers
        return view(request, *args, **kwargs)

    return wrapper


def _uuid_or_none(value: str):
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return None


# --- Organisations ---------------------------------------------------------------------

def sign_up(request):
    form = SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            if ratelimited(request, "employer-sign-up", limit=5, period=3600):
                form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
            else:
                data = form.cleaned_data
                try:
                    services.employer_sign_up(
                        city=data["city"], name=data["name"], kind=data["kind"],
                        contact_name=data["contact_name"], email=data["email"],
                        phone=data["phone"], website=data["website"],
                        description=data["description"], language=request.LANGUAGE_CODE,
                        signed_in=request.user)
                except DomainError as exc:
                    form.add_error(None, exc.message)
                else:
                    return render(request, "employers/signed_up.html")
    return render(request, "employers/sign_up.html", {"form": form}, status=status)


@login_required
def home(request):
    """The organisation's space: its status, what it asked and the answers. A person
    named a contact confirms here, signed in through the link sent to them."""
    if request.method == "POST":
        wanted = request.POST.get("employer", "")
        employer = (selectors.unconfirmed_employers_of(request.user).filter(pk=wanted).first()
                    if wanted.isdigit() else None)
        if employer is None:
            raise Http404
        services.employer_contact_confirm(employer=employer, person=request.user)
        messages.success(request, _("Thank you: you act for this organisation."))
        return redirect("employers:home")
    mine = selectors.employers_of(request.user, verified_only=False)
    return render(request, "employers/home.html", {
        "employers": mine,
        "to_confirm": selectors.unconfirmed_employers_of(request.user),
        "verified": any(employer.is_verified for employer in mine),
        "requests": selectors.requests_sent(mine),
    })


@verified_employer_required
def search(request):
    form = SearchForm(request.GET or None, employers=request.employers)
    found = None
    if form.is_bound and form.is_valid():
        found = selectors.leaders_found(employers=request.employers,
                                        **{key: value for key, value in
                                           form.cleaned_data.items()
                                           if key != "city"},
                                        city_id=form.cleaned_data["city"] or None)
    return render(request, "employers/search.html", {"form": form, "found": found})


@verified_employer_required
def leader(request, listing_id):
    """A findable leader's public parts, and the form to ask them."""
    found = selectors.found_leader(employers=request.employers, listing_id=listing_id)
    form = RequestForm(request.POST or None, employers=request.employers)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            employer = next((e for e in request.employers if str(e.pk) == data["employer"]),
                            None)
            try:
                sent = services.contact_request_send(
                    employer=employer, by=request.user, listing_id=found.listing.pk,
                    kind=data["kind"], message=data["message"], gig_kind=data["gig_kind"],
                    gig_date=data["gig_date"], gig_place=data["gig_place"],
                    gig_pay=data["gig_pay"])
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("Sent. You will be told of the answer."))
                return redirect("employers:sent", request_id=sent.pk)
    return render(request, "employers/leader.html", _leader_context(found, form),
                  status=status)


def _leader_context(found, form):
    from interra.credentials import selectors as credentials

    portfolio = found.portfolio
    shown = portfolio is not None and portfolio.is_public
    person = found.person
    return {
        "found": found, "form": form, "portfolio": portfolio if shown else None,
        "figures": (credentials.leader_figures(person)
                    if shown and portfolio.show_figures else None),
        "workshops": (credentials.workshops_of(person)
                      if shown and portfolio.show_workshops else None),
        "credentials": (credentials.credentials_of(person).filter(revoked_at__isnull=True)
                        if shown and portfolio.show_badges else None),
        "min_ratings": credentials.MIN_RATINGS_FOR_AVERAGE,
    }


@login_required
def sent(request, request_id):
    """One request as its organisation reads it: the answer and, once accepted, the one
    contact the leader chose to share. A suspended organisation still reads its past
    answers; nobody else gets the page."""
    mine = selectors.employers_of(request.user, verified_only=False)
    contact_request = selectors.sent_request(mine, request_id)
    if request.method == "POST":
        try:
            services.gig_mark_done(request=contact_request, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("employers:sent", request_id=contact_request.pk)
    return render(request, "employers/sent.html", {"contact_request": contact_request})


# --- Leaders ---------------------------------------------------------------------------

@login_required
@require_POST
def findable(request):
    services.listing_update(person=request.user,
                            findable=request.POST.get("findable") == "on")
    messages.success(request, _("Saved."))
    return redirect("credentials:portfolio")


@login_required
def requests(request):
    return render(request, "employers/requests.html",
                  {"requests": selectors.requests_received(request.user)})


@login_required
def answer(request, request_id):
    contact_request = selectors.own_request(request.user, request_id)
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            choice = form.cleaned_data["answer"]
            try:
                if choice == "accept":
                    services.contact_request_accept(request=contact_request, by=request.user,
                                                    channel=form.cleaned_data["channel"])
                    messages.success(request, _("Accepted: they can now contact you."))
                else:
                    services.contact_request_decline(request=contact_request,
                                                     by=request.user,
                                                     block=choice == "block")
                    messages.success(request, _("Declined."))
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                return redirect("employers:request", request_id=contact_request.pk)
    return render(request, "employers/request.html", {
        "contact_request": contact_request, "form": form,
        "has_phone": bool(request.user.phone), "has_email": bool(request.user.email),
    }, status=status)


# --- Coordinators ----------------------------------------------------------------------

@coordinator_required
def staff_list(request):
    cities = coordinated_cities(request.user).order_by("name")
    form = InviteForm(request.POST or None, cities=cities)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                employer = services.employer_invite(
                    city=data["city"], by=request.user, name=data["name"], kind=data["kind"],
                    contact_name=data["contact_name"], email=data["email"],
                    phone=data["phone"])
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("Invited: their contact was sent a link."))
                return redirect("employers:staff_employer", pk=employer.pk)
    audit_personal_data_access(actor=request.user, action="view",
                               subject="employers.employer:list")
    return render(request, "employers/staff_list.html", {
        "employers": selectors.employers_for_coordinator(request.user), "form": form,
    }, status=status)


@coordinator_required
def staff_employer(request, pk):
    employer = selectors.employer_for_coordinator(request.user, pk)
    form = StatusForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        done = request.POST.get("done")
        try:
            if done:
                contact_request = employer.requests.filter(
                    pk=_uuid_or_none(done)).first() if _uuid_or_none(done) else None
                if contact_request is None:
                    raise Http404
                services.gig_mark_done(request=contact_request, by=request.user)
                return redirect("employers:staff_employer", pk=employer.pk)
            if form.is_valid():
                services.employer_set_status(employer=employer, by=request.user,
                                             status=form.cleaned_data["status"],
                                             reason=form.cleaned_data["reason"])
                messages.success(request, _("Saved."))
                return redirect("employers:staff_employer", pk=employer.pk)
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
    audit_personal_data_access(actor=request.user, action="view",
                               subject=f"employers.employer:{employer.pk}")
    return render(request, "employers/staff_employer.html", {
        "employer": employer, "form": form,
        "contacts": EmployerContact.objects.filter(employer=employer).select_related("person"),
        "history": employer.history.select_related("by"),
        "requests": employer.requests.select_related("leader", "sent_by")
        .prefetch_related("events__actor"),
        "statuses": Employer.Status,
    }, status=status)
