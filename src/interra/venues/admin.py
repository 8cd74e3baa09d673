from django.contrib import admin

from .models import Booking, Closure, Material, MaterialLoan, OpeningRule, Partner, Room, Venue


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    fields = ["name", "capacity", "equipment", "accessibility", "cost_per_hour", "is_active"]


class OpeningRuleInline(admin.TabularInline):
    model = OpeningRule
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "agreement", "city"]
    list_filter = ["city", "kind", "agreement"]
    search_fields = ["name"]
    filter_horizontal = ["contacts"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "neighbourhood", "partner", "city"]
    list_filter = ["city"]
    search_fields = ["name", "address"]
    inlines = [RoomInline]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "venue", "capacity", "is_active"]
    list_filter = ["venue__city", "is_active"]
    inlines = [OpeningRuleInline]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["room", "workshop", "starts_at", "ends_at", "status"]
    list_filter = ["status", "room__venue__city"]
    raw_id_fields = ["room", "workshop", "requested_by", "decided_by"]


admin.site.register(Closure)
admin.site.register(Material)
admin.site.register(MaterialLoan)
