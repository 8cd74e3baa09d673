import pytest
from django.core import mail

from interra.notifications import sms

from .factories import BACKUP_CODE, CityFactory, coordinator


@pytest.fixture(autouse=True)
def _run_on_commit_callbacks(request):
    """Messages go out on commit; inside a test's wrapping transaction, send them at once.

    Tests with a real commit (transaction=True, live servers) need nothing.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        "transactional_db" in request.fixturenames
    )
    if transactional or (marker is None and "db" not in request.fixturenames):
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


def sign_in_staff(client, person, password="correct-horse-battery"):
    """Password then second factor, exactly as a coordinator does."""
    response = client.post("/accounts/staff/sign-in/",
                           {"identifier": person.email, "password": password})
    assert response.status_code == 302, response.content
    response = client.post("/accounts/staff/verify/", {"token": BACKUP_CODE, "next": "/"})
    assert response.status_code == 302, response.content
    return client


@pytest.fixture
def coordinator_client(client, city):
    person = coordinator(city)
    sign_in_staff(client, person)
    client.person = person
    return client
