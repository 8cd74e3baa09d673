from datetime import timedelta

import pytest
from django.utils import timezone, translation

from interra.accounts.services import person_erase, person_export
from interra.core.errors import Conflict, DomainError, PermissionDenied
from interra.employers import selectors, services
from interra.employers.models import (
    ContactRequest,
    Employer,
    EmployerContact,
    EmployerStatusChange,
    RequestEvent,
)
from interra.notifications.models import Message
from tests.factories import CityFactory, UserFactory, coordinator

from .factories import COOK, employer, findable_leader

pytestmark = pytest.mark.django_db


def _ask(organisation, person, listing, **fields):
    fields.setdefault("kind", ContactRequest.Kind.CONTACT)
    fields.setdefault("message", "Nous cherchons une cuisinière pour un buffet.")
    return services.contact_request_send(employer=organisation, by=person,
                                         listing_id=listing.pk, **fields)


def test_a_sign_up_waits_for_a_coordinator_of_its_city_who_verifies_it_logged(city):
    organisation = services.employer_sign_up(
        city=city, name="Mission locale", kind=Employer.Kind.JOB_SUPPORT,
        contact_name="Sofia Martin", email="sofia@mission.example")
    contact = EmployerContact.objects.get(employer=organisation)
    assert organisation.status == Employer.Status.PENDING
    assert contact.confirmed_at is None  # a typed contact is not yet the organisation's
    assert Message.objects.filter(recipient=contact.person,
                                  template="employer_signed_up").exists()
    assert not selectors.employers_of(contact.person, verified_only=False).exists()
    services.employer_contact_confirm(employer=organisation, person=contact.person)
    assert not selectors.employers_of(contact.person).exists()  # still pending

    other_city_coordinator = coordinator(CityFactory(name="Namur", slug="namur"))
    with pytest.raises(PermissionDenied):
        services.employer_set_status(employer=organisation, by=other_city_coordinator,
                                     status=Employer.Status.VERIFIED)
    julie = coordinator(city)
    services.employer_set_status(employer=organisation, by=julie,
                                 status=Employer.Status.VERIFIED)
    assert list(selectors.employers_of(contact.person)) == [organisation]
    with pytest.raises(DomainError):
        services.employer_set_status(employer=organisation, by=julie,
                                     status=Employer.Status.SUSPENDED, reason="")
    services.employer_set_status(employer=organisation, by=julie,
                                 status=Employer.Status.SUSPENDED, reason="Plainte")
    assert not selectors.employers_of(contact.person).exists()
    log = list(EmployerStatusChange.objects.filter(employer=organisation)
               .values_list("to_status", "by", "reason"))
    assert log == [("pending", None, ""), ("verified", julie.pk, ""),
                   ("suspended", julie.pk, "Plainte")]
    assert Message.objects.filter(recipient=contact.person,
                                  template="employer_status_changed").count() == 2


def test_only_leaders_who_opted_in_of_the_employers_city_are_found_by_each_filter(city):
    organisation, _marc = employer(city)
    amira, listing = findable_leader(city)
    findable_leader(city, findable=False, display_name="Hidden", email="h@example.org",
                    phone="+32470999000")
    findable_leader(CityFactory(name="Namur", slug="namur"), display_name="Namur leader",
                    email="n@example.org", phone="+32470999001")
    found = selectors.leaders_found(employers=[organisation])
    assert [leader.person for leader in found] == [amira]
    assert selectors.leaders_found(employers=[organisation], skill=COOK)[0].person == amira
    for filters in ({"skill": "http://data.europa.eu/esco/skill/nothing"},
                    {"language": "uk"}, {"day": "mon"}, {"time_of_day": "evening"}):
        assert selectors.leaders_found(employers=[organisation], **filters) == [], filters
    hit = selectors.leaders_found(employers=[organisation], language="fa", day="sat",
                                  time_of_day="morning", city_id=city.pk)
    assert [leader.person for leader in hit] == [amira]
    # Turned off: gone from the search and from the leader's page.
    services.listing_update(person=amira, findable=False)
    assert selectors.leaders_found(employers=[organisation]) == []


def test_a_request_carries_no_contact_until_the_leader_accepts_and_chooses_one(city):
    organisation, marc = employer(city)
    amira, listing = findable_leader(city)
    request = _ask(organisation, marc, listing)
    assert request.shared_contact() == ""
    notice = Message.objects.get(template="employer_request_received")
    assert notice.recipient == amira and notice.language == "fr"
    assert notice.context["sign_in_next"] == f"/employers/requests/{request.pk}/"
    with pytest.raises(Conflict):
        _ask(organisation, marc, listing)  # one open question at a time
    with pytest.raises(PermissionDenied):
        services.contact_request_accept(request=request, by=marc, channel="phone")
    services.contact_request_accept(request=request, by=amira, channel="phone")
    request.refresh_from_db()
    assert request.shared_contact() == "+32470111222"
    assert Message.objects.get(template="employer_request_answered").recipient == marc
    with pytest.raises(Conflict):
        services.contact_request_decline(request=request, by=amira)
    assert list(request.events.values_list("action", "actor")) == [
        ("sent", marc.pk), ("accepted", amira.pk)]


def test_a_gig_needs_its_facts_and_can_be_marked_done_by_the_employer_or_coordinator(city):
    organisation, marc = employer(city)
    amira, listing = findable_leader(city)
    with pytest.raises(DomainError):
        _ask(organisation, marc, listing, kind="gig", gig_kind="catering")
    gig = _ask(organisation, marc, listing, kind="gig", gig_kind="catering",
               gig_date=timezone.localdate() + timedelta(days=10), gig_place="Salle Saint-Léonard",
               gig_pay="300 € (facture)")
    with pytest.raises(DomainError):
        services.gig_mark_done(request=gig, by=marc)  # not accepted yet
    services.contact_request_accept(request=gig, by=amira, channel="email")
    with pytest.raises(PermissionDenied):
        services.gig_mark_done(request=gig, by=UserFactory())
    services.gig_mark_done(request=gig, by=coordinator(city))
    gig.refresh_from_db()
    assert gig.done_at is not None and gig.shared_contact() == "amira@example.org"


def test_a_blocked_or_unverified_employer_gets_a_neutral_refusal(city):
    organisation, marc = employer(city)
    amira, listing = findable_leader(city)
    first = _ask(organisation, marc, listing)
    services.contact_request_decline(request=first, by=amira, block=True)
    first.refresh_from_db()
    assert first.status == ContactRequest.Status.DECLINED  # what the employer reads
    with pytest.raises(DomainError) as blocked:
        _ask(organisation, marc, listing)
    services.listing_update(person=amira, findable=False)
    with pytest.raises(DomainError) as hidden:
        _ask(organisation, marc, listing)
    assert blocked.value.message == hidden.value.message  # nothing tells them apart
    assert selectors.leaders_found(employers=[organisation]) == []
    pending, paula = employer(city, name="Pas encore", status=Employer.Status.PENDING,
                              display_name="Paula")
    _other, other_listing = findable_leader(city, display_name="Omid", email="o@example.org",
                                            phone="+32470111333")
    with pytest.raises(PermissionDenied):
        _ask(pending, paula, other_listing)


def test_outcomes_reach_the_impact_page_in_blocks_of_five(city):
    from interra.impact.selectors import Period, impact_figures

    organisation, marc = employer(city)
    for n in range(6):
        leader, listing = findable_leader(city, display_name=f"L{n}", email=f"l{n}@ex.org",
                                          phone=f"+3247011140{n}")
        request = _ask(organisation, marc, listing)
        if n < 2:
            services.contact_request_accept(request=request, by=leader, channel="phone")
    with translation.override("en"):  # labels are read in English here
        figures = impact_figures(cities=[city], period=Period.this_year())
    shown = {row["key"]: row["value"] for row in figures.extra}
    assert shown == {"employer_requests": 5, "employer_accepted": "< 5",
                     "employer_gigs_offered": "< 5", "employer_gigs_done": "< 5"}
    with translation.override("en"):  # the export's labels, read in English here
        rows = [row for row in figures.rows() if row[0] == "Employers"][:2]
    assert rows == [
        ("Employers", "Contact requests and gig offers", 5),
        ("Employers", "Requests accepted", "< 5")]


def test_erasing_the_leader_or_the_employer_contact_empties_the_requests(city):
    organisation, marc = employer(city)
    amira, listing = findable_leader(city)
    request = _ask(organisation, marc, listing, message="Appelez Marc au 0470 55 66 77")
    services.contact_request_accept(request=request, by=amira, channel="phone")
    exported = person_export(person=amira)
    assert exported["employers"]["requests_received"][0]["message"].startswith("Appelez")
    assert person_export(person=marc)["employers"]["requests_sent"][0]["id"] == str(request.pk)
    person_erase(person=amira)
    request.refresh_from_db()
    assert request.message == "" and request.shared_contact() == ""
    assert request.status == ContactRequest.Status.ACCEPTED  # still counted
    person_erase(person=marc)
    request.refresh_from_db()
    assert request.sent_by is None
    assert not EmployerContact.objects.filter(person=marc).exists()
    # The log keeps what happened and when, no longer who.
    assert list(RequestEvent.objects.filter(request=request).values_list("action", "actor")) \
        == [("sent", None), ("accepted", None)]
