from django.conf import settings
from django.utils import translation

from . import navigation
from .i18n import is_rtl


def platform(request):
    user = getattr(request, "user", None)
    roles = {"public"}
    if user is not None and user.is_authenticated:
        roles |= {"signed_in", *navigation.roles_of(user)}
        if user.is_network_admin or user.is_superuser:
            roles |= {"network_admin", "coordinator"}
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "nav_items": navigation.items_for(roles),
        "user_roles": roles,
        "text_direction": "rtl" if is_rtl(language) else "ltr",
        "site_url": settings.SITE_URL,
    }
