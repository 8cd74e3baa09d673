"""iCalendar (.ics) files: one session for "add to my calendar", feeds for many."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from interra.core.i18n import localized

from .models import Session


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Interra//Agenda//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(session: Session) -> Event:
    event = Event()
    event.add("uid", f"session-{session.pk}@interra")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", localized(session.workshop.title))
    event.add("description", localized(session.workshop.description)[:1000])
    event.add("url", settings.SITE_URL + session.get_absolute_url())
    if session.room_id:
        venue = session.room.venue
        event.add("location", f"{venue.name}, {venue.address}")
        if venue.latitude is not None and venue.longitude is not None:
            # GEO is "lat;lon" with dots (RFC 5545), never the page's number format.
            event.add("geo", (float(venue.latitude), float(venue.longitude)))
    event.add("status", "CANCELLED" if session.status == Session.Status.CANCELLED
              else "CONFIRMED")
    return event


def calendar_bytes(name: str, sessions) -> bytes:
    calendar = _calendar(name)
    for session in sessions:
        calendar.add_component(_event(session))
    return calendar.to_ical()
