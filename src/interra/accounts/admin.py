from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["display_name"]
    # No contact details on the list: one page would show dozens of phones. The admin is
    # read-only and audited (core.admin_site); changes go through the services.
    list_display = ["display_name", "preferred_language", "is_network_admin", "erased_at"]
    search_fields = ["display_name", "email", "phone"]
    list_filter = ["is_network_admin", "is_staff", "is_active", "preferred_language"]
    fieldsets = [
        (None, {"fields": ["display_name", "email", "phone", "password"]}),
        ("Preferences", {"fields": ["preferred_language", "spoken_languages", "group",
                                    "preferred_channel"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_network_admin", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"fields": ["display_name", "email", "phone", "password1",
                                        "password2"]})]
