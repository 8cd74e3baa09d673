"""Held seats, as plain arithmetic (no database), so the rule is easy to read and test.

Before the release time, a session keeps ``held_newcomers`` seats for newcomers and
``held_locals`` for locals; the rest are open to anyone. A newcomer fills the newcomer
seats first, then open seats; a local likewise; someone who prefers not to say takes only
open seats. After the release, every free seat is open to all.
"""

from dataclasses import dataclass, field
from datetime import datetime

from interra.accounts.models import Group

# The groups a person may say they belong to, in the order pages list them.
GROUPS = (Group.NEWCOMER, Group.LOCAL, Group.UNDISCLOSED)


@dataclass(frozen=True)
class SeatCounts:
    capacity: int
    held_newcomers: int
    held_locals: int
    newcomers: int = 0  # confirmed seats by group
    locals: int = 0
    undisclosed: int = 0

    @property
    def taken(self) -> int:
        return self.newcomers + self.locals + self.undisclosed

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.taken)

    @property
    def open_seats_left(self) -> int:
        """Free seats that are not held for a group (before the release)."""
        open_total = self.capacity - self.held_newcomers - self.held_locals
        overflow = (max(0, self.newcomers - self.held_newcomers)
                    + max(0, self.locals - self.held_locals))
        return max(0, open_total - self.undisclosed - overflow)

    def available_for(self, group: str, *, released: bool) -> int:
        """How many seats a person of ``group`` could take now."""
        if released:
            return self.seats_left
        open_left = self.open_seats_left
        if group == Group.NEWCOMER:
            available = max(0, self.held_newcomers - self.newcomers) + open_left
        elif group == Group.LOCAL:
            available = max(0, self.held_locals - self.locals) + open_left
        else:
            available = open_left
        return min(available, self.seats_left)

    def fits(self, group: str, seats: int, *, released: bool) -> bool:
        return seats <= self.available_for(group, released=released)

    def add(self, group: str, seats: int) -> "SeatCounts":
        if group == Group.NEWCOMER:
            return _replace(self, newcomers=self.newcomers + seats)
        if group == Group.LOCAL:
            return _replace(self, locals=self.locals + seats)
        return _replace(self, undisclosed=self.undisclosed + seats)


@dataclass(frozen=True)
class SeatAvailability:
    """The seats each group can take now, and the free seats still held for a group.

    This is what every page, the API, the JSON-LD and the messages show, so that nobody
    reads "4 seats left" and is then put on the waitlist.
    """

    seats_left: int
    for_group: dict = field(default_factory=dict)  # group -> seats a person of it can take
    held_left: dict = field(default_factory=dict)  # group -> free seats held for it
    release_at: datetime | None = None
    released: bool = True

    @property
    def same_for_everyone(self) -> bool:
        return len(set(self.for_group.values())) <= 1

    @property
    def everyone_can_register(self) -> bool:
        return min(self.for_group.values(), default=0) > 0

    @property
    def someone_can_register(self) -> bool:
        return self.seats_left > 0 and max(self.for_group.values(), default=0) > 0

    @property
    def open_to_anyone(self) -> int:
        """Free seats anyone can take (those of the people who prefer not to say)."""
        return self.for_group.get(Group.UNDISCLOSED, 0)

    def held_for_others(self, group: str) -> dict:
        """Free seats held for the other groups than ``group``: the reason it gets fewer."""
        group = normalize_group(group)
        return {other: held for other, held in self.held_left.items()
                if other != group and held > 0}


def availability(counts: SeatCounts, *, released: bool,
                 release_at: datetime | None = None) -> SeatAvailability:
    """The seats each group can take, from the counts (one definition: ``available_for``)."""
    held_left = {}
    if not released:
        held_left = {
            Group.NEWCOMER: min(counts.seats_left,
                                max(0, counts.held_newcomers - counts.newcomers)),
            Group.LOCAL: min(counts.seats_left, max(0, counts.held_locals - counts.locals)),
        }
    return SeatAvailability(
        seats_left=counts.seats_left,
        for_group={group: counts.available_for(group, released=released) for group in GROUPS},
        held_left=held_left, release_at=None if released else release_at, released=released,
    )


def _replace(counts: SeatCounts, **changes) -> SeatCounts:
    from dataclasses import replace

    return replace(counts, **changes)


def normalize_group(group: str | None) -> str:
    return group if group in (Group.NEWCOMER, Group.LOCAL) else Group.UNDISCLOSED
