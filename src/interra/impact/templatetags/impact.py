from django import template
from django.utils.formats import number_format

from interra.impact.selectors import SMALL_COUNT_LABEL

register = template.Library()


@register.filter
def figure(value):
    """A figure as shown: "< 5" stays as is, nothing becomes a dash, numbers localised."""
    if value is None or value == "":
        return "—"
    if value == SMALL_COUNT_LABEL or isinstance(value, str):
        return value
    if isinstance(value, float) and not value.is_integer():
        return number_format(value)  # already rounded by the selectors
    return number_format(int(value), force_grouping=False)


@register.filter
def percent(value):
    shown = figure(value)
    if value is None or value == SMALL_COUNT_LABEL or isinstance(value, str):
        return shown
    return f"{shown} %"
