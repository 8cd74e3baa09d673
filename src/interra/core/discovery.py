"""Find a module of the same name in every Interra app (``demo``, ``api``...)."""

import importlib
from types import ModuleType

from django.apps import apps


def app_modules(module_name: str) -> list[tuple[object, ModuleType]]:
    """(app config, module) for each Interra app that has ``<app>.<module_name>``.

    An app without the module is skipped; an import error inside the module is raised.
    """
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("interra."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{module_name}":
                raise
            continue
        found.append((config, module))
    return found
