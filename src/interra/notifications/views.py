"""Failed messages for coordinators, the SMS provider's delivery reports, and the
person's devices that accept push notifications."""

import json

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from interra.cities.access import coordinator_required
from interra.core.audit import audit_personal_data_access
from interra.core.errors import DomainError

from . import selectors, services
from .sms import sms_auth_token


@coordinator_required
def failed_messages(request):
    """Messages that did not arrive, in my cities, each with a resend button."""
    page = Paginator(selectors.failed_messages_for(request.user), 50).get_page(
        request.GET.get("page"))
    audit_personal_data_access(actor=request.user, action="view",
                               subject="notifications.message:failed",
                               detail=f"page={page.number}")
    return render(request, "notifications/failed.html", {"page": page})


@require_POST
@coordinator_required
def resend_message(request, pk):
    message = selectors.failed_messages_for(request.user).filter(pk=pk).first()
    if message is None:
        raise Http404
    try:
        services.message_resend(message=message, actor=request.user)
    except DomainError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, _("The message is being sent again."))
    return redirect("notifications:failed")


@csrf_exempt
@require_POST
def sms_status(request):
    """Twilio's delivery report. Only a request signed with our auth token counts."""
    from twilio.request_validator import RequestValidator

    token = sms_auth_token()
    signature = request.headers.get("X-Twilio-Signature", "")
    # The provider signs the address it was given, not the one behind a proxy.
    url = settings.SITE_URL + request.get_full_path()
    if not token or not RequestValidator(token).validate(url, request.POST.dict(), signature):
        return HttpResponseForbidden("Invalid signature")
    services.message_delivery_report(
        provider_id=request.POST.get("MessageSid", ""),
        provider_status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)


def _wants_json(request) -> bool:
    return request.content_type == "application/json"


def _devices(person) -> dict:
    """How many devices receive notifications, in numbers and in words (the same
    sentence as notifications/_push_section.html)."""
    count = person.push_subscriptions.count()
    text = ngettext("%(devices)s device receives notifications.",
                    "%(devices)s devices receive notifications.", count) % {"devices": count}
    return {"devices": count, "text": text}


@require_POST
@login_required
def push_subscribe(request):
    """The person's phone accepts notifications: store its subscription (JSON, from
    ``notifications/push.js``: the browser's ``PushSubscription.toJSON()``)."""
    try:
        data = json.loads(request.body or b"{}")
        endpoint = str(data["endpoint"])
        keys = data["keys"]
        p256dh, auth = str(keys["p256dh"]), str(keys["auth"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": _("A push subscription was expected.")}, status=400)
    try:
        services.push_subscription_save(
            person=request.user, endpoint=endpoint, p256dh=p256dh, auth=auth,
            user_agent=request.headers.get("User-Agent", ""))
    except DomainError as exc:
        return JsonResponse({"error": exc.message}, status=400)
    return JsonResponse(_devices(request.user))


@require_POST
@login_required
def push_unsubscribe(request):
    """Forget this phone (JSON with its endpoint), or every device (the form without
    JavaScript)."""
    endpoint = None
    if _wants_json(request):
        try:
            endpoint = str(json.loads(request.body or b"{}")["endpoint"])
        except (ValueError, KeyError, TypeError):
            return JsonResponse({"error": _("A push subscription was expected.")},
                                status=400)
    services.push_subscription_delete(person=request.user, endpoint=endpoint)
    if _wants_json(request):
        return JsonResponse(_devices(request.user))
    flash.success(request, _("Notifications are off on all your devices."))
    return redirect(reverse("accounts:profile") + "#push")
