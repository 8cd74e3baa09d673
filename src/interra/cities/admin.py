from django.contrib import admin
from django.utils.translation import gettext_lazy

from interra.core.admin_site import ReadOnlyInline

from .models import City, Membership


class MembershipInline(ReadOnlyInline, admin.TabularInline):
    """Who has a role here: shown, never changed here (roles come through invitations)."""

    model = Membership
    extra = 0
    fields = ["person", "role"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "newcomer_seats_percent", "local_seats_percent"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "neighbourhoods", "contact_email", "whatsapp_number",
                           "time_zone", "address", "languages", "poster_footer"]}),
        (gettext_lazy("Mixed groups and reminders"), {"fields": [
            "newcomer_seats_percent", "local_seats_percent", "hold_release_hours",
            "reminder_hours"]}),
        # The thresholds of the autonomy path (interra.autonomy.selectors.trust_eligibility).
        (gettext_lazy("Leader autonomy"), {"fields": [
            "trust_min_held_sessions", "trust_min_average_feedback",
            "trust_min_attendance_percent"]}),
    ]
    inlines = [MembershipInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The page lists the city's people (the inline): audited like any look at them.
        from interra.core.audit import audit_personal_data_access

        response = super().change_view(request, object_id, form_url, extra_context)
        if getattr(response, "status_code", 200) == 200:
            audit_personal_data_access(actor=request.user, action="view",
                                       subject=f"admin:cities.city:{object_id}:members")
        return response
