"""Reads: who acts for which organisation, the leaders a verified organisation may find,
requests seen by each side, and the outcome counts for the impact page."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from interra.cities.models import Membership, Role
from interra.cities.selectors import coordinated_cities
from interra.credentials.models import LeaderSkill, Portfolio
from interra.proposals.models import Proposal

from .models import ContactRequest, Employer, EmployerBlock, LeaderListing


def employers_of(person, *, verified_only: bool = True) -> QuerySet[Employer]:
    """The organisations ``person`` confirmed they act for (verified ones by default)."""
    if not person.is_authenticated:
        return Employer.objects.none()
    employers = Employer.objects.filter(contacts__person=person,
                                        contacts__confirmed_at__isnull=False)
    if verified_only:
        employers = employers.filter(status=Employer.Status.VERIFIED)
    return employers.select_related("city").distinct().order_by("name", "pk")


def unconfirmed_employers_of(person) -> QuerySet[Employer]:
    """Organisations somebody named ``person`` a contact of, not yet confirmed by them."""
    return Employer.objects.filter(contacts__person=person,
                                   contacts__confirmed_at__isnull=True).distinct()


def listing_of(person) -> LeaderListing | None:
    return LeaderListing.objects.filter(person=person).first()


def is_findable(person) -> bool:
    listing = listing_of(person)
    return bool(listing and listing.findable)


@dataclass
class FoundLeader:
    """What a verified organisation reads about a leader who may be found: their first
    name, the facts they are found by, and the portfolio parts they made public."""

    listing: LeaderListing
    person: object
    city_ids: set
    skills: list
    languages: list
    days: list = field(default_factory=list)
    times: list = field(default_factory=list)
    portfolio: Portfolio | None = None

    @property
    def first_name(self) -> str:
        return self.person.first_name


def _found(listings, city_ids) -> list[FoundLeader]:
    people = {listing.person_id: listing for listing in listings}
    if not people:
        return []
    memberships = {}
    for person_id, city_id in Membership.objects.filter(
            person_id__in=people, role=Role.LEADER, city_id__in=city_ids).values_list(
            "person_id", "city_id"):
        memberships.setdefault(person_id, set()).add(city_id)
    availability = {}
    for person_id, days, times, languages in Proposal.objects.filter(
            leader_id__in=people, city_id__in=city_ids).values_list(
            "leader_id", "available_days", "available_times", "languages"):
        entry = availability.setdefault(person_id, (set(), set(), set()))
        entry[0].update(days or [])
        entry[1].update(times or [])
        entry[2].update(languages or [])
    skills = {}
    for skill in LeaderSkill.objects.filter(person_id__in=people,
                                            status=LeaderSkill.Status.CONFIRMED):
        skills.setdefault(skill.person_id, []).append(skill)
    portfolios = {portfolio.person_id: portfolio
                  for portfolio in Portfolio.objects.filter(person_id__in=people)}
    found = []
    for person_id, listing in people.items():
        if person_id not in memberships:
            continue
        days, times, proposal_languages = availability.get(person_id, (set(), set(), set()))
        languages = sorted(set(listing.person.spoken_languages or []) | proposal_languages)
        found.append(FoundLeader(
            listing=listing, person=listing.person, city_ids=memberships[person_id],
            skills=skills.get(person_id, []), languages=languages,
            days=sorted(days), times=sorted(times), portfolio=portfolios.get(person_id)))
    return found


def _findable_listings(city_ids):
    return (LeaderListing.objects.filter(
        findable=True, person__erased_at__isnull=True, person__is_active=True,
        person__memberships__role=Role.LEADER, person__memberships__city_id__in=city_ids)
        .select_related("person").distinct())


def leaders_found(*, employers, skill: str = "", language: str = "", city_id=None,
                  day: str = "", time_of_day: str = "") -> list[FoundLeader]:
    """Leaders who may be found, in the cities of ``employers`` (verified ones of the
    viewer), matching every filter given: a confirmed ESCO skill, a language they speak
    or lead in, one of the organisations' cities, a day and a time of day they said they
    are free (on their proposals). Leaders who blocked the organisation are left out."""
    employers = list(employers)
    city_ids = {employer.city_id for employer in employers}
    if city_id:
        city_ids &= {int(city_id)}
    if not city_ids:
        return []
    listings = _findable_listings(city_ids).exclude(
        person__in=EmployerBlock.objects.filter(employer__in=employers).values("leader"))
    if skill:
        listings = listings.filter(person__skills__esco_uri=skill,
                                   person__skills__status=LeaderSkill.Status.CONFIRMED)
    found = _found(listings, city_ids)
    return sorted(
        (leader for leader in found
         if (not language or language in leader.languages)
         and (not day or day in leader.days)
         and (not time_of_day or time_of_day in leader.times)),
        key=lambda leader: (leader.first_name.casefold(), str(leader.listing.pk)))


def found_leader(*, employers, listing_id) -> FoundLeader:
    """One leader as a verified organisation reads them; 404 when they may not be found
    (turned it off, another city, erased, or unknown)."""
    employers = list(employers)
    city_ids = {employer.city_id for employer in employers}
    listing = (_findable_listings(city_ids).exclude(
        person__in=EmployerBlock.objects.filter(employer__in=employers).values("leader"))
        .filter(pk=listing_id).first())
    found = _found([listing], city_ids) if listing else []
    if not found:
        raise Http404
    return found[0]


def requests_received(person) -> QuerySet[ContactRequest]:
    return (ContactRequest.objects.filter(leader=person)
            .select_related("employer", "sent_by").order_by("-sent_at", "pk"))


def own_request(person, request_id) -> ContactRequest:
    """A request made to ``person``; anybody else's answers 404."""
    found = requests_received(person).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


def requests_sent(employers) -> QuerySet[ContactRequest]:
    return (ContactRequest.objects.filter(employer__in=list(employers))
            .select_related("employer", "leader").order_by("-sent_at", "pk"))


def sent_request(employers, request_id) -> ContactRequest:
    found = requests_sent(employers).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


# --- Coordinators ----------------------------------------------------------------------

def employers_for_coordinator(user) -> QuerySet[Employer]:
    return (Employer.objects.filter(city__in=coordinated_cities(user))
            .select_related("city")
            .prefetch_related(Prefetch("contacts", queryset=_contacts()))
            .order_by("status", "name", "pk"))


def _contacts():
    from .models import EmployerContact

    return EmployerContact.objects.select_related("person").order_by("pk")


def employer_for_coordinator(user, pk) -> Employer:
    employer = employers_for_coordinator(user).filter(pk=pk).first()
    if employer is None:
        raise Http404
    return employer


def people_by_pk(pks) -> dict:
    return {person.pk: person for person in get_user_model().objects.filter(pk__in=pks)}


# --- Outcomes, for the impact page -----------------------------------------------------

def outcome_counts(*, city_ids, start_at, end_at) -> dict[str, int]:
    """Exact counts for the period; the impact page rounds them (disclosure control)."""
    requests = ContactRequest.objects.filter(city_id__in=city_ids, sent_at__gte=start_at,
                                             sent_at__lt=end_at)
    return {
        "contact_requests": requests.count(),
        "accepted": requests.filter(status=ContactRequest.Status.ACCEPTED).count(),
        "gigs_offered": requests.filter(kind=ContactRequest.Kind.GIG).count(),
        "gigs_done": ContactRequest.objects.filter(
            city_id__in=city_ids, kind=ContactRequest.Kind.GIG,
            done_at__gte=start_at, done_at__lt=end_at).count(),
    }
