from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def leader_employer_block(context) -> dict:
    """For the portfolio page: whether the signed-in leader may be found, and how many
    requests wait for their answer."""
    person = context["request"].user
    received = selectors.requests_received(person)
    return {"findable": selectors.is_findable(person),
            "waiting": received.filter(status="pending").count(),
            "any": received.exists()}


@register.filter
def weekday_name(key: str) -> str:
    from interra.proposals.models import TimeOfDay, Weekday

    for choices in (Weekday, TimeOfDay):
        try:
            return str(choices(key).label)
        except ValueError:
            continue
    return key


@register.filter
def language_name(code: str) -> str:
    from django.conf import settings
    from django.utils.translation import gettext

    return gettext(dict(settings.LANGUAGES).get(code, code))
