"""Factories for venues tests: partners, venues, rooms, opening rules, workshops."""

from datetime import date, time

import factory

from interra.proposals.models import Workshop
from interra.venues.models import Material, OpeningRule, Partner, Room, Venue
from tests.factories import CityFactory, UserFactory


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    city = factory.SubFactory(CityFactory)
    leader = factory.SubFactory(UserFactory)
    theme = "cooking"
    title = factory.Sequence(lambda n: {"fr": f"Atelier {n}", "en": f"Workshop {n}"})
    description = factory.LazyFunction(lambda: {"fr": "Description"})
    group_size = 12


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        skip_postgeneration_save = True

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"Partner {n}")

    @factory.post_generation
    def contacts(self, create, extracted, **kwargs):
        if create and extracted:
            self.contacts.add(*extracted)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    partner = factory.SubFactory(PartnerFactory)
    city = factory.SelfAttribute("partner.city")
    name = factory.Sequence(lambda n: f"Venue {n}")
    address = "Rue Puits-en-Sock 52, 4020 Liège"
    neighbourhood = "Outremeuse"
    latitude = "50.638700"
    longitude = "5.580800"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 20
    equipment = factory.LazyFunction(lambda: ["kitchen", "tables"])
    accessibility = factory.LazyFunction(lambda: ["step_free"])
    setup_minutes = 15
    cleanup_minutes = 15


class OpeningRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningRule

    room = factory.SubFactory(RoomFactory)
    rrule = "FREQ=WEEKLY;BYDAY=TU,TH"
    opens_at = time(14)
    closes_at = time(21)
    valid_from = date(2020, 1, 1)


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"Item {n}")
    quantity = 3
