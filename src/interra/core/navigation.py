"""The navigation each role sees. Apps add their entries in AppConfig.ready()."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str  # a lazy translation
    url_name: str
    icon: str
    roles: frozenset  # role names, plus "public", "signed_in", "network_admin"
    order: int = 50


_items: list[NavItem] = []


def add(label, url_name, icon, roles, order=50):
    if any(item.url_name == url_name for item in _items):
        return
    _items.append(NavItem(label, url_name, icon, frozenset(roles), order))


def items_for(roles: set[str]) -> list[dict]:
    visible = []
    for item in sorted(_items, key=lambda i: i.order):
        if not (item.roles & roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        visible.append({"label": item.label, "url": url, "icon": item.icon,
                        "url_name": item.url_name})
    return visible
