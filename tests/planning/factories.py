"""A small city ready to plan: rooms with opening rules, workshops ready to schedule."""

from datetime import date, time

from interra.proposals.models import Proposal, Stage
from tests.factories import (
    OpeningRuleFactory,
    PartnerFactory,
    RoomFactory,
    UserFactory,
    VenueFactory,
    WorkshopFactory,
)

MONDAY = date(2027, 3, 22)  # four weeks from here cross the clocks going forward


def room_open(city, *, byday="MO,TU,WE,TH,FR", opens=time(14), closes=time(22),
              neighbourhood="Outremeuse", contact=None, **room):
    partner = PartnerFactory(city=city, contacts=[contact] if contact else [])
    venue = VenueFactory(partner=partner, city=city, neighbourhood=neighbourhood)
    made = RoomFactory(venue=venue, **room)
    OpeningRuleFactory(room=made, rrule=f"FREQ=WEEKLY;BYDAY={byday}", opens_at=opens,
                       closes_at=closes, valid_from=date(2020, 1, 1))
    return made


def ready_workshop(city, *, days=("tue",), times=("evening",), room_kind="", equipment="",
                   neighbourhoods=(), sessions=None, leader=None, **fields):
    leader = leader or UserFactory(display_name="Amina Diallo")
    workshop = WorkshopFactory(city=city, leader=leader, **fields)
    proposal = Proposal.objects.create(
        city=city, leader=leader, theme=workshop.theme, title=workshop.title,
        description=workshop.description, stage=Stage.READY, workshop=workshop,
        room_kind=room_kind, equipment=equipment, available_days=list(days),
        available_times=list(times), neighbourhoods=list(neighbourhoods),
        group_size=workshop.group_size)
    workshop.needs = proposal.needs_summary()
    if sessions:
        workshop.needs["sessions"] = sessions
    workshop.save(update_fields=["needs"])
    return workshop
