from django import template

from interra.autonomy import selectors

register = template.Library()


@register.simple_tag
def workshops_to_schedule(user):
    """The workshops a trusted leader may schedule now (none for anyone else)."""
    return selectors.workshops_to_schedule(user)
