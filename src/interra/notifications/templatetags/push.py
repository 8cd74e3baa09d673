from django import template

from ..models import Channel
from ..push import vapid_public_key

register = template.Library()


@register.simple_tag
def push_state(user) -> dict:
    """What the "notifications on my phone" block shows for ``user``."""
    key = vapid_public_key()
    return {
        "enabled": bool(key),
        "public_key": key,
        "devices": user.push_subscriptions.count() if key else 0,
        "chosen": user.preferred_channel == Channel.PUSH,
    }
