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
    erase_traces(person)


def _needles(person) -> list[str]:
    return [n.lower() for n in (person.display_name, person.email or "", person.phone or "")
            if n and len(n) >= 3]


def erase_traces(person) -> None:
    """What the framework keeps outside the apps' tables (docs/data-protection.md,
    "Erasure, table by table"):

    - django_session: the person's signed-in sessions, and any browser session that holds
      their name or contacts (e.g. the proposal form's "sent" page), are deleted: the
      person is signed out everywhere.
    - core_auditlogentry: kept (it records what staff did, by id), but a detail that
      quotes the person's name or contacts is emptied.
    - django_admin_log: the description of the person's row is replaced by its id.
    """
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.models import Session

    from .models import AuditLogEntry

    needles = _needles(person)
    doomed = []
    for session in Session.objects.iterator():
        data = session.get_decoded()
        text = repr(data).lower()
        if str(data.get("_auth_user_id", "")) == str(person.pk) or any(
                n in text for n in needles):
            doomed.append(session.pk)
    Session.objects.filter(pk__in=doomed).delete()
    for entry in AuditLogEntry.objects.exclude(detail="").only("id", "detail").iterator():
        if any(n in entry.detail.lower() for n in needles):
            AuditLogEntry.objects.filter(pk=entry.pk).update(detail="")
    from django.contrib.auth import get_user_model

    user_type = ContentType.objects.get_for_model(get_user_model())
    LogEntry.objects.filter(content_type=user_type, object_id=str(person.pk)).update(
        object_repr=f"#{person.pk}", change_message="")


# "My space" shows a section per app (e.g. the agenda: my registrations), registered in
# AppConfig.ready() as a template that loads what it shows for ``user``.
_space_sections: dict[str, int] = {}


def register_space_section(template_name: str, order: int = 50) -> None:
    _space_sections[template_name] = order


def space_sections() -> list[str]:
    return [name for name, _order in sorted(_space_sections.items(), key=lambda kv: kv[1])]


# "My data" shows, below what is kept, a section per app for choices the person can take
# back there (e.g. the agenda: comments they let leaders quote), registered the same way.
_data_sections: dict[str, int] = {}


def register_data_section(template_name: str, order: int = 50) -> None:
    _data_sections[template_name] = order


def data_sections() -> list[str]:
    return [name for name, _order in sorted(_data_sections.items(), key=lambda kv: kv[1])]
