"""Held seats, as plain arithmetic (no database), so the rule is easy to read and test.

Before the release time, a session keeps ``held_newcomers`` seats for newcomers and
``held_locals`` for locals; the rest are open to anyone. A newcomer fills the newcomer
seats first, then open seats; a local likewise; someone who prefers not to say takes only
open seats. After the release, every free seat is open to all.
"""

from dataclasses import dataclass

from interra.accounts.models import Group


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


def _replace(counts: SeatCounts, **changes) -> SeatCounts:
    from dataclasses import replace

    return replace(counts, **changes)


def normalize_group(group: str | None) -> str:
    return group if group in (Group.NEWCOMER, Group.LOCAL) else Group.UNDISCLOSED
