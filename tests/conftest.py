import pytest
from django.core import mail

from interra.notifications import sms

from .factories import BACKUP_CODE, CityFactory, coordinator


@pytest.fixture(autouse=True)
def _run_on_commit_callbacks(request):
    """Messages go out on commit; inside a test's wrapping transaction, send them at once.

    Tests with a real commit (transaction=True, live servers) need nothing. A test that
    asks for ``django_capture_on_commit_callbacks`` sees messages only when the transaction
    commits, as in production: what its ``with`` block captured and was not rolled back
    (tests/notifications/test_rollback.py proves a rolled-back service sends nothing).
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        "transactional_db" in request.fixturenames
    )
    if (transactional or "django_capture_on_commit_callbacks" in request.fixturenames
            or (marker is None and "db" not in request.fixturenames)):
        yield
        return
    from django.db import connection

    request.getfixturevalue("db")
    original = connection.on_commit
    connection.on_commit = lambda func, robust=False: func()
    yield
    connection.on_commit = original


@pytest.fixture(autouse=True)
def _clean_outboxes(settings):
    sms.outbox.clear()
    mail.outbox = []
    from django.core.cache import cache

    cache.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def city(db):
    return CityFactory(name="Liège", slug="liege")


@pytest.fixture
def other_city(db):
    return CityFactory(name="Namur", slug="namur")


def sign_in_staff(client, person, password="correct-horse-battery", token=BACKUP_CODE):
    """Password and second factor, exactly as a coordinator or a volunteer does."""
    response = client.post("/accounts/staff/sign-in/",
                           {"identifier": person.email or person.phone, "password": password,
                            "token": token, "next": "/"})
    assert response.status_code == 302, response.content
    return client


def force_staff_login(client, person):
    """A staff session (password + verified second factor) without the sign-in page, for
    tests that are about something else. Gives ``person`` a device if they have none."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from interra.accounts.decorators import PASSWORD_SESSION_KEY

    from .factories import give_second_factor

    device = StaticDevice.objects.filter(user=person, confirmed=True).first() or (
        give_second_factor(person))
    client.force_login(person, backend="interra.accounts.backends.EmailOrPhoneBackend")
    session = client.session
    session[PASSWORD_SESSION_KEY] = True
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def coordinator_client(client, city):
    person = coordinator(city)
    sign_in_staff(client, person)
    client.person = person
    return client
