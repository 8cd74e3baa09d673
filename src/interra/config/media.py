"""Uploaded files (people's photos) served by the app itself, for the one-server set-up.

A larger deployment lets the reverse proxy serve /media/ (docs/deployment.md); the
requests then never reach this view. Django's static ``serve`` keeps every path inside
MEDIA_ROOT (no "..", no directory listing); on top of it an uploaded file can never run
as a page of this site: images only are shown inline, anything else is a download, and
the answer carries a Content-Security-Policy that forbids scripts (``sandbox``).
"""

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

INLINE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")


@require_safe
def media(request, path):
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation:  # a path that leaves MEDIA_ROOT: there is nothing
        raise Http404 from None
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    if response.get("Content-Type", "").split(";")[0] not in INLINE_TYPES:
        response["Content-Disposition"] = "attachment"
    response["Cache-Control"] = "private, max-age=3600"
    return response
