"""The admin site: read-only wherever there is personal data, and every look audited.

Changes to people, registrations, proposals, messages... go through the services, which
lock, notify and audit; the admin site is for looking, and for the few settings that hold
nobody's data (cities, venues, rooms, opening hours, closures, materials). A model added
later is read-only and audited by default: ``lock_down`` wraps every registered admin
whose model is not in ``EDITABLE_MODELS`` (third-party ones included: OTP devices, task
results), so forgetting is not possible.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from .audit import audit_personal_data_access

# Settings that name nobody: they stay editable (and their changes are in the admin log).
EDITABLE_MODELS = {
    "auth.group", "cities.city", "venues.venue", "venues.room", "venues.openingrule",
    "venues.closure", "venues.material",
}


def _label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


class ReadOnlyInline:
    """An inline that shows rows (audited with its parent page) and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PersonalDataAdmin:
    """Read-only and audited: the list, each row, its history. Search terms typed by staff
    are not kept (only that a search happened: a name is personal data)."""

    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_inlines(self, request, obj):
        return [type(f"ReadOnly{inline.__name__}", (ReadOnlyInline, inline), {})
                for inline in super().get_inlines(request, obj)]

    def _audit(self, request, subject: str, detail: str = "") -> None:
        audit_personal_data_access(actor=request.user, action="view",
                                   subject=f"admin:{_label(self.model)}:{subject}",
                                   detail=detail)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if getattr(response, "status_code", 200) == 200:
            searched = bool(request.GET.get(admin.views.main.SEARCH_VAR, "").strip())
            self._audit(request, "list", f"search={'yes' if searched else 'no'}")
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if getattr(response, "status_code", 200) == 200:
            self._audit(request, str(object_id)[:40])
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if getattr(response, "status_code", 200) == 200:
            self._audit(request, f"{str(object_id)[:40]}:history")
        return response

    # django-otp's authenticator admin shows a device's secret key and QR code: another
    # staff member's second factor, which nobody may copy (they enrol through their own
    # invitation link).
    def config_view(self, request, pk):
        raise PermissionDenied

    def qrcode_view(self, request, pk):
        raise PermissionDenied


def lock_down(site: admin.AdminSite) -> None:
    """Make every admin of ``site`` holding personal data read-only and audited."""
    for model, model_admin in list(site._registry.items()):
        if _label(model) in EDITABLE_MODELS or isinstance(model_admin, PersonalDataAdmin):
            continue
        locked = type(f"Audited{type(model_admin).__name__}",
                      (PersonalDataAdmin, type(model_admin)), {})
        site.unregister(model)
        site.register(model, locked)
