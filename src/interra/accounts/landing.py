"""Where a person lands after signing in when no page asked for them: the place of their
work (leaders: their workshops, volunteers: their tasks, coordinators: the board).

Apps register the landing of their roles in ``AppConfig.ready`` (``navigation.add_landing``)
so that accounts, a lower app, names no higher one.
"""

from interra.core import navigation


def landing_url_for(person) -> str:
    if person is None or not person.is_authenticated:
        return navigation.landing_url(set())
    # The reverse relation of cities.Membership: no import of the higher app.
    roles = {"signed_in", *person.memberships.values_list("role", flat=True)}
    if getattr(person, "is_network_admin", False) or person.is_superuser:
        roles |= {"network_admin", "coordinator"}
    return navigation.landing_url(roles)
