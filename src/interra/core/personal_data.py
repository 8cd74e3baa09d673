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


# "My space" shows a section per app (e.g. the agenda: my registrations), registered in
# AppConfig.ready() as a template that loads what it shows for ``user``.
_space_sections: dict[str, int] = {}


def register_space_section(template_name: str, order: int = 50) -> None:
    _space_sections[template_name] = order


def space_sections() -> list[str]:
    return [name for name, _order in sorted(_space_sections.items(), key=lambda kv: kv[1])]
