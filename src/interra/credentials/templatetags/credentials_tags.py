from django import template

from ..models import Achievement
from ..skills import skill_label

register = template.Library()


@register.filter
def achievement_name(key: str) -> str:
    """The badge's name in the active language (messages store only its key)."""
    try:
        return str(Achievement(key).label)
    except ValueError:
        return key


@register.filter
def skill_name(skill) -> str:
    return skill_label(skill)


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or None (e.g. the quote chosen for one comment)."""
    return (mapping or {}).get(key)
