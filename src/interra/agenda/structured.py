"""schema.org Event data for a session page (search engines, link previews)."""

import json

from interra.core.i18n import localized

from .models import Session
from .seats import SeatAvailability


def offer_availability(seats: SeatAvailability, *, past: bool = False) -> str:
    """schema.org availability that matches what the page says: limited when some groups
    have no seat left (their seats are held for the other group)."""
    if past:
        return "https://schema.org/Discontinued"
    if not seats.someone_can_register:
        return "https://schema.org/SoldOut"
    if not seats.everyone_can_register:
        return "https://schema.org/LimitedAvailability"
    return "https://schema.org/InStock"


def event_json_ld(session: Session, *, url: str, seats: SeatAvailability,
                  past: bool = False) -> str:
    seats_left = seats.seats_left
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": localized(session.workshop.title),
        "description": localized(session.workshop.description)[:500],
        "startDate": session.starts_at.isoformat(),
        "endDate": session.ends_at.isoformat(),
        "eventStatus": ("https://schema.org/EventCancelled"
                        if session.status == Session.Status.CANCELLED
                        else "https://schema.org/EventScheduled"),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": url,
        "isAccessibleForFree": True,
        "organizer": {"@type": "Organization", "name": "Interra"},
        "performer": {"@type": "Person", "name": session.workshop.leader.first_name},
        "maximumAttendeeCapacity": session.capacity,
        "remainingAttendeeCapacity": seats_left,
        "offers": {"@type": "Offer", "price": "0", "priceCurrency": "EUR", "url": url,
                   "availability": offer_availability(seats, past=past)},
    }
    if session.room_id:
        venue = session.room.venue
        data["location"] = {"@type": "Place", "name": venue.name,
                             **_geo(venue),
                            "address": {"@type": "PostalAddress",
                                        "streetAddress": venue.address,
                                        "addressLocality": session.city.name,
                                        "addressCountry": "BE"}}
    if past:
        data.pop("remainingAttendeeCapacity")
    # Escape "<" so that a title can never close the script element.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")



def _geo(venue) -> dict:
    """Coordinates as JSON numbers (a dot, whatever the page's language)."""
    if venue.latitude is None or venue.longitude is None:
        return {}
    return {"geo": {"@type": "GeoCoordinates", "latitude": float(venue.latitude),
                    "longitude": float(venue.longitude)}}
