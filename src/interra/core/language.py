"""The language switcher's POST, protected by where it comes from instead of a token.

A CSRF token in the switcher, which is on every page, made every page personal: the
agenda's cached pages needed a new token (and a cookie) for each visitor who only reads.
The switch is refused when a browser says it comes from another site: ``Sec-Fetch-Site``
(sent by every current browser), else ``Origin`` compared with this site, as Go's
``http.CrossOriginProtection`` does. A request with neither header is not a browser's
cross-site form (or comes from a browser too old to tell): it is let through, and the
worst it could do is change someone's language.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language as django_set_language


def same_site(request) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")  # "none": typed or bookmarked
    origin = request.headers.get("Origin")
    return (origin is None or origin == f"{request.scheme}://{request.get_host()}"
            or origin in settings.CSRF_TRUSTED_ORIGINS)


@csrf_exempt  # checked by where it comes from: see above
def set_language(request):
    """Django's view (a GET only goes back to ``next``, changing nothing)."""
    if request.method != "GET" and not same_site(request):
        raise PermissionDenied("cross-site language switch")
    return django_set_language(request)
