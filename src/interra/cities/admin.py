from django.contrib import admin

from .models import City, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "newcomer_seats_percent", "local_seats_percent"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
