from django.contrib import admin

from .models import Note, Proposal, StageChange, Task, Workshop


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    raw_id_fields = ["assignee", "done_by"]


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    readonly_fields = ["at", "actor", "from_stage", "to_stage", "reason"]
    can_delete = False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "city", "theme", "stage", "stage_changed_at", "assignee"]
    list_filter = ["city", "stage", "theme"]
    raw_id_fields = ["leader", "assignee", "workshop"]
    inlines = [TaskInline, StageChangeInline]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["__str__", "city", "theme", "format", "is_active"]
    list_filter = ["city", "theme", "format", "is_active"]
    raw_id_fields = ["leader", "co_leaders"]


admin.site.register(Note)
