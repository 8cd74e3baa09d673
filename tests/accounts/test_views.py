import json
import re

import pytest
from django.core import mail

from interra.accounts.models import User
from interra.cities.models import Role
from interra.core.models import AuditLogEntry
from tests.conftest import sign_in_staff
from tests.factories import BACKUP_CODE, UserFactory, coordinator


def _link_from_last_email():
    return re.search(r"http://[^\s]+/accounts/link/\?sesame=[^\s]+", mail.outbox[-1].body).group(0)


@pytest.mark.django_db
def test_magic_link_journey(client):
    UserFactory(email="amira@example.org", preferred_language="ar")
    response = client.post("/accounts/sign-in/", {"identifier": "amira@example.org"})
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    link = _link_from_last_email()
    response = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 302
    page = client.get("/accounts/me/")
    assert page.status_code == 200
    assert 'lang="ar"' in page.content.decode(), "a signed-in person sees their language"


@pytest.mark.django_db
def test_unknown_identifier_gets_the_same_answer(client):
    UserFactory(email="known@example.org")
    known = client.post("/accounts/sign-in/", {"identifier": "known@example.org"})
    unknown = client.post("/accounts/sign-in/", {"identifier": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.content.decode().count("<h1>") == unknown.content.decode().count("<h1>")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_tampered_magic_link_is_refused_kindly(client):
    response = client.get("/accounts/link/?sesame=AAAAAAAAAAEM_notvalid")
    assert response.status_code == 403
    assert "/accounts/sign-in/" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_in_is_rate_limited(client):
    for _ in range(10):
        client.post("/accounts/sign-in/", {"identifier": "x@example.org"})
    response = client.post("/accounts/sign-in/", {"identifier": "x@example.org"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


@pytest.mark.django_db
def test_coordinator_needs_password_and_second_factor(client, city):
    person = coordinator(city)
    # A magic link alone does not open the coordinators' pages.
    client.force_login(person, backend="sesame.backends.ModelBackend")
    response = client.get("/staff/people/")
    assert response.status_code == 302 and "/accounts/staff/sign-in/" in response["Location"]
    # Password without the second factor: refused, nobody signed in by it.
    client.logout()
    response = client.post("/accounts/staff/sign-in/", {"identifier": person.email,
                                                        "password": "correct-horse-battery"})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    # A wrong code changes nothing.
    response = client.post("/accounts/staff/sign-in/", {
        "identifier": person.email, "password": "correct-horse-battery", "token": "000000"})
    assert response.status_code == 400
    assert client.get("/staff/people/").status_code == 302
    # django-otp throttles a device after a failure; a person would wait a second.
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.get(user=person).throttle_reset()
    response = client.post("/accounts/staff/sign-in/", {
        "identifier": person.email, "password": "correct-horse-battery",
        "token": BACKUP_CODE})
    assert response.status_code == 302
    assert client.get("/staff/people/").status_code == 200


@pytest.mark.django_db
def test_wrong_password_is_refused(client, city):
    person = coordinator(city)
    response = client.post("/accounts/staff/sign-in/",
                           {"identifier": person.email, "password": "wrong",
                            "token": BACKUP_CODE})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_password_alone_never_enrols_a_device(client, city):
    """The old self-service enrolment page is gone: a staff member without a device
    cannot sign in, and no device gets created for them."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person = UserFactory()
    from interra.cities.models import Membership

    Membership.objects.create(person=person, city=city, role=Role.COORDINATOR)
    response = client.post("/accounts/staff/sign-in/", {
        "identifier": person.email, "password": "correct-horse-battery", "token": "123456"})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/staff/two-factor/").status_code == 404
    assert not TOTPDevice.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_my_data_export_and_erase(client):
    person = UserFactory(email="me@example.org", display_name="Me Myself")
    client.force_login(person, backend="sesame.backends.ModelBackend")
    export = client.get("/accounts/me/data/?format=json")
    assert export["Content-Type"].startswith("application/json")
    assert json.loads(export.content)["person"]["email"] == "me@example.org"
    refused = client.post("/accounts/me/erase/", {})
    assert refused.status_code == 400
    assert User.objects.get(pk=person.pk).email == "me@example.org"
    done = client.post("/accounts/me/erase/", {"confirm": "on"})
    assert done.status_code == 200
    person.refresh_from_db()
    assert person.email is None and not person.is_active


@pytest.mark.django_db
def test_profile_update_and_bad_input(client):
    person = UserFactory(email="p@example.org", phone=None)
    client.force_login(person, backend="sesame.backends.ModelBackend")
    response = client.post("/accounts/me/", {
        "display_name": "New Name", "preferred_language": "uk", "spoken_languages": ["uk", "fr"],
        "group": "local", "preferred_channel": "sms",
    })
    assert response.status_code == 200, "SMS without a phone is refused"
    person.refresh_from_db()
    assert person.display_name != "New Name"
    response = client.post("/accounts/me/", {
        "display_name": "New Name", "preferred_language": "uk", "spoken_languages": ["uk", "fr"],
        "group": "local", "preferred_channel": "email",
    })
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.display_name == "New Name" and person.spoken_languages == ["uk", "fr"]


@pytest.mark.django_db
def test_staff_sign_in_audits_nothing_until_personal_data_is_seen(client, city):
    person = coordinator(city)
    sign_in_staff(client, person)
    assert not AuditLogEntry.objects.exists()
    client.get("/staff/people/")
    assert AuditLogEntry.objects.filter(actor=person).count() == 1
