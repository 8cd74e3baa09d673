"""The words for seats, written once: the session page, the list, the registration page,
the waitlist message and the e-mails all call these, with numbers from ``seats.availability``.

Counts go through ngettext; dates are shown in the local time of the platform.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from interra.accounts.models import Group

from .seats import GROUPS, SeatAvailability


def when_text(moment: datetime | str | None) -> str:
    """"Friday 4 December, 18:00" in the active language (for people, never machines)."""
    if not moment:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return date_format(timezone.localtime(moment), "l j F, H:i")


def seats_for_group_text(group: str, count: int) -> str:
    if group == Group.NEWCOMER:
        return ngettext("%(count)d seat for people who arrived recently",
                        "%(count)d seats for people who arrived recently", count) % {
            "count": count}
    if group == Group.LOCAL:
        return ngettext("%(count)d seat for locals", "%(count)d seats for locals", count) % {
            "count": count}
    return ngettext("%(count)d seat if you prefer not to say",
                    "%(count)d seats if you prefer not to say", count) % {"count": count}


def held_text(group: str, count: int, release_at) -> str:
    when = when_text(release_at)
    if group == Group.NEWCOMER:
        return ngettext("%(count)d seat held for people who arrived recently until %(when)s",
                        "%(count)d seats held for people who arrived recently until %(when)s",
                        count) % {"count": count, "when": when}
    return ngettext("%(count)d seat held for locals until %(when)s",
                    "%(count)d seats held for locals until %(when)s",
                    count) % {"count": count, "when": when}


def seats_left_text(count: int) -> str:
    return ngettext("%(count)d seat left", "%(count)d seats left", count) % {"count": count}


def summary(availability: SeatAvailability) -> str:
    """One line for a list card: "3 seats left", or what each group can take."""
    if not availability.someone_can_register:
        return _("Full: waitlist")
    if availability.same_for_everyone:
        return seats_left_text(availability.seats_left)
    return " · ".join(seats_for_group_text(group, availability.for_group[group])
                      for group in GROUPS)


def lines(availability: SeatAvailability) -> dict:
    """What the session page shows: the seats per group, and what is held until when."""
    return {
        "same_for_everyone": availability.same_for_everyone,
        "seats_left": seats_left_text(availability.seats_left),
        "per_group": [(group, availability.for_group[group],
                       seats_for_group_text(group, availability.for_group[group]))
                      for group in GROUPS],
        "held": [held_text(group, count, availability.release_at)
                 for group, count in availability.held_left.items() if count > 0],
    }


def held_reason(held_for_others: dict, release_at) -> str:
    """Why a person is on the waitlist while seats look free: they are held for others.

    ``held_for_others`` maps a group to its free held seats (``held_for_others()``); empty
    when the session is simply full.
    """
    parts = [held_text(group, count, release_at)
             for group, count in held_for_others.items() if count]
    if not parts:
        return ""
    return _("No seat is free for you right now: %(held)s, to keep the group mixed. "
             "Seats still free then open to everyone, and go to the waitlist in order."
             ) % {"held": "; ".join(parts)}
