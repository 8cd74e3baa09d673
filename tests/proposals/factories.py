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


def add_co_leader(*, workshop, actor, **person):
    """Invite a co-leader and let them accept from their own session: the only way
    somebody becomes a co-leader. Returns the person."""
    invitation = services.workshop_co_leader_invite(workshop=workshop, actor=actor, **person)
    services.co_leader_invitation_answer(invitation=invitation, person=invitation.person,
                                         accept=True)
    return invitation.person
