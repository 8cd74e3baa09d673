from django.contrib import admin

from .models import Feedback, Registration, Session


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["person", "claimed", "name_as_typed", "walk_in_name", "seats", "group", "status",
              "attended"]
    raw_id_fields = ["person"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "city", "starts_at", "capacity", "status"]
    list_filter = ["city", "status"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["workshop", "room", "booking"]
    readonly_fields = ["city"]
    inlines = [RegistrationInline]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["registration", "rating", "created_at"]
    raw_id_fields = ["registration"]
