""""My data" as a page a person can read on a phone: the export (``person_export``), section
by section, with words instead of keys and dates instead of ISO strings. The JSON stays
available as a download; this only changes how the same data is shown.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Words for the keys the apps export; an unknown key is shown as it is, made readable.
LABELS = {
    "person": gettext_lazy("About me"),
    "registrations": gettext_lazy("My registrations"),
    "proposals": gettext_lazy("My proposals"),
    "name": gettext_lazy("Name"),
    "email": gettext_lazy("Email"),
    "phone": gettext_lazy("Phone"),
    "preferred_language": gettext_lazy("Language of my messages"),
    "spoken_languages": gettext_lazy("Languages I speak"),
    "newcomer_or_local": gettext_lazy("Newcomer or local"),
    "preferred_channel": gettext_lazy("How to reach me"),
    "photo": gettext_lazy("Photo"),
    "photo_public": gettext_lazy("Photo shown publicly"),
    "joined": gettext_lazy("Joined"),
    "roles": gettext_lazy("Roles"),
    "city": gettext_lazy("City"),
    "role": gettext_lazy("Role"),
    "workshop": gettext_lazy("Workshop"),
    "title": gettext_lazy("Title"),
    "starts_at": gettext_lazy("Date"),
    "seats": gettext_lazy("Seats"),
    "status": gettext_lazy("Status"),
    "attended": gettext_lazy("Came"),
    "registered_at": gettext_lazy("Registered on"),
    "feedback": gettext_lazy("My feedback"),
    "rating": gettext_lazy("Rating"),
    "comment": gettext_lazy("Comment"),
    "quote_consent": gettext_lazy("Leaders may quote it, without my name"),
    "created_at": gettext_lazy("Created on"),
    "stage": gettext_lazy("Stage"),
    "description": gettext_lazy("Description"),
    "push_devices": gettext_lazy("My devices that receive notifications"),
    "push_service": gettext_lazy("Push service"),
    "device": gettext_lazy("Device"),
    "last_used_at": gettext_lazy("Last used on"),
    "employers": gettext_lazy("Employers"),
}


def label(key: str) -> str:
    return str(LABELS.get(key, key.replace("_", " ").capitalize()))


def value_text(value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if "T" not in value and len(value) == 10:
            return date_format(moment.date(), "j F Y")
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "j F Y, H:i")
    if isinstance(value, dict):
        return " · ".join(f"{label(k)}: {value_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value)
    return str(value)


def _text(key: str, value) -> str:
    from django.conf import locale

    from .models import Group

    if key == "newcomer_or_local" and value in Group.values:
        return str(Group(value).label)
    if key == "preferred_language" and value in locale.LANG_INFO:
        return locale.LANG_INFO[value]["name_local"]
    return value_text(value)


def rows(record: dict) -> list[tuple[str, str]]:
    return [(label(key), _text(key, value)) for key, value in record.items()]


def readable_sections(data: dict) -> list[dict]:
    """[{"key", "title", "rows": [(label, text)]} or {"records": [[(label, text)]]}]."""
    sections = []
    for key, value in data.items():
        section = {"key": key, "title": label(key)}
        if isinstance(value, dict):
            section["rows"] = rows(value)
        elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
            section["records"] = [rows(item) for item in value]
        else:
            section["rows"] = [(label(key), value_text(value))]
        sections.append(section)
    return sections
