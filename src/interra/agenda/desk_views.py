"""The staff desk: a coordinator answers the phone for one session of their city.

Each POST names one action, calls one function of ``desk.py`` and comes back to the
page (Post/Redirect/Get); a refusal shows its message and keeps what was typed.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from interra.accounts.decorators import coordinator_required
from interra.cities.selectors import coordinated_cities
from interra.core.audit import audit_personal_data_access
from interra.core.errors import DomainError

from . import desk, selectors, services
from .forms import DeskReasonForm, DeskRegisterForm, DeskSeatsForm
from .models import Registration, Session


@coordinator_required
def desk_home(request):
    """Upcoming sessions of my cities, each with a link to its desk."""
    return render(request, "agenda/desk_home.html", {
        "sessions": list(selectors.staff_sessions(request.user)[:100]),
        "cities": coordinated_cities(request.user),
    })


def _seats_form(session, data=None):
    return DeskSeatsForm(data, initial={
        "capacity": session.capacity,
        "newcomer_seats_percent": session.newcomer_seats_percent or 0,
        "local_seats_percent": session.local_seats_percent or 0,
    })


@coordinator_required
def desk_session(request, pk):
    session = selectors.staff_session(request.user, pk)
    if session is None:
        raise Http404  # the same answer for "no such session" and "another city's"
    max_seats = min(session.max_seats_per_registration, session.capacity)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    register_form = DeskRegisterForm(request.POST if action == "register" else None,
                                     max_seats=max_seats)
    seats_form = _seats_form(session, request.POST if action == "seats" else None)
    reason_form = DeskReasonForm(request.POST if action in ("cancel", "promote") else None)
    status = 200
    if action:
        try:
            done = _act(request, session, action, register_form, seats_form, reason_form)
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status_code
        else:
            if done:
                return redirect("agenda:desk_session", pk=session.pk)
            status = 400
    audit_personal_data_access(actor=request.user, action="view",
                               subject=f"agenda.session:{session.pk}:registrations",
                               detail="staff desk")
    registrations = selectors.desk_registrations(session)
    return render(request, "agenda/desk_session.html", {
        "session": session, "counts": services.seat_counts(session),
        "confirmed": [r for r in registrations if r.status == Registration.Status.CONFIRMED],
        "waitlist": [r for r in registrations if r.status == Registration.Status.WAITLISTED],
        "cancelled": [r for r in registrations if r.status == Registration.Status.CANCELLED],
        "log": selectors.session_log(session),
        "register_form": register_form, "seats_form": seats_form,
        "reason_form": reason_form, "action": action,
        "open": session.status == Session.Status.SCHEDULED
        and session.starts_at > timezone.now(),
    }, status=status)


def _registration(session, form) -> Registration:
    registration = session.registrations.filter(pk=form.cleaned_data["registration"]).first()
    if registration is None:
        raise Http404
    return registration


def _act(request, session, action, register_form, seats_form, reason_form) -> bool:
    """Run one desk action; True when done, False when the form needs correcting."""
    user = request.user
    if action == "register":
        if not register_form.is_valid():
            return False
        data = register_form.cleaned_data
        registration = desk.desk_register(
            session=session, actor=user, display_name=data["name"], email=data["email"],
            phone=data["phone"], group=data["group"], seats=data["seats"],
            language=data["language"], reason=data["reason"])
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, _("Registered; they get a message with their link."))
        else:
            messages.info(request, _("The session is full for them: they are on the waitlist "
                                     "and get a message with their link."))
        return True
    if action == "seats":
        if not seats_form.is_valid():
            return False
        promoted = desk.desk_seats_change(session=session, actor=user, **seats_form.cleaned_data)
        messages.success(request, _("Seats saved.") + (" " + ngettext(
            "%(count)d person moved up from the waitlist.",
            "%(count)d people moved up from the waitlist.", len(promoted))
            % {"count": len(promoted)} if promoted else ""))
        return True
    if action in ("cancel", "promote"):
        if not reason_form.is_valid():
            messages.error(request, _("Say why, in a few words."))
            return False
        registration = _registration(session, reason_form)
        reason = reason_form.cleaned_data["reason"]
        if action == "cancel":
            promoted = desk.desk_cancel(registration=registration, actor=user, reason=reason)
            messages.success(request, _("Registration cancelled; the person is told.") + (
                " " + ngettext("%(count)d person moved up from the waitlist.",
                               "%(count)d people moved up from the waitlist.", len(promoted))
                % {"count": len(promoted)} if promoted else ""))
        else:
            desk.desk_promote(registration=registration, actor=user, reason=reason)
            messages.success(request, _("Confirmed from the waitlist; the person is told."))
        return True
    if action == "resend":
        registration_id = request.POST.get("registration", "")
        if not (registration_id.isascii() and registration_id.isdigit()
                and int(registration_id) <= 2**63 - 1):
            raise Http404
        registration = session.registrations.filter(pk=int(registration_id)).first()
        if registration is None:
            raise Http404
        desk.desk_link_resend(registration=registration, actor=user)
        messages.success(request, _("Link sent again to the contact on file."))
        return True
    raise Http404
