"""The opening checklist a new city's coordinator sees on their staff home.

Each item says whether it is done from the city's data (rooms exist, a session is on
the agenda…), never from a box ticked by hand. Cities knows no higher app: venues and
the agenda add their items in ``AppConfig.ready()`` (``add``).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str  # a lazy translation
    url: Callable  # url(city) -> the page that does it
    done: Callable  # done(city) -> bool, read from the data
    order: int = 50


_items: list[ChecklistItem] = []


def add(key: str, label, *, url: Callable, done: Callable, order: int = 50) -> None:
    if any(item.key == key for item in _items):
        return
    _items.append(ChecklistItem(key, label, url, done, order))


def checklist_for(city) -> list[dict]:
    """The items in order, each with its link (to the page that does it) and ``done``."""
    return [{"key": item.key, "label": item.label, "url": item.url(city),
             "done": bool(item.done(city))}
            for item in sorted(_items, key=lambda i: i.order)]
