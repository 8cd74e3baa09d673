import pytest

from interra.cities.models import Role
from interra.core.models import AuditLogEntry
from tests.conftest import sign_in_staff
from tests.factories import coordinator, member


@pytest.mark.django_db
def test_coordinator_cannot_read_another_citys_people(client, city, other_city):
    liege_coordinator = coordinator(city)
    namur_coordinator = coordinator(other_city)
    liege_person = member(city, Role.PARTICIPANT, display_name="Amira Liège")
    namur_person = member(other_city, Role.PARTICIPANT, display_name="Olena Namur")

    sign_in_staff(client, namur_coordinator)
    listing = client.get("/staff/people/").content.decode()
    assert "Olena Namur" in listing
    assert "Amira Liège" not in listing
    assert client.get(f"/staff/people/{liege_person.pk}/").status_code == 404
    assert client.get(f"/staff/people/{namur_person.pk}/").status_code == 200
    assert client.get("/staff/people/?city=liege").status_code == 404
    # Each access to personal data is in the audit log.
    subjects = list(AuditLogEntry.objects.filter(actor=namur_coordinator)
                    .values_list("subject", flat=True))
    assert f"accounts.user:{namur_person.pk}" in subjects
    assert f"accounts.user:{liege_person.pk}" not in subjects
    assert liege_coordinator.has_perm("accounts.view_person", liege_person)
    assert not namur_coordinator.has_perm("accounts.view_person", liege_person)
    assert not namur_coordinator.has_perm("cities.coordinate_city", city)
    assert namur_coordinator.has_perm("cities.coordinate_city", other_city)


@pytest.mark.django_db
def test_network_admin_sees_every_city(city, other_city):
    from tests.factories import UserFactory

    admin = UserFactory(is_network_admin=True)
    person = member(city, Role.PARTICIPANT)
    assert admin.has_perm("accounts.view_person", person)
    assert admin.has_perm("cities.coordinate_city", other_city)


@pytest.mark.django_db
def test_volunteer_and_participant_cannot_list_people(client, city):
    volunteer = member(city, Role.VOLUNTEER)
    client.force_login(volunteer, backend="sesame.backends.ModelBackend")
    assert client.get("/staff/people/").status_code == 403
    # A volunteer's magic link alone does not open the staff pages any more (issue 10).
    response = client.get("/staff/")
    assert response.status_code == 302 and "/accounts/staff/sign-in/" in response["Location"]
    sign_in_staff(client, volunteer)
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/people/").status_code == 403
    participant = member(city, Role.PARTICIPANT)
    client.force_login(participant, backend="sesame.backends.ModelBackend")
    assert client.get("/staff/").status_code == 403


@pytest.mark.django_db
def test_people_list_query_count_is_constant(client, city, django_assert_max_num_queries):
    boss = coordinator(city)
    sign_in_staff(client, boss)
    for _ in range(30):
        member(city, Role.PARTICIPANT)
    with django_assert_max_num_queries(14):
        assert client.get("/staff/people/").status_code == 200
