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
_role_sources: list = []


def add(label, url_name, icon, roles, order=50):
    if any(item.url_name == url_name for item in _items):
        return
    _items.append(NavItem(label, url_name, icon, frozenset(roles), order))


def add_role_source(source) -> None:
    """``source(user) -> set[str]``: the roles an app gives a signed-in person (cities: a
    role per city membership). Core knows no app; the apps tell it in ready()."""
    if source not in _role_sources:
        _role_sources.append(source)


def roles_of(user) -> set[str]:
    """Every role the apps give this signed-in person."""
    return set().union(*(source(user) for source in _role_sources))


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


# --- Where a person lands after signing in without a `next` ------------------------------

@dataclass(frozen=True)
class Landing:
    role: str
    url_name: str
    rank: int  # the lowest rank among a person's roles wins


_landings: list[Landing] = []


def add_landing(role: str, url_name: str, rank: int) -> None:
    """An app says where people of ``role`` start their work (e.g. leaders: their workshops)."""
    if any(landing.role == role for landing in _landings):
        return
    _landings.append(Landing(role, url_name, rank))


def landing_url(roles: set[str], default: str = "core:home") -> str:
    for landing in sorted(_landings, key=lambda landing: landing.rank):
        if landing.role in roles:
            try:
                return reverse(landing.url_name)
            except NoReverseMatch:
                continue
    return reverse(default)


# --- Sections of a leader's own page that other apps add -------------------------------

_leader_sections: list[tuple[int, str]] = []


def add_leader_section(template: str, order: int = 50) -> None:
    """A higher app adds a block to the leader's page (``agenda:leader_home``) without
    the agenda importing it: the template is included with the page's context."""
    if any(name == template for _order, name in _leader_sections):
        return
    _leader_sections.append((order, template))


def leader_sections() -> list[str]:
    return [name for _order, name in sorted(_leader_sections)]


# --- Facts about a city on the Team page that other apps add ----------------------------

_city_facts: list = []


def add_city_facts(provider) -> None:
    """A higher app adds lines to each city's card on the Team page (``cities:staff_home``)
    without cities importing it. ``provider(cities)`` returns {city id: [text, ...]} for
    all the cities at once (one query, however many cities)."""
    if provider not in _city_facts:
        _city_facts.append(provider)


def city_facts(cities) -> dict[int, list[str]]:
    facts: dict[int, list[str]] = {}
    for provider in _city_facts:
        for city_id, lines in provider(cities).items():
            facts.setdefault(city_id, []).extend(lines)
    return facts
