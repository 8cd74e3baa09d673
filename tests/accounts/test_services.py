import pytest
from django.core import mail

from interra.accounts import services
from interra.accounts.models import Channel, User
from interra.core import personal_data
from interra.core.errors import DomainError
from interra.notifications import sms
from tests.factories import UserFactory


@pytest.mark.django_db
class TestPersonFindOrCreate:
    def test_phone_only_person_is_first_class(self):
        person, created = services.person_find_or_create(
            display_name="Amira", phone="0470 12 34 56", language="ar")
        assert created
        assert person.phone == "+32470123456"
        assert person.email is None
        assert person.contact_channel == Channel.SMS

    def test_same_phone_typed_differently_is_the_same_person(self):
        first, _ = services.person_find_or_create(display_name="A", phone="0470123456")
        again, created = services.person_find_or_create(display_name="B", phone="+32 470 12 34 56")
        assert not created and again.pk == first.pk
        assert again.display_name == "A"

    def test_email_is_case_insensitive_on_the_domain(self):
        first, _ = services.person_find_or_create(display_name="A", email="a@Example.ORG")
        again, created = services.person_find_or_create(display_name="A", email="a@example.org")
        assert not created and again.pk == first.pk

    def test_needs_a_contact(self):
        with pytest.raises(DomainError):
            services.person_find_or_create(display_name="Nobody")
        assert not User.objects.exists()

    def test_bad_phone_is_refused_with_a_message(self):
        with pytest.raises(DomainError) as info:
            services.person_find_or_create(display_name="X", phone="abc")
        assert info.value.message
        assert not User.objects.exists()

    def test_email_and_phone_of_two_different_people_is_refused(self):
        services.person_find_or_create(display_name="A", email="a@example.org")
        services.person_find_or_create(display_name="B", phone="0470000001")
        with pytest.raises(DomainError):
            services.person_find_or_create(display_name="C", email="a@example.org",
                                           phone="0470000001")

    def test_an_anonymous_caller_never_adds_a_contact(self):
        """Issue 10: this used to attach the phone with no proof (account takeover)."""
        person, _ = services.person_find_or_create(display_name="A", email="a@example.org")
        services.person_find_or_create(display_name="A", email="a@example.org", phone="0470000002")
        person.refresh_from_db()
        assert person.phone is None


@pytest.mark.django_db
def test_sign_in_link_goes_by_sms_to_a_phone_only_person():
    person = UserFactory(email=None, phone="+32470555555", preferred_channel=Channel.SMS)
    assert services.sign_in_link_send(identifier="0470 55 55 55")
    assert len(sms.outbox) == 1 and sms.outbox[0].to == person.phone
    assert "/accounts/link/?sesame=" in sms.outbox[0].body
    assert mail.outbox == []


@pytest.mark.django_db
def test_sign_in_link_for_unknown_person_sends_nothing():
    assert not services.sign_in_link_send(identifier="ghost@example.org")
    assert mail.outbox == [] and sms.outbox == []


@pytest.mark.django_db
def test_export_contains_everything_and_erase_keeps_the_row_without_identity(city):
    person = UserFactory(display_name="Olena K", email="olena@example.org", phone="+32470999999",
                         spoken_languages=["uk", "fr"], group="newcomer")
    calls = []
    personal_data.register("test_section", export=lambda p: {"n": 1},
                           erase=lambda p: calls.append(p.pk))
    try:
        data = services.person_export(person=person)
        assert data["person"]["email"] == "olena@example.org"
        assert data["test_section"] == {"n": 1}
        services.person_erase(person=person)
    finally:
        personal_data._exporters.pop("test_section")
        personal_data._erasers.pop("test_section")
    person.refresh_from_db()
    assert calls == [person.pk]
    assert person.email is None and person.phone is None
    assert "Olena" not in person.display_name
    assert not person.is_active and person.erased_at is not None
    assert not person.has_usable_password()
    assert User.objects.filter(pk=person.pk).exists()


