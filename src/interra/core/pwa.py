"""Installable web app (PWA): the manifest and a minimal service worker.

People who come back often (leaders, volunteers, participants on a phone) can add
Interra to their Home Screen. The service worker keeps nothing personal: it only keeps a
copy of the static files and of the offline page, and answers with them when the network
is gone. Every page is fetched from the network, and never stored. It also shows web push
notifications (notifications/push.py) and opens their page when tapped; on iOS push
works only from the app added to the Home Screen.
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
SERVICE_WORKER_VERSION = "2"

SERVICE_WORKER = """/* Interra's service worker: offline fallback and push notifications;
   nothing personal kept. */
"use strict";
const CACHE = "interra-static-v%(version)s";
const OFFLINE = "%(offline)s";
const ICON = "%(icon)s";

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

// Web push (notifications/push.py): a title, a short text and the page to open.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {body: event.data ? event.data.text() : ""};
  }
  event.waitUntil(self.registration.showNotification(data.title || "Interra", {
    body: data.body || "", icon: ICON, badge: ICON, data: {url: data.url || "/"},
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  let url = new URL((event.notification.data && event.notification.data.url) || "/",
                    self.location.origin);
  // Only our own pages (a sign-in link included); anything else opens the home page.
  if (url.origin !== self.location.origin) url = new URL("/", self.location.origin);
  event.waitUntil(self.clients.openWindow(url.href));
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
                             "static": settings.STATIC_URL,
                             "icon": static("core/icon-192.png")}
    return HttpResponse(body, content_type="text/javascript")


def offline(request):
    return render(request, "core/offline.html")
