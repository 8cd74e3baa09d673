import base64
import json

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from sesame.views import LoginView

from interra.core.ratelimit import message_quota_exceeded, ratelimited

from . import services
from .decorators import PASSWORD_SESSION_KEY, requires_two_factor
from .forms import EraseForm, ProfileForm, SignInLinkForm, StaffSignInForm, TokenForm


def _safe_next(request, default="core:home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(default)


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
    def login_failed(self):
        return render(self.request, "accounts/link_invalid.html", status=403)


def staff_sign_in(request):
    """Password first; then the second factor (set up on the first visit)."""
    form = StaffSignInForm(request, request.POST or None)
    if request.method == "POST":
        if ratelimited(request, "staff-sign-in", limit=10, period=600):
            form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
        elif form.is_valid():
            login(request, form.user, backend="interra.accounts.backends.EmailOrPhoneBackend")
            request.session[PASSWORD_SESSION_KEY] = True
            next_url = _safe_next(request)
            if requires_two_factor(form.user):
                return redirect(reverse("accounts:verify") + "?next=" + next_url)
            return redirect(next_url)
    return render(request, "accounts/staff_sign_in.html", {"form": form})


@login_required
def verify(request):
    """Second factor: a TOTP code. Without a device yet, go and set one up."""
    if not request.session.get(PASSWORD_SESSION_KEY):
        return redirect(reverse("accounts:staff_sign_in") + "?next=" + _safe_next(request))
    if not list(devices_for_user(request.user)):
        return redirect(reverse("accounts:two_factor_setup") + "?next=" + _safe_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if ratelimited(request, "otp", limit=10, period=600, key=str(request.user.pk)):
            form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
        else:
            device = match_token(request.user, form.cleaned_data["token"].strip())
            if device is not None:
                otp_login(request, device)
                return redirect(_safe_next(request))
            form.add_error("token", _("This code is wrong or too old. Try the new one."))
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request)})


@login_required
def two_factor_setup(request):
    """Enrol an authenticator app: scan the QR code, then prove it with a first code."""
    if not request.session.get(PASSWORD_SESSION_KEY):
        return redirect(reverse("accounts:staff_sign_in") + "?next=" + request.get_full_path())
    if list(devices_for_user(request.user)):
        return redirect(reverse("accounts:verify") + "?next=" + _safe_next(request))
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_safe_next(request))
        form.add_error("token", _("This code is wrong or too old. Try the new one."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code"))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request, "accounts/two_factor_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "next": _safe_next(request)},
    )


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
    return render(request, "accounts/profile.html", {"form": form})


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
        "data_json": json.dumps(data, ensure_ascii=False, indent=2, default=str),
        "erase_form": EraseForm(),
    })


@login_required
@require_POST
def erase(request):
    form = EraseForm(request.POST)
    if not form.is_valid():
        data = services.person_export(person=request.user)
        return render(request, "accounts/my_data.html", {
            "data_json": json.dumps(data, ensure_ascii=False, indent=2, default=str),
            "erase_form": form,
        }, status=400)
    services.person_erase(person=request.user)
    logout(request)
    return render(request, "accounts/erased.html")
