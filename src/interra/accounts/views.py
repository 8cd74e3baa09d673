import base64
import json
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from sesame.views import LoginView

from interra.core import personal_data
from interra.core.errors import DomainError
from interra.core.ratelimit import message_quota_exceeded, ratelimited

from . import contacts, services, staff
from .data_page import readable_sections
from .decorators import coordinator_required, second_factor_if_staff
from .forms import (
    ContactAddForm,
    EnrolForm,
    EraseForm,
    ProfileForm,
    SignInLinkForm,
    StaffInviteForm,
    StaffSignInForm,
)
from .landing import landing_url_for


def _safe_next(request, default="core:home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    if not default:
        return ""
    return landing_url_for(request.user) if request.user.is_authenticated else reverse(default)


def sign_in(request):
    """Ask for a magic link by phone or email: no password for leaders and participants."""
    form = SignInLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if ratelimited(request, "sign-in", limit=10, period=600) or message_quota_exceeded(
                request, contacts=[form.cleaned_data["identifier"]]):
            form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
        else:
            services.sign_in_link_send(
                identifier=form.cleaned_data["identifier"], next_url=request.GET.get("next", "")
            )
            return render(request, "accounts/link_sent.html")
    return render(request, "accounts/sign_in.html", {"form": form})


class MagicLinkView(LoginView):
    def get_default_redirect_url(self):
        return landing_url_for(self.request.user)

    def login_failed(self):
        return render(self.request, "accounts/link_invalid.html", status=403)


def staff_sign_in(request):
    """Password and second factor on one page, limited before anything is checked.

    A wrong password, a right password with a wrong code and an account without a
    device all get the same answer; over the limit, every attempt gets a 429.
    """
    form = StaffSignInForm(request.POST or None)
    status, refusal = 200, ""
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if staff.sign_in_refused(request, identifier=data["identifier"]):
                status = 429
                refusal = _("Too many attempts. Wait a few minutes and try again.")
            else:
                result = staff.staff_authenticate(
                    request, identifier=data["identifier"], password=data["password"],
                    token=data["token"])
                if result is not None:
                    staff.staff_session_start(request, *result)
                    return redirect(_safe_next(request))
                status = 400
                refusal = _("Wrong email, phone, password or code.")
            # The same page either way: the identifier kept, the password and code not.
            form = StaffSignInForm(initial={"identifier": data["identifier"]})
        else:
            status = 400
    return render(request, "accounts/staff_sign_in.html", {
        "form": form, "refusal": refusal, "next": _safe_next(request, default=""),
    }, status=status)


def admin_login(request):
    """The admin site has no sign-in of its own: it is the staff sign-in, second factor
    included, with the same limits."""
    target = _safe_next(request, default="") or reverse("admin:index")
    return redirect(reverse("accounts:staff_sign_in") + "?next=" + quote(target))


def enrol(request, token):
    """A new coordinator or volunteer opens the link a network admin gave them: they
    choose a password and add an authenticator app, proven by its first code."""
    invitation = staff.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/enrol_invalid.html", status=404)
    device = staff.enrolment_device(invitation)
    # Bound on every POST, an empty one too (an unbound form cannot take the 429 error).
    form = EnrolForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if ratelimited(request, "enrol", limit=10, period=600, key=str(invitation.pk)):
            form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
            status = 429
        elif form.is_valid():
            try:
                device = staff.staff_enrol(invitation=invitation,
                                           password=form.cleaned_data["password1"],
                                           token=form.cleaned_data["token"])
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                # Fresh from the database: the new password changes the session hash.
                person = type(invitation.person).objects.get(pk=invitation.person_id)
                staff.staff_session_start(request, person, device)
                messages.success(request, _("Two-factor authentication is on."))
                return redirect("cities:staff_home")
        else:
            status = 400
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code"))
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/enrol.html", {
        "form": form, "qr_svg": qr_svg, "secret": secret, "person": invitation.person,
    }, status=status)


@coordinator_required
def staff_invite(request):
    """A network admin invites a coordinator or a volunteer (a coordinator: a volunteer
    of their city) and gets their one-time enrolment link, shown once (never stored).
    ``?city=&role=`` choose them ahead (the opening of a city, its checklist)."""
    from interra.cities.models import STAFF_ROLES, Role
    from interra.cities.selectors import cities_coordinated_by_membership

    if request.user.is_network_admin or request.user.is_superuser:
        choices = {"cities": None, "roles": STAFF_ROLES}
    else:
        choices = {"cities": cities_coordinated_by_membership(request.user),
                   "roles": (Role.VOLUNTEER,)}
    initial = {key: request.GET[key] for key in ("city", "role") if request.GET.get(key)}
    form = StaffInviteForm(request.POST or None, initial=initial, **choices)
    link = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                person, link = staff.staff_invite(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                form = StaffInviteForm(initial=initial, **choices)
        else:
            status = 400
    response = render(request, "accounts/staff_invite.html", {"form": form, "link": link},
                      status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def contact_add(request):
    """A signed-in person adds a phone or an email: a link goes to that contact, and
    the contact joins the account only when the link is used."""
    form = ContactAddForm(request.POST)
    if form.is_valid():
        if ratelimited(request, "contact-add", limit=5, period=3600, key=str(request.user.pk)):
            messages.error(request, _("Too many attempts. Wait a few minutes and try again."))
        else:
            try:
                kind, value = contacts.contact_parse(form.cleaned_data["contact"])
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                contacts.contact_confirmation_send(person=request.user, kind=kind, value=value)
                # The same answer whether or not the contact is free: no probing.
                messages.success(request, _("We sent a link to %(contact)s. It is added to "
                                            "your account when you open it.")
                                 % {"contact": value})
    else:
        messages.error(request, _("Give a phone number or an email address."))
    return redirect("accounts:profile")


def contact_confirm(request, token):
    """The link sent to a new contact: shows what it adds, adds it on "Add" (a POST, so
    that mail scanners that open links change nothing)."""
    found = contacts.contact_from_token(token)
    if found is None:
        return render(request, "accounts/link_invalid.html", status=404)
    person, kind, value = found
    if request.method == "POST":
        try:
            contacts.contact_confirm(token=token)
        except DomainError as exc:
            messages.error(request, exc.message)
            return render(request, "accounts/contact_confirm.html",
                          {"value": value, "done": False}, status=exc.status_code)
        return render(request, "accounts/contact_confirm.html", {"value": value, "done": True})
    return render(request, "accounts/contact_confirm.html", {"value": value, "done": False})


@require_POST
def sign_out(request):
    logout(request)
    return redirect("core:home")


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        response = redirect("accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.user.preferred_language,
                            max_age=365 * 24 * 3600, samesite="Lax")
        return response
    return render(request, "accounts/profile.html", {
        "form": form, "space_sections": personal_data.space_sections(),
        "contact_form": ContactAddForm()})


@login_required
def my_data(request):
    data = services.person_export(person=request.user)
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2, default=str),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="interra-my-data.json"'
        return response
    return render(request, "accounts/my_data.html", {
        "sections": readable_sections(data), "erase_form": EraseForm(),
        "data_sections": personal_data.data_sections(),
    })


@require_POST
@second_factor_if_staff
def erase(request):
    form = EraseForm(request.POST)
    if not form.is_valid():
        data = services.person_export(person=request.user)
        return render(request, "accounts/my_data.html", {
            "sections": readable_sections(data), "erase_form": form,
            "data_sections": personal_data.data_sections(),
        }, status=400)
    services.person_erase(person=request.user)
    logout(request)
    return render(request, "accounts/erased.html")
