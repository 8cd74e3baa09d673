"""Installable web app (PWA): the manifest and a minimal service worker.

People who come back often (leaders, volunteers, participants on a phone) can add
Interra to their Home Screen. The service worker keeps nothing personal: it only keeps a
copy of the static files and of the offline page, and answers with them when the network
is gone. Every page is fetched from the network, and never stored.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from .i18n import is_rtl

THEME_COLOUR = "#b4371f"
BACKGROUND_COLOUR = "#fffdf8"
SERVICE_WORKER_VERSION = "1"

SERVICE_WORKER = """/* Interra's service worker: offline fallback only, nothing personal kept. */
"use strict";
const CACHE = "interra-static-v%(version)s";
const OFFLINE = "%(offline)s";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.add(new Request(OFFLINE,
    {credentials: "omit"}))).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))
  )).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Pages always come from the network (they may be personal); offline, a notice.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
  } else if (url.pathname.startsWith("%(static)s")) {
    // Static files: the network first (never stale), a copy for when it is gone.
    event.respondWith(fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    }).catch(() => caches.match(request)));
  }
});
"""


@cache_control(public=True, max_age=3600)
def manifest(request):
    language = translation.get_language() or settings.LANGUAGE_CODE
    data = {
        "name": "Interra",
        "short_name": "Interra",
        "description": _("Workshops led by newcomers and locals, for a mixed public."),
        "lang": language,
        "dir": "rtl" if is_rtl(language) else "ltr",
        "start_url": "/",
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static("core/icon-192.png"), "sizes": "192x192", "type": "image/png",
             "purpose": "any maskable"},
            {"src": static("core/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any maskable"},
            {"src": static("core/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json",
                        json_dumps_params={"ensure_ascii": False})


@cache_control(no_cache=True)
def service_worker(request):
    body = SERVICE_WORKER % {"version": SERVICE_WORKER_VERSION, "offline": "/offline/",
                             "static": settings.STATIC_URL}
    return HttpResponse(body, content_type="text/javascript")


def offline(request):
    return render(request, "core/offline.html")
