from django import template

from interra.proposals.models import Stage

register = template.Library()

STAGE_BADGES = {
    Stage.READY: "ok", Stage.SCHEDULED: "ok", Stage.RUNNING: "ok",
    Stage.DECLINED: "danger", Stage.WITHDRAWN: "danger", Stage.NEW: "warn",
}


@register.filter
def stage_label(value):
    """{{ "accepted"|stage_label }}: the stage's name in the active language."""
    try:
        return Stage(value).label
    except ValueError:
        return value


@register.filter
def stage_badge(value):
    return STAGE_BADGES.get(value, "")


@register.filter
def task_label(value):
    """{{ "meet"|task_label }}: the task's name in the active language (messages)."""
    from interra.proposals.models import TaskKind

    try:
        return TaskKind(value).label
    except ValueError:
        return value


@register.filter
def iso_date(value):
    """'2026-12-01' -> a date, for a localised |date in a message."""
    from datetime import date

    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
