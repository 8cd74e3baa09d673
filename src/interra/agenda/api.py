"""Public agenda API for partner websites: read sessions, register people.

Mounted by config/api.py under /api/v1/sessions. It calls the same selectors and services
as the pages, so the seat rules hold here exactly as on the site.
"""

import datetime as dt
from typing import Literal

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from interra.core.api_schemas import INPUT_ERRORS, ErrorOut
from interra.core.i18n import localized
from interra.core.ratelimit import message_quota_exceeded, ratelimited

from . import forms, selectors, services, widget

PREFIX = "/sessions"
router = Router(tags=["agenda"])


class SessionOut(Schema):
    id: int
    title: str
    theme: str
    city: str
    city_name: str = Field(description="The city's name: the network's agenda mixes cities.")
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    leader_first_name: str
    place: str
    neighbourhood: str
    languages: list[str]
    beginner_french_welcome: bool
    capacity: int
    seats_left: int
    waitlist_count: int
    url: str
    seats_for_group: dict[str, int] = Field(
        description="Seats a person of each group (newcomer, local, undisclosed) can take "
                    "now: the same rule as registrations.")
    held_seats: dict[str, int] = Field(
        description="Free seats still held for a group to keep the mix (empty once released).")
    held_until: dt.datetime | None = Field(
        None, description="When held seats open to everyone (null once released).")


class SessionFilters(Schema):
    """The agenda page's filters (``forms.agenda_filters``), plus paging."""

    city: str = ""
    date: dt.date | None = None
    theme: str = ""
    language: str = ""
    neighbourhood: str = ""
    beginner_french: bool = False
    family: bool = False
    accessible: bool = False
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class RegistrationIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    group: Literal["newcomer", "local", "undisclosed"] | None = None
    seats: int = Field(1, ge=1, le=20)
    language: str = Field("", max_length=8)


class RegistrationOut(Schema):
    session_id: int
    status: Literal["confirmed", "waitlisted"]
    seats: int


def _session_out(session) -> dict:
    venue = session.room.venue if session.room_id else None
    seats = services.seat_availability(session)
    return {
        "id": session.pk,
        "title": localized(session.workshop.title),
        "theme": session.workshop.theme,
        "city": session.city.slug,
        "city_name": session.city.name,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "status": session.status,
        "leader_first_name": session.workshop.leader.first_name,
        "place": f"{venue.name}, {venue.address}" if venue else "",
        "neighbourhood": venue.neighbourhood if venue else "",
        "languages": session.workshop.languages or [],
        "beginner_french_welcome": session.workshop.beginner_french_welcome,
        "capacity": session.capacity,
        "seats_left": seats.seats_left,
        "waitlist_count": session.waitlist_count,
        "url": settings.SITE_URL + session.get_absolute_url(),
        "seats_for_group": seats.for_group,
        "held_seats": {group: held for group, held in seats.held_left.items() if held},
        "held_until": seats.release_at,
    }


class WidgetFilters(Schema):
    city: str = Field("", max_length=50)
    theme: str = Field("", max_length=30)
    lang: str = Field("", max_length=35, description="The host page's language (BCP 47); "
                      "the closest of the platform's, else French.")
    limit: int = Field(widget.DEFAULT_LIMIT, ge=1, le=widget.MAX_LIMIT)


class WidgetTexts(Schema):
    heading: str
    register_link: str
    all_sessions: str
    empty: str


class WidgetSession(Schema):
    id: int
    title: str
    theme: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    neighbourhood: str
    seats_left: int
    full: bool
    seats_text: str = Field(description="The seats in words, as on the agenda.")
    url: str = Field(description="The session's page on the platform, where people register.")


class WidgetOut(Schema):
    language: str
    direction: Literal["ltr", "rtl"]
    time_zone: str
    agenda_url: str
    texts: WidgetTexts
    sessions: list[WidgetSession]


@router.get("/widget", response={200: WidgetOut, **INPUT_ERRORS},
            summary="The next sessions for the embeddable widget")
def widget_sessions(request, response: HttpResponse, filters: Query[WidgetFilters]):
    """What ``<interra-agenda>`` shows on partners' websites: the next sessions and every
    word it needs, in the language asked for. Public, readable from any website (CORS),
    without cookies, and cacheable for a minute."""
    data = widget.widget_data(city=filters.city, theme=filters.theme, limit=filters.limit,
                              lang=filters.lang)
    response.headers["Content-Language"] = data["language"]
    response.headers["Cache-Control"] = f"public, max-age={widget.MAX_AGE}"
    return data


@router.get("", response={200: list[SessionOut], **INPUT_ERRORS}, summary="Upcoming sessions")
def list_sessions(request, filters: Query[SessionFilters]):
    # The schema documents the filters; the agenda page's own definition reads them, so
    # the same query string gives the same sessions here and on the page.
    form, agenda_filters = forms.agenda_filters(request.GET)
    if form.errors:  # the page leaves a wrong filter out; a program is told
        raise HttpError(422, "; ".join(f"{name}: {' '.join(errors)}"
                                       for name, errors in form.errors.items()))
    queryset = selectors.upcoming_sessions(agenda_filters)
    return [_session_out(s) for s in queryset[filters.offset:filters.offset + filters.limit]]


@router.get("/{session_id}", response={200: SessionOut, 404: ErrorOut, **INPUT_ERRORS},
            summary="One session")
def get_session(request, session_id: int):
    session = selectors.public_session(session_id)
    if session is None:
        raise Http404
    return _session_out(session)


@router.post("/{session_id}/registrations",
             response={201: RegistrationOut, 403: ErrorOut, 404: ErrorOut, 415: ErrorOut,
                       429: ErrorOut, **INPUT_ERRORS},
             summary="Register a person (confirmed or waitlisted)")
def create_registration(request, session_id: int, payload: RegistrationIn):
    """Answers 201 with ``status`` confirmed or waitlisted, and the details and a private
    link go to the person by message. The answer is the same when this contact was
    already registered (the link then goes again to the contact on file): it never tells
    who is registered. 400 with a message for bad input or a closed session."""
    session = selectors.public_session(session_id)
    if session is None:
        raise Http404
    if ratelimited(request, "api-register", limit=30, period=600) or message_quota_exceeded(
            request, contacts=[payload.email, payload.phone]):
        raise HttpError(429, _("Too many attempts. Wait a few minutes and try again."))
    known = {code for code, _name in settings.LANGUAGES}
    language = payload.language if payload.language in known else (
        translation.get_language() or settings.LANGUAGE_CODE)
    email, phone = services.contact_clean(email=payload.email, phone=payload.phone)
    status = services.registration_request(
        session=session, name=payload.name, email=email, phone=phone, language=language,
        group=payload.group, seats=payload.seats, requester=request.user)
    return Status(201, {"session_id": session.pk, "status": status, "seats": payload.seats})
