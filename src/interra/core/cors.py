"""Cross-origin reads of the public API, for the agenda widget on partners' websites.

Only the read-only public endpoints listed in ``settings.PUBLIC_CORS_PATHS`` answer other
websites' browsers: GET and HEAD, from any origin (``Access-Control-Allow-Origin: *``),
never with credentials, and a preflight (OPTIONS) that allows nothing more. They never set
a cookie: the answer is the same for everybody. Everything else, registrations included,
stays same-origin (see config/api.py: a browser on another site cannot post).
"""

import re

from django.conf import settings
from django.http import HttpResponse

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
PREFLIGHT_MAX_AGE = 24 * 3600


class PublicApiCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.paths = [re.compile(pattern) for pattern in settings.PUBLIC_CORS_PATHS]

    def _public(self, request) -> bool:
        return any(pattern.fullmatch(request.path) for pattern in self.paths)

    def __call__(self, request):
        if not self._public(request):
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = HttpResponse(status=204)
            response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        else:
            response = self.get_response(request)
            if request.method not in ("GET", "HEAD"):
                return response
            # The same answer for everyone: nothing to remember about a visitor.
            response.cookies.clear()
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response
