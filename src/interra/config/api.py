"""The public JSON API (django-ninja), at /api/v1/, with its OpenAPI at /api/v1/openapi.json.

Each app that has an ``api.py`` exposing ``router`` (and optionally ``PREFIX``) is mounted
here; routers call the same services as the pages.
"""

import importlib

from django.apps import apps
from ninja import NinjaAPI

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


for config in apps.get_app_configs():
    if not config.name.startswith("interra."):
        continue
    try:
        module = importlib.import_module(f"{config.name}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{config.name}.api":
            raise
        continue
    api.add_router(getattr(module, "PREFIX", f"/{config.label}"), module.router)
