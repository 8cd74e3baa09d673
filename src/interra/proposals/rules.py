"""Object permissions on proposals and tasks: the staff of a proposal's city only."""

import rules

from interra.cities.models import STAFF_ROLES, Membership, Role
from interra.cities.rules import is_network_admin


@rules.predicate
def is_staff_of_proposal_city(user, proposal):
    if proposal is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        person=user, city_id=proposal.city_id, role__in=STAFF_ROLES
    ).exists()


@rules.predicate
def coordinates_proposal_city(user, proposal):
    if proposal is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        person=user, city_id=proposal.city_id, role=Role.COORDINATOR
    ).exists()


@rules.predicate
def is_proposal_leader(user, proposal):
    return bool(user.is_authenticated and proposal is not None
                and proposal.leader_id == user.pk)


@rules.predicate
def is_staff_of_task_city(user, task):
    return task is not None and is_staff_of_proposal_city(user, task.proposal)


# Notes, history and the leader's contact: the city's team.
rules.add_perm("proposals.view_proposal", is_network_admin | is_staff_of_proposal_city)
rules.add_perm("proposals.add_note", is_network_admin | is_staff_of_proposal_city)
# Moving a card, accepting, declining, handing out work: the city's coordinators.
rules.add_perm("proposals.move_proposal", is_network_admin | coordinates_proposal_city)
rules.add_perm("proposals.assign_proposal", is_network_admin | coordinates_proposal_city)
# A task: anyone in the city's team can take it or close it.
rules.add_perm("proposals.work_on_task", is_network_admin | is_staff_of_task_city)
# The leader edits their own texts; the team can add translations.
rules.add_perm("proposals.edit_proposal_text",
               is_proposal_leader | is_network_admin | is_staff_of_proposal_city)
