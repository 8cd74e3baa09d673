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


@register.filter
def language_names(codes):
    """["ar", "fr"] -> "العربية, français" (each language in its own name)."""
    from django.conf import locale

    names = []
    for code in codes or []:
        info = locale.LANG_INFO.get(code)
        names.append(info["name_local"] if info else code)
    return ", ".join(names)
