"""Proposals for tests, made through the real service (so they are what the form makes)."""

from interra.proposals import services
from interra.proposals.models import Audience, RoomKind, Theme


def submit(city, **overrides):
    fields = {
        "city": city,
        "display_name": "Amira Haddad",
        "phone": "0470 12 34 56",
        "spoken_languages": ["ar", "fr"],
        "ui_language": "ar",
        "language": "ar",
        "theme": Theme.COOKING,
        "title": "مطبخ سوري",
        "description": "نطبخ معا",
        "audience": Audience.EVERYONE,
        "group_size": 10,
        "room_kind": RoomKind.KITCHEN,
        "materials": "flour",
        "available_days": ["wed", "sat"],
        "available_times": ["afternoon"],
        "neighbourhoods": ["Centre"],
    }
    fields.update(overrides)
    return services.proposal_submit(**fields)
