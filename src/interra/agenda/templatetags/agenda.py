
from django import template

register = template.Library()


@register.filter
def language_names(codes):
    """["ar", "fr"] -> "العربية, français" (each language in its own name)."""
    from django.conf import locale

    names = []
    for code in codes or []:
        info = locale.LANG_INFO.get(code)
        names.append(info["name_local"] if info else code)
    return ", ".join(names)


@register.simple_tag
def seats_available(session):
    """The seats each group can take now (``services.seat_availability``: one rule)."""
    from interra.agenda import services

    return services.seat_availability(session)


@register.filter
def seat_summary(availability):
    """"3 seats left", or what each group can take."""
    from interra.agenda import seat_texts

    return seat_texts.summary(availability)


@register.simple_tag
def waitlist_reason(held_for_others, held_until):
    """Why the person waits (seats held for the other group, until when): ``held_reason``."""
    from interra.agenda import seat_texts

    return seat_texts.held_reason(held_for_others or {}, held_until or None)


@register.simple_tag
def registrations_of(person):
    """{"upcoming": [...], "past": [...]}: the person's registrations, for "My space"."""
    from interra.agenda import selectors

    return selectors.registrations_of(person)


@register.simple_tag
def quoted_feedback_of(person):
    """The comments ``person`` let leaders quote on their portfolios."""
    from interra.agenda import selectors

    return list(selectors.quoted_feedback_of(person))
