from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def iso_local(value):
    """'2026-12-01T18:00:00+00:00' -> an aware datetime in local time (for messages)."""
    if not value:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    return timezone.localtime(value)
