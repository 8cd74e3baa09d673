import pytest
from django.core import mail

from interra.notifications import sms

from .factories import BACKUP_CODE, CityFactory, coordinator


@pytest.fixture(autouse=True)
def _run_on_commit_callbacks(request):
    """Messages go out on commit; in a test's wrapping transaction, run them at once."""
    if "django_db" not in {m.name for m in request.node.iter_markers()} and not (
        {"db", "client", "city", "other_city", "coordinator_client"} & set(request.fixturenames)
    ):
        yield
        return
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        yield
        return
    from django.db import connection

    request.getfixturevalue("db")
    original = connection.on_commit

    def immediate(func, robust=False):
        func()

    connection.on_commit = immediate
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
