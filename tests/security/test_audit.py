"""Finding 8 of issue 10: every look by staff at personal data is audited, the admin site
included; the admin site changes no personal data; search terms are not stored; network
admins read the audit log (and reading it is audited)."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from interra.accounts.models import User
from interra.core.admin_site import EDITABLE_MODELS, PersonalDataAdmin
from interra.core.models import AuditLogEntry
from tests.conftest import sign_in_staff
from tests.factories import (
    BACKUP_CODE,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    coordinator,
)

pytestmark = pytest.mark.django_db


def _network_admin(**fields) -> User:
    person = UserFactory(is_staff=True, is_superuser=True, is_network_admin=True, **fields)
    device = StaticDevice.objects.create(user=person, name="backup", confirmed=True)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=BACKUP_CODE)
                                     for _ in range(10)])
    return person


def _entries(**filters):
    return AuditLogEntry.objects.filter(**filters)


@pytest.fixture
def people(city):
    session = SessionFactory(workshop__city=city)
    return [RegistrationFactory(session=session,
                                person__display_name=f"Personne Secrète{n}",
                                person__phone=f"+3247066{n:04d}").person for n in range(5)]


def test_admin_lists_show_no_contacts_and_every_look_is_audited(client, people):
    boss = _network_admin()
    sign_in_staff(client, boss)
    page = client.get("/admin/accounts/user/")
    assert page.status_code == 200
    html = page.content.decode()
    assert not [p for p in people if p.phone in html or p.email in html]
    assert _entries(actor=boss, subject="admin:accounts.user:list").count() == 1
    # One person's page: shown read-only, and audited.
    target = people[0]
    detail = client.get(f"/admin/accounts/user/{target.pk}/change/")
    assert detail.status_code == 200
    assert _entries(actor=boss, subject=f"admin:accounts.user:{target.pk}").count() == 1


def test_admin_search_is_audited_without_the_name_typed(client, people):
    boss = _network_admin()
    sign_in_staff(client, boss)
    assert client.get("/admin/accounts/user/", {"q": "Secrète3"}).status_code == 200
    entry = _entries(actor=boss, subject="admin:accounts.user:list").get()
    assert entry.detail == "search=yes"
    assert not AuditLogEntry.objects.filter(detail__icontains="Secr").exists()


def test_admin_changes_nothing_of_people(client, people):
    """Changes go through the services (they lock, notify and audit), not the admin."""
    boss = _network_admin()
    sign_in_staff(client, boss)
    target = people[0]
    response = client.post(f"/admin/accounts/user/{target.pk}/change/",
                           {"display_name": "Changed", "email": "x@evil.example"})
    assert response.status_code == 403
    assert client.get("/admin/accounts/user/add/").status_code == 403
    assert client.post(f"/admin/accounts/user/{target.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    registration = target.registrations.get()
    assert client.post(f"/admin/agenda/registration/{registration.pk}/change/",
                       {}).status_code in (403, 404)
    target.refresh_from_db()
    assert target.display_name.startswith("Personne") and target.email != "x@evil.example"


def test_admin_never_shows_an_authenticator_secret(client, city):
    """Found by the matrix (tests/security/test_matrix.py): django-otp's device admin
    showed any staff member's TOTP key and QR code, enough to make their codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    sign_in_staff(client, _network_admin())
    device = TOTPDevice.objects.create(user=coordinator(city), name="phone", confirmed=True)
    for page in ("config", "qrcode"):
        response = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/{page}/")
        assert response.status_code == 403
        assert device.key.encode() not in response.content


def test_every_admin_page_is_read_only_and_audited_unless_it_names_nobody(client, people):
    """The same class of hole everywhere: each registered model, third-party ones too."""
    for model, model_admin in admin.site._registry.items():
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        if label not in EDITABLE_MODELS:
            assert isinstance(model_admin, PersonalDataAdmin), label
    boss = _network_admin()
    sign_in_staff(client, boss)
    for model in list(admin.site._registry):
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        before = AuditLogEntry.objects.count()
        response = client.get(url)
        assert response.status_code == 200, label
        if label not in EDITABLE_MODELS:
            assert AuditLogEntry.objects.count() == before + 1, label
            obj = model.objects.first()
            if obj is not None:
                change = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}"
                                 "_change", args=[obj.pk])
                assert client.get(change).status_code == 200, label
                assert AuditLogEntry.objects.count() == before + 2, label


def test_a_coordinator_reading_a_session_on_the_leaders_page_is_audited(client, city):
    session = SessionFactory(workshop__city=city)
    RegistrationFactory(session=session)
    boss = coordinator(city)
    sign_in_staff(client, boss)
    assert client.get(f"/agenda/lead/{session.pk}/").status_code == 200
    assert _entries(actor=boss, subject=f"agenda.session:{session.pk}:attendance").exists()
    # The leader reading their own list is not a staff access.
    leader = Client()
    leader.force_login(session.workshop.leader)
    assert leader.get(f"/agenda/lead/{session.pk}/").status_code == 200
    assert not _entries(actor=session.workshop.leader).exists()


def test_staff_people_search_stores_that_a_search_happened_not_the_name(client, city, people):
    boss = coordinator(city)
    sign_in_staff(client, boss)
    assert client.get("/staff/people/", {"q": "Secrète2"}).status_code == 200
    assert not AuditLogEntry.objects.filter(detail__icontains="Secr").exists()
    assert AuditLogEntry.objects.filter(actor=boss, detail__contains="search=yes").exists()


def test_network_admin_reads_the_audit_log_filtered_and_that_is_audited(client, city):
    boss = coordinator(city)
    other = coordinator(city)
    AuditLogEntry.objects.create(actor=boss, action="view", subject="accounts.user:1")
    old = AuditLogEntry.objects.create(actor=other, action="view", subject="accounts.user:2")
    AuditLogEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))

    assert sign_in_staff(Client(), boss).get("/staff/audit/").status_code == 403
    admin_person = _network_admin()
    sign_in_staff(client, admin_person)
    page = client.get("/staff/audit/", {"actor": boss.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "accounts.user:1" in html and "accounts.user:2" not in html
    recent = client.get("/staff/audit/", {
        "date_from": (timezone.localdate() - timedelta(days=7)).isoformat()})
    assert "accounts.user:2" not in recent.content.decode()
    assert "accounts.user:1" in recent.content.decode()
    assert _entries(actor=admin_person, subject="core.auditlogentry:list").count() == 2
    for extreme in ("0001-01-01", "9999-12-31"):
        assert client.get("/staff/audit/", {"date_to": extreme}).status_code == 200
