"""The agenda's signals, answered: a session published, moved or cancelled goes to the
city's followers."""

from django.utils.translation import ngettext

from . import documents
from .selectors import announceable_session, followers_counts
from .services import session_announce


def session_public_change(sender, *, session_id: int, change: str, **kwargs) -> None:
    session = announceable_session(session_id)
    if session is not None:
        session_announce(session=session, change=change)


def city_followers_facts(cities) -> dict[int, list[str]]:
    """The Team page's line per city: its fediverse address and how many follow it."""
    counts = followers_counts(cities)
    return {city.pk: [ngettext(
        "On the fediverse: @%(account)s, %(count)s follower",
        "On the fediverse: @%(account)s, %(count)s followers", counts.get(city.pk, 0)) % {
            "account": f"{city.slug}@{documents.host()}", "count": counts.get(city.pk, 0)}]
        for city in cities}
