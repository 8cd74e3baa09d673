"""The JSON API fuzzed from its own OpenAPI document (schemathesis), in process.

Every operation listed at /api/v1/openapi.json is called with data generated from its
schema (valid and invalid), through the WSGI application (no live server), anonymously,
as a signed-in participant and as a coordinator signed in with the second factor. Each
answer must not be a server error, must have a status code the document declares for the
operation, and a body that matches the declared schema for that code.
"""

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from interra.cities.models import Role
from tests.conftest import force_staff_login
from tests.factories import RoomFactory, SessionFactory, coordinator, member

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/v1/openapi.json"
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
APP = get_wsgi_application()


def _operations() -> list[tuple[str, str]]:
    from interra.config.api import api

    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    return [(method.upper(), path) for path, methods in paths.items() for method in methods]


OPERATIONS = _operations()


@contextmanager
def _test_connection_kept():
    """The WSGI handler closes the database connection around each request, which would
    end the test's transaction; Django's test client detaches it the same way (and
    attaches it again after each of its own requests, hence a context, not a fixture)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(city):
    """The served document, read through the application itself."""
    with _test_connection_kept():
        schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, APP)
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
    return schema


@pytest.fixture
def data(city):
    """Rows for generated ids to land on now and then (small primary keys)."""
    sessions = [SessionFactory(workshop__city=city, capacity=5) for _ in range(3)]
    RoomFactory(venue__city=city)
    return sessions


def _cookies(role: str, city) -> dict[str, str]:
    if role == "anonymous":
        return {}
    client = Client()
    if role == "participant":
        client.force_login(member(city, Role.PARTICIPANT, phone="+32470111222"))
    else:
        force_staff_login(client, coordinator(city))
    client.get("/accounts/profile/")  # a CSRF cookie too
    return {name: morsel.value for name, morsel in client.cookies.items()}


def test_the_operations_are_all_found():
    assert ("POST", "/api/v1/sessions/{session_id}/registrations") in OPERATIONS
    assert ("POST", "/api/v1/venues/bookings") in OPERATIONS


@pytest.mark.parametrize("role", ["anonymous", "participant", "coordinator"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_operation_answers_as_its_document_says(api_schema, data, city, role, method,
                                                      path):
    operation = api_schema[path][method]
    cookies = _cookies(role, city)
    headers = {"X-CSRFToken": cookies["csrftoken"]} if "csrftoken" in cookies else {}

    @hypothesis_settings(max_examples=25, derandomize=True, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def call(case):
        cache.clear()  # rate limits and message caps are tested elsewhere
        response = case.call(headers=headers, cookies=cookies)
        statuses.add(response.status_code)
        case.validate_response(response, checks=CHECKS)

    statuses = set()
    with _test_connection_kept():
        call()
    if path.startswith("/api/v1/venues/"):
        # Only a strongly signed-in coordinator gets past the door; they do.
        if role == "coordinator":
            assert statuses - {401, 403}, statuses
        else:  # refused (401/403, or 400 for a body no one could send), never done
            assert statuses <= {400, 401, 403} and statuses & {401, 403}, statuses
