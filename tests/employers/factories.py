"""Situations for the employers tests, built through the services."""

from django.utils import timezone

from interra.cities.models import Membership, Role
from interra.credentials import services as credentials
from interra.employers import services
from interra.employers.models import Employer, EmployerContact, EmployerStatusChange
from interra.proposals.models import Proposal
from tests.factories import UserFactory, WorkshopFactory

COOK = "http://data.europa.eu/esco/skill/8bb1e784-f54f-48dd-aedd-23723e171898"


def employer(city, *, name="Traiteur du Monde", status=Employer.Status.VERIFIED,
             **person_fields):
    """An organisation of ``city`` with one confirmed contact person; returns both."""
    person_fields.setdefault("display_name", "Marc Lejeune")
    person = UserFactory(**person_fields)
    organisation = Employer.objects.create(city=city, name=name, status=status)
    EmployerStatusChange.objects.create(employer=organisation, at=timezone.now(),
                                        to_status=status)
    EmployerContact.objects.create(employer=organisation, person=person,
                                   confirmed_at=timezone.now())
    Membership.objects.create(person=person, city=city, role=Role.EMPLOYER)
    return organisation, person


def findable_leader(city, *, skill=COOK, findable=True, days=("sat",), times=("morning",),
                    languages=("fa", "fr"), by=None, **person_fields):
    """A leader of ``city`` with a workshop, a skill a coordinator confirmed, the days
    they gave on their proposal, and (by default) the choice to be found."""
    person_fields.setdefault("display_name", "Amira Haddad")
    person_fields.setdefault("phone", "+32470111222")
    person_fields.setdefault("email", "amira@example.org")
    person = UserFactory(**person_fields)
    Membership.objects.create(person=person, city=city, role=Role.LEADER)
    workshop = WorkshopFactory(city=city, leader=person, title={"fr": "Cuisine afghane"})
    Proposal.objects.create(city=city, leader=person, theme="cooking",
                            title={"fr": "Cuisine afghane"}, language="fr",
                            languages=list(languages), available_days=list(days),
                            available_times=list(times), workshop=workshop)
    if skill:
        confirmed = credentials.skill_propose(person=person, esco_uri=skill)
        credentials.skill_decide(skill=confirmed, by=by, confirm=True)
    listing = services.listing_update(person=person, findable=findable)
    return person, listing
