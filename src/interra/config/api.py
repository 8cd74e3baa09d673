"""The public JSON API (django-ninja), at /api/v1/, with its OpenAPI at /api/v1/openapi.json.

Each app that has an ``api.py`` exposing ``router`` (and optionally ``PREFIX``) is mounted
here; routers call the same services as the pages.
"""

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from interra.core.discovery import app_modules
from interra.core.errors import DomainError

api = NinjaAPI(
    title="Interra API",
    version="1.0.0",
    urls_namespace="api",
    description="Public agenda and registrations for partner websites.",
)


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
