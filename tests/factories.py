"""Factories shared by every app's tests. Apps add theirs in tests/<app>/factories.py."""

import factory
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from interra.accounts.models import Channel, Group, User
from interra.cities.models import City, Membership, Role


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
