"""Factories for the agenda's tests (workshops and rooms minimal, through their models)."""

from datetime import timedelta

import factory
from django.utils import timezone

from interra.agenda.models import Registration, Session
from interra.proposals.models import Workshop
from interra.venues.models import Partner, Room, Venue
from tests.factories import CityFactory, UserFactory


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    city = factory.SubFactory(CityFactory)
    leader = factory.SubFactory(UserFactory)
    theme = "cooking"
    title = factory.Sequence(lambda n: {"fr": f"Atelier {n}", "uk": f"Майстерня {n}"})
    description = factory.LazyFunction(lambda: {"fr": "On cuisine ensemble."})
    languages = factory.LazyFunction(lambda: ["fr", "ar"])


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"Maison {n}")


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    partner = factory.SubFactory(PartnerFactory)
    city = factory.SelfAttribute("partner.city")
    name = factory.Sequence(lambda n: f"Centre {n}")
    address = "Rue Léopold 1, 4000 Liège"
    neighbourhood = "Centre"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    venue = factory.SubFactory(VenueFactory)
    name = "Salle 1"
    capacity = 20
    accessibility = factory.LazyFunction(lambda: ["wheelchair"])


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    workshop = factory.SubFactory(WorkshopFactory)
    city = factory.SelfAttribute("workshop.city")
    room = factory.LazyAttribute(lambda o: RoomFactory(venue__partner__city=o.workshop.city))
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=5))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    capacity = 10


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(UserFactory)
    seats = 1
    group = "undisclosed"
    status = Registration.Status.CONFIRMED
