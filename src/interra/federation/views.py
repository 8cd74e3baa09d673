"""The fediverse's doors: WebFinger, NodeInfo, each city's actor, outbox, followers,
events, and the inbox (signed requests only)."""

import json
import logging

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from interra.cities.models import City
from interra.core.ratelimit import ratelimited

from . import documents, keys, remote, selectors, services, signatures

logger = logging.getLogger("interra.federation")
ACTIVITY_TYPES = ("application/activity+json", "application/ld+json")
INBOX_LIMIT_PER_MINUTE = 120


def _json(data: dict, content_type: str = remote.ACTIVITY_JSON, status: int = 200):
    response = JsonResponse(data, content_type=content_type, status=status,
                            json_dumps_params={"ensure_ascii": False})
    patch_vary_headers(response, ["Accept"])
    return response


def _wants_activity(request) -> bool:
    accept = request.headers.get("Accept", "")
    return any(kind in accept for kind in ACTIVITY_TYPES)


def _city(slug: str) -> City:
    city = selectors.city_by_slug(slug)
    if city is None:
        raise Http404
    return city


def _html_instead(url: str):
    """A browser asking for an ActivityPub address gets the page it stands for."""
    response = HttpResponseRedirect(url)
    patch_vary_headers(response, ["Accept"])
    return response


@require_GET
def webfinger(request):
    resource = request.GET.get("resource", "")
    slug = ""
    if resource.startswith("acct:"):
        user, _at, domain = resource[5:].partition("@")
        # Our public host name, or the one the client used (ALLOWED_HOSTS vouches for it).
        if domain.lower() in (documents.host().lower(), request.get_host().lower()):
            slug = user
    elif resource.startswith(settings.SITE_URL + "/"):
        slug = resource.rstrip("/").rsplit("/", 1)[-1]
    city = selectors.city_by_slug(slug) if slug else None
    if city is None or not (resource.startswith("acct:")
                            or resource == documents.actor_url(city)):
        raise Http404
    response = _json(documents.webfinger(city), content_type="application/jrd+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def nodeinfo_links(request):
    response = JsonResponse(documents.nodeinfo_links())
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def nodeinfo(request):
    response = JsonResponse(
        documents.nodeinfo(actors=City.objects.count(),
                           events=selectors.public_events_count()),
        content_type=f'application/json; profile="{documents.NODEINFO_SCHEMA}#"')
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def actor(request, city_slug: str):
    city = _city(city_slug)
    if not _wants_activity(request):
        return _html_instead(documents.agenda_url(city))
    return _json(documents.actor_document(city, public_pem=keys.actor_key(city).public_pem))


@require_GET
def outbox(request, city_slug: str):
    city = _city(city_slug)
    if not _wants_activity(request):
        return _html_instead(documents.agenda_url(city))
    base = documents.absolute(request.path)
    sessions = selectors.outbox_sessions(city)
    total = sessions.count()
    page = request.GET.get("page", "")
    if not page:
        return _json({"@context": documents.AS_CONTEXT, "id": base,
                      "type": "OrderedCollection", "totalItems": total,
                      "first": f"{base}?page=1"})
    if not page.isdigit() or int(page) < 1:
        raise Http404
    number, size = int(page), selectors.OUTBOX_PAGE_SIZE
    items = list(sessions[(number - 1) * size: number * size])
    if number > 1 and not items:
        raise Http404
    document = {
        "@context": documents.EVENT_CONTEXT, "id": f"{base}?page={number}",
        "type": "OrderedCollectionPage", "partOf": base, "totalItems": total,
        "orderedItems": [
            {k: v for k, v in documents.create_activity(session).items() if k != "@context"}
            for session in items],
    }
    if number * size < total:
        document["next"] = f"{base}?page={number + 1}"
    if number > 1:
        document["prev"] = f"{base}?page={number - 1}"
    return _json(document)


@require_GET
def followers(request, city_slug: str):
    """How many follow the city, never who: the list stays private."""
    city = _city(city_slug)
    if not _wants_activity(request):
        return _html_instead(documents.agenda_url(city))
    return _json({"@context": documents.AS_CONTEXT, "id": documents.followers_url(city),
                  "type": "OrderedCollection",
                  "totalItems": selectors.followers_count(city)})


@require_GET
def event(request, city_slug: str, session_id: int):
    city = _city(city_slug)
    session = selectors.public_event(city, session_id)
    if session is None:
        raise Http404
    if not _wants_activity(request):
        return _html_instead(session.absolute_url)
    return _json(documents.event_object(session))


@csrf_exempt  # server-to-server: no cookie is read; every request carries a signature
@require_POST
def inbox(request, city_slug: str):
    """Follow and Undo Follow, from signed requests only (see signatures.py)."""
    city = _city(city_slug)
    if ratelimited(request, "federation-inbox", limit=INBOX_LIMIT_PER_MINUTE, period=60):
        return HttpResponse(status=429)
    if "Signature" not in request.headers:
        return HttpResponse(status=401)
    limit = remote.max_bytes()
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return HttpResponse(status=400)
    if declared > limit:
        return HttpResponse(status=413)
    body = request.read(limit + 1)
    if len(body) > limit:
        return HttpResponse(status=413)
    try:
        activity = json.loads(body)
    except ValueError:
        return HttpResponse(status=400)
    if not isinstance(activity, dict):
        return HttpResponse(status=400)
    try:
        signer = signatures.verify(method=request.method, path=request.get_full_path(),
                                   headers=request.headers, body=body,
                                   fetch=lambda url: services.signed_fetch(city, url))
    except signatures.SignatureError as exc:
        logger.info("Inbox of %s: refused signature: %s", city.slug, exc)
        return HttpResponse(status=401)
    actor_id = signer.get("id")
    if not actor_id or activity.get("actor") != actor_id:
        return HttpResponse(status=401)
    kind = activity.get("type")
    try:
        if kind == "Follow":
            services.follower_add(city=city, actor=signer, follow=activity)
        elif kind == "Undo" and isinstance(activity.get("object"), dict) and (
                activity["object"].get("type") == "Follow"):
            services.follower_remove(city=city, actor_id=actor_id, follow=activity["object"])
    except services.InboxRefusal as exc:
        logger.info("Inbox of %s: refused %s: %s", city.slug, kind, exc)
        return HttpResponse(status=400)
    # Anything else (a like, a reply...) is accepted and ignored: the agenda takes none.
    return HttpResponse(status=202)
