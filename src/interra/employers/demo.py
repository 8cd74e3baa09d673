"""A verified caterer in Liège whose contact asked the first leader (who may be found)
for a contact, waiting for an answer: the employer's search, the leader's request page
and the coordinators' employers page all show something."""

from django.utils import timezone

from interra.accounts.services import person_find_or_create

from . import services
from .models import ContactRequest, Employer, EmployerContact, EmployerStatusChange

ORDER = 96  # after credentials: the first leader's skills are confirmed by then


def seed(ctx):
    leaders = list(ctx.get("leaders", []))
    if not leaders:
        return
    city, julie = ctx["city"], ctx["coordinators"][0]
    person, _created = person_find_or_create(display_name="Marc Lejeune",
                                             email="marc@traiteur-du-monde.example")
    caterer = Employer.objects.create(
        city=city, name="Traiteur du Monde", kind=Employer.Kind.EMPLOYER,
        website="https://traiteur-du-monde.example",
        description="Traiteur liégeois pour mariages et événements d'entreprise.")
    EmployerStatusChange.objects.create(employer=caterer, at=timezone.now(), to_status="pending")
    EmployerContact.objects.create(employer=caterer, person=person)
    services.employer_contact_confirm(employer=caterer, person=person)
    services.employer_set_status(employer=caterer, by=julie, status=Employer.Status.VERIFIED)
    first = leaders[0]
    listing = services.listing_update(person=first, findable=True)
    services.contact_request_send(
        employer=caterer, by=person, listing_id=listing.pk, kind=ContactRequest.Kind.GIG,
        gig_kind=ContactRequest.GigKind.CATERING,
        gig_date=timezone.localdate() + timezone.timedelta(days=21),
        gig_place="Salle des fêtes de Saint-Léonard", gig_pay="350 € sur facture",
        message="Buffet pour 60 personnes lors d'une fête de quartier : pouvez-vous "
                "nous proposer un menu ?")
    ctx["employer_contact"] = person
