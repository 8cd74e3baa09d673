"""Each app says what personal data it holds about a person, and how to erase it.

Apps register an exporter and an eraser in their AppConfig.ready(); the "my data" page
and the erase service call them all, so adding an app never forgets a person's rights.
"""

from collections.abc import Callable

_exporters: dict[str, Callable] = {}
_erasers: dict[str, Callable] = {}


def register(section: str, *, export: Callable | None = None, erase: Callable | None = None):
    """``export(person) -> JSON-able``; ``erase(person)`` anonymises, keeping counts."""
    if export:
        _exporters[section] = export
    if erase:
        _erasers[section] = erase


def export_all(person) -> dict:
    return {section: export(person) for section, export in sorted(_exporters.items())}


def erase_all(person) -> None:
    for _section, erase in sorted(_erasers.items()):
        erase(person)
