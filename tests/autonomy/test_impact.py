"""The impact page counts the sessions leaders scheduled themselves and the staff time
that saves, with the estimate stated step by step."""

from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from interra.agenda.models import Session
from interra.impact.selectors import Period, impact_figures
from tests.factories import SessionFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

MINUTES_PER_SESSION = 20 + 10 + 5  # the page's stated estimate, recounted here


def _held(workshop, day, by):
    start = timezone.make_aware(datetime.combine(day, time(18)))
    return SessionFactory(workshop=workshop, room=None, starts_at=start,
                          ends_at=start + timedelta(hours=2), status=Session.Status.HELD,
                          scheduled_by=by)


def test_sessions_by_leaders_and_minutes_saved_in_the_period(city, coordinator_client):
    workshop = WorkshopFactory(city=city)
    staff = coordinator_client.person
    year = timezone.localdate().year - 1
    for month in (3, 4, 5):
        _held(workshop, datetime(year, month, 10).date(), workshop.leader)
    _held(workshop, datetime(year, 6, 10).date(), staff)
    _held(workshop, datetime(year - 1, 3, 10).date(), workshop.leader)  # another period
    figures = impact_figures(cities=[city], period=Period(datetime(year, 1, 1).date(),
                                                          datetime(year + 1, 1, 1).date()))
    assert figures.sessions_by_leaders == 3
    assert figures.staff_minutes_saved == 3 * MINUTES_PER_SESSION
    assert figures.autonomy_share == 75.0

    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = coordinator_client.get("/impact/", {"city": city.slug, "start": f"{year}-01-01",
                                                   "end": f"{year + 1}-01-01"})
    assert response.status_code == 200
    body = response.content.decode()
    assert '<tr data-figure="sessions_by_leaders"><th scope="row">' in body
    assert f"<td>{3 * MINUTES_PER_SESSION}</td>" in body
    note = body[body.index('id="minutes-note"'):]
    note = note[:note.index("</p>")]
    for step in ("finding a slot and a room that fit, 20 min",
                 "asking the partner for the room, 10 min",
                 "telling the leader the date and place, 5 min"):
        assert step in note
    export = coordinator_client.get("/impact/export.csv", {
        "city": city.slug, "start": f"{year}-01-01", "end": f"{year + 1}-01-01"})
    assert f";{3 * MINUTES_PER_SESSION}" in export.content.decode("utf-8-sig")
