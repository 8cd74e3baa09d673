from django import template
from django.utils import translation

from interra.core.i18n import is_rtl, localized, pick_language

register = template.Library()


@register.filter(name="localized")
def localized_filter(value, language_code=None):
    """{{ workshop.title|localized }}: the text in the reader's language, or a fallback."""
    return localized(value, language_code)


@register.filter
def localized_lang(value):
    """The language code the text of ``value`` will be shown in (for lang="" attributes)."""
    return pick_language(value, translation.get_language()) or translation.get_language()


@register.filter
def text_dir(language_code):
    return "rtl" if is_rtl(language_code) else "ltr"


@register.inclusion_tag("core/icon.html")
def icon(name, label=""):
    """An inline pictogram from the sprite; decorative unless it carries a label."""
    return {"name": name, "label": label}


@register.filter
def bdi(value):
    """{{ person.display_name|bdi }}: people-written text isolated from the text around it,
    so a right-to-left name does not reorder the sentence it sits in (nor the other way)."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    return mark_safe(f"<bdi>{conditional_escape(value)}</bdi>")  # noqa: S308 (escaped)
