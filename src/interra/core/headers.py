"""Response headers that Django's own middleware does not set: the Permissions-Policy.

The pages use none of the browser's powerful features: no camera or microphone (a photo
is chosen with a plain file input, which needs no permission), no location (the map
shows venues, not the visitor), no payment. The "listen" button uses speech synthesis,
which no policy governs. Only writing to the clipboard ("Copy the link") stays allowed,
for this site alone. Everything else is switched off, also for any frame.
"""

from django.conf import settings


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
