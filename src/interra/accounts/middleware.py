from django.conf import settings

from .staff import staff_session_expired


class StaffSessionMiddleware:
    """Closes a staff session after its idle time or its maximum length (see staff.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only requests that carry a session: anonymous pages stay cacheable.
        if hasattr(request, "session") and settings.SESSION_COOKIE_NAME in request.COOKIES:
            staff_session_expired(request)
        return self.get_response(request)
