"""schema.org Event data for a session page (search engines, link previews)."""

import json

from interra.core.i18n import localized

from .models import Session


def event_json_ld(session: Session, *, url: str, seats_left: int) -> str:
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
                   "availability": ("https://schema.org/InStock" if seats_left
                                    else "https://schema.org/SoldOut")},
    }
    if session.room_id:
        venue = session.room.venue
        data["location"] = {"@type": "Place", "name": venue.name,
                            "address": {"@type": "PostalAddress",
                                        "streetAddress": venue.address,
                                        "addressLocality": session.city.name,
                                        "addressCountry": "BE"}}
    # Escape "<" so that a title can never close the script element.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")

