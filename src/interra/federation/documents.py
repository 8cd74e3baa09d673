"""The JSON documents a city's actor publishes: the actor, its Event objects and the
activities that carry them, WebFinger and NodeInfo.

Only what the public agenda already shows goes out, and less: no leader's name, no
registration, no seat count that would go stale. Events follow Mobilizon's vocabulary
(schema.org Place and PostalAddress, ``ical:status``, ``mz:joinMode`` "external" with
the page where people register), which Gancio and Mastodon read too.
"""

import html
import uuid
from importlib import metadata
from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from interra.core.i18n import localized

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
EVENT_CONTEXT = [AS_CONTEXT, SECURITY_CONTEXT, {
    "sc": "http://schema.org#",
    "mz": "https://joinmobilizon.org/ns#",
    "ical": "http://www.w3.org/2002/12/cal/ical#",
    "pt": "https://joinpeertube.org/ns#",
    "toot": "http://joinmastodon.org/ns#",
    "PostalAddress": "sc:PostalAddress",
    "address": {"@id": "sc:address", "@type": "sc:PostalAddress"},
    "streetAddress": "sc:streetAddress",
    "addressLocality": "sc:addressLocality",
    "addressCountry": "sc:addressCountry",
    "category": "sc:category",
    "inLanguage": "sc:inLanguage",
    "maximumAttendeeCapacity": "sc:maximumAttendeeCapacity",
    "timezone": {"@id": "mz:timezone", "@type": "sc:Text"},
    "joinMode": {"@id": "mz:joinMode", "@type": "mz:joinModeType"},
    "externalParticipationUrl": {"@id": "mz:externalParticipationUrl", "@type": "sc:URL"},
    "anonymousParticipationEnabled": {"@id": "mz:anonymousParticipationEnabled",
                                      "@type": "sc:Boolean"},
    "repliesModerationOption": {"@id": "mz:repliesModerationOption",
                                "@type": "mz:repliesModerationOptionType"},
    "commentsEnabled": {"@id": "pt:commentsEnabled", "@type": "sc:Boolean"},
    "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
    "discoverable": "toot:discoverable",
}]

# Workshop themes as Mobilizon's event categories.
CATEGORIES = {
    "cooking": "FOOD_DRINK", "art": "ARTS", "sport": "SPORTS", "music": "MUSIC",
    "dance": "PERFORMING_VISUAL_ARTS", "discussion": "LEARNING", "crafts": "CRAFTS",
    "languages": "LANGUAGE_CULTURE", "nature": "OUTDOORS_ADVENTURE",
    "digital": "SCIENCE_TECH", "wellbeing": "HEALTH", "other": "MEETING",
}


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def host() -> str:
    return urlsplit(settings.SITE_URL).netloc


def actor_url(city) -> str:
    return absolute(reverse("federation:actor", args=[city.slug]))


def key_id(city) -> str:
    return actor_url(city) + "#main-key"


def followers_url(city) -> str:
    return absolute(reverse("federation:followers", args=[city.slug]))


def agenda_url(city) -> str:
    return absolute(reverse("agenda:list")) + f"?city={city.slug}"


def event_url(session) -> str:
    return absolute(reverse("federation:event", args=[session.city.slug, session.pk]))


def _in_each_language(render) -> dict:
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = render()
    return texts


def actor_document(city, *, public_pem: str) -> dict:
    """The city's agenda as a ``Group`` (how Mobilizon shows an organiser of events, and
    an account Mastodon users can follow): name and summary in French, with every
    interface language in ``nameMap``/``summaryMap``."""
    url = actor_url(city)

    def name():
        return _("Interra %(city)s: intercultural workshops") % {"city": city.name}

    def summary():
        return _("Workshops where newcomers and locals meet around cooking, art, sport, "
                 "music, languages… Free, in French that beginners follow. Each new "
                 "session of %(city)s is posted here; register on the agenda.") % {
                     "city": city.name}

    names, summaries = _in_each_language(name), _in_each_language(summary)
    return {
        "@context": EVENT_CONTEXT,
        "id": url,
        "type": "Group",
        "preferredUsername": city.slug,
        "name": names[settings.LANGUAGE_CODE],
        "nameMap": names,
        "summary": html.escape(summaries[settings.LANGUAGE_CODE]),
        "summaryMap": {code: html.escape(text) for code, text in summaries.items()},
        "url": agenda_url(city),
        "inbox": absolute(reverse("federation:inbox", args=[city.slug])),
        "outbox": absolute(reverse("federation:outbox", args=[city.slug])),
        "followers": followers_url(city),
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "published": city_published(city),
        "icon": {"type": "Image", "mediaType": "image/png",
                 "url": absolute(static("core/icon-512.png"))},
        "publicKey": {"id": key_id(city), "owner": url, "publicKeyPem": public_pem},
    }


def city_published(city) -> str:
    created = getattr(city, "created_at", None)
    return _iso(created) if created else "2025-01-01T00:00:00Z"


def _iso(moment) -> str:
    """An ISO 8601 time with the city's offset (Europe/Brussels), never localised."""
    return timezone.localtime(moment).isoformat()


def _html(text: str) -> str:
    paragraphs = [p.strip() for p in (text or "").split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def event_object(session) -> dict:
    """The session as an ActivityStreams ``Event`` (see the module docstring)."""
    workshop, city = session.workshop, session.city
    page = session.absolute_url
    titles = {code: text for code, text in (workshop.title or {}).items() if text}
    descriptions = {code: _html(text) for code, text in (workshop.description or {}).items()
                    if text}
    cancelled = session.status == session.Status.CANCELLED
    languages = [code for code in (workshop.languages or []) if isinstance(code, str)]
    event = {
        "@context": EVENT_CONTEXT,
        "id": event_url(session),
        "type": "Event",
        "url": page,
        "name": localized(workshop.title, settings.LANGUAGE_CODE),
        "nameMap": titles,
        "content": _html(localized(workshop.description, settings.LANGUAGE_CODE)),
        "contentMap": descriptions,
        "mediaType": "text/html",
        "startTime": _iso(session.starts_at),
        "endTime": _iso(session.ends_at),
        "timezone": settings.TIME_ZONE,
        "published": _iso(session.created_at),
        "updated": _iso(session.updated_at),
        "attributedTo": actor_url(city),
        "to": [PUBLIC],
        "cc": [followers_url(city)],
        "inLanguage": languages[0] if languages else settings.LANGUAGE_CODE,
        "category": CATEGORIES.get(workshop.theme, "MEETING"),
        "tag": [{"type": "Hashtag", "name": f"#{workshop.theme}",
                 "href": absolute(reverse("agenda:list")) + f"?theme={workshop.theme}"}],
        "ical:status": "CANCELLED" if cancelled else "CONFIRMED",
        "joinMode": "external",
        "externalParticipationUrl": page,
        "anonymousParticipationEnabled": False,
        "maximumAttendeeCapacity": session.capacity,
        "repliesModerationOption": "closed",
        "commentsEnabled": False,
    }
    if session.room_id:
        venue = session.room.venue
        place = {"type": "Place", "name": venue.name,
                 "address": {"type": "PostalAddress", "streetAddress": venue.address,
                             "addressLocality": city.name, "addressCountry": "BE"}}
        if venue.latitude is not None and venue.longitude is not None:
            # JSON numbers: a dot, whatever the language.
            place["latitude"] = float(venue.latitude)
            place["longitude"] = float(venue.longitude)
        event["location"] = place
    return event


def activity(kind: str, city, obj, *, to=None, cc=None, activity_id: str = "") -> dict:
    """A ``kind`` activity (Create, Update, Accept...) of the city's actor about ``obj``."""
    document = {
        "@context": EVENT_CONTEXT if isinstance(obj, dict) and obj.get("type") == "Event"
        else AS_CONTEXT,
        "id": activity_id or f"{actor_url(city)}#{kind.lower()}-{uuid.uuid4().hex}",
        "type": kind,
        "actor": actor_url(city),
        "object": {k: v for k, v in obj.items() if k != "@context"}
        if isinstance(obj, dict) else obj,
    }
    if to is not None:
        document["to"] = to
    if cc is not None:
        document["cc"] = cc
    if kind in ("Create", "Update"):
        document["published"] = _iso(timezone.now())
    return document


def event_activity(session, kind: str) -> dict:
    """``Create`` (one per session, a stable id: the outbox lists the same one) or
    ``Update`` (a new id each time) of the session's Event, public, cc the followers."""
    event = event_object(session)
    return activity(kind, session.city, event, to=event["to"], cc=event["cc"],
                    activity_id=event["id"] + "#create" if kind == "Create" else "")


def create_activity(session) -> dict:
    return event_activity(session, "Create")


def webfinger(city) -> dict:
    url = actor_url(city)
    return {
        "subject": f"acct:{city.slug}@{host()}",
        "aliases": [url, agenda_url(city)],
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": url},
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html",
             "href": agenda_url(city)},
        ],
    }


NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.1"


def nodeinfo_links() -> dict:
    return {"links": [{"rel": NODEINFO_SCHEMA, "href": absolute(reverse("federation:nodeinfo"))}]}


def nodeinfo(*, actors: int, events: int) -> dict:
    """NodeInfo 2.1. The "users" are the cities' agendas, the only accounts this server
    federates; people who use Interra are not counted here."""
    try:
        version = metadata.version("interra")
    except metadata.PackageNotFoundError:
        version = "0"
    return {
        "version": "2.1",
        "software": {"name": "interra", "version": version,
                     "homepage": settings.SITE_URL},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": False,
        "usage": {"users": {"total": actors, "activeMonth": actors,
                            "activeHalfyear": actors},
                  "localPosts": events},
        "metadata": {"nodeName": "Interra"},
    }
