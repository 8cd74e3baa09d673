"""The public JSON API (django-ninja), at /api/v1/, with its OpenAPI at /api/v1/openapi.json.

Each app that has an ``api.py`` exposing ``router`` (and optionally ``PREFIX``) is mounted
here; routers call the same services as the pages.
"""

import json

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from interra.core.discovery import app_modules
from interra.core.errors import DomainError


class JSONFromServersParser(Parser):
    """Request bodies are JSON, sent by a server or by pages of this site.

    A browser on another site can send a "simple" cross-origin POST (``text/plain``, no
    preflight) with a JSON body: that would write in the name of whoever visits it. So a
    body must say it is JSON (else 415), and a browser request from another site (its
    ``Sec-Fetch-Site`` or ``Origin`` says so) is refused (403). Requests without these
    browser headers, i.e. from partner websites' servers, are allowed.
    """

    def parse_body(self, request):
        content_type = request.content_type or ""
        if content_type != "application/json" and not (
                content_type.startswith("application/") and content_type.endswith("+json")):
            raise HttpError(415, _("Send the data as JSON (Content-Type: application/json)."))
        fetch_site = request.headers.get("Sec-Fetch-Site", "")
        origin = request.headers.get("Origin", "").rstrip("/")
        own_origins = {settings.SITE_URL, f"{request.scheme}://{request.get_host()}"}
        if (fetch_site and fetch_site not in ("same-origin", "none")) or (
                origin and origin not in own_origins):
            raise HttpError(403, _("Other websites cannot send this from a visitor's "
                                   "browser: send it from your server."))
        return json.loads(request.body)


api = NinjaAPI(
    parser=JSONFromServersParser(),
    title="Interra API",
    version="1.0.0",
    urls_namespace="api",
    description="Public agenda and registrations for partner websites.",
)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # django-ninja wraps any error of the body parser in a 400 "Cannot parse request
    # body"; the parser's own refusals (415, 403) are answered as they are.
    if isinstance(exc.__cause__, HttpError):
        exc = exc.__cause__
    return api.create_response(request, {"detail": str(exc.message)}, status=exc.status_code)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(
        request, {"detail": str(exc.message), "code": exc.code}, status=exc.status_code
    )


def _field_name(location) -> str:
    """("body", "payload", "seats") -> "seats"; ("query", "date") -> "date"."""
    parts = [str(part) for part in location[1:]]
    if location and location[0] == "body" and len(parts) > 1:
        parts = parts[1:]  # the handler's argument name, not a field the client sent
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    """Bad input: one translated sentence first, then each field's own complaint."""
    fields = [
        {"field": _field_name(error.get("loc", ())), "message": error.get("msg", "")}
        for error in exc.errors
    ]
    names = ", ".join(sorted({f["field"] for f in fields}))
    return api.create_response(
        request,
        {"detail": _("Some fields are missing or invalid: %(fields)s.") % {"fields": names},
         "code": "invalid", "errors": fields},
        status=422,
    )


for config, module in app_modules("api"):
    api.add_router(getattr(module, "PREFIX", f"/{config.label}"), module.router)
