"""The one set of model factories, for every app's tests.

Helpers that build a whole situation through services stay next to their tests
(tests/proposals/factories.py ``submit``, tests/planning/factories.py ``room_open``...).
"""

from datetime import date, time, timedelta

import factory
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from interra.accounts.models import Channel, Group, User
from interra.agenda.models import Registration, Session
from interra.cities.models import City, Membership, Role
from interra.proposals.models import Workshop
from interra.venues.models import Material, OpeningRule, Partner, Room, Venue


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    display_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    phone = None
    preferred_language = "fr"
    spoken_languages = factory.LazyFunction(lambda: ["fr"])
    group = Group.UNDISCLOSED
    preferred_channel = Channel.EMAIL
    password = factory.django.Password("correct-horse-battery")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    neighbourhoods = factory.LazyFunction(lambda: ["Centre", "Outremeuse"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(UserFactory)
    city = factory.SubFactory(CityFactory)
    role = Role.PARTICIPANT


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    city = factory.SubFactory(CityFactory)
    leader = factory.SubFactory(UserFactory)
    theme = "cooking"
    title = factory.Sequence(
        lambda n: {"fr": f"Atelier {n}", "en": f"Workshop {n}", "uk": f"Майстерня {n}"})
    description = factory.LazyFunction(lambda: {"fr": "On cuisine ensemble."})
    languages = factory.LazyFunction(lambda: ["fr", "ar"])
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
    neighbourhood = "Centre"
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


BACKUP_CODE = "12345678"


def give_second_factor(person, codes=5):
    """A confirmed backup-code device with ``codes`` copies of BACKUP_CODE (each works
    once), as an enrolment through an invitation would leave."""
    device = StaticDevice.objects.filter(user=person, name="backup").first() or (
        StaticDevice.objects.create(user=person, name="backup", confirmed=True))
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=BACKUP_CODE) for _ in range(codes)]
    )
    return device


def member(city, role, **person_fields):
    """A person with ``role`` in ``city``; staff (coordinator, volunteer) also get a
    password and a second factor, so tests.conftest.sign_in_staff works for them."""
    person = UserFactory(**person_fields)
    Membership.objects.create(person=person, city=city, role=role)
    if role in (Role.COORDINATOR, Role.VOLUNTEER):
        give_second_factor(person)
    return person


def coordinator(city, **person_fields):
    """A coordinator with a password and a backup code as second factor."""
    return member(city, Role.COORDINATOR, **person_fields)
