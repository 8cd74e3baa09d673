from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _


class PersonLanguageMiddleware:
    """A signed-in person sees their preferred language unless they picked another one
    with the switcher (the language cookie wins: it is the most recent choice)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.preferred_language
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class RejectNullBytesMiddleware:
    """Refuse NUL characters in the address or a JSON body with a clear 400.

    No person types them; PostgreSQL cannot store or compare them in text, so without
    this a crafted query string would reach the database and fail there (a 500). Form
    fields already refuse them through Django's ProhibitNullCharactersValidator.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query.lower() or "\x00" in query:
            return self._refuse(request, _("This address contains a forbidden character."))
        if request.content_type == "application/json":
            try:
                body = request.body
            except RequestDataTooBig:
                # Else Django's bare HTML 400, which a program cannot tell from bad JSON.
                return self._refuse(request, _("This request is too big."), status=413,
                                    code="too_big")
            if b"\\u0000" in body or b"\x00" in body:
                return self._refuse(request, _("This request contains a forbidden character."))
        return self.get_response(request)

    @staticmethod
    def _refuse(request, message, *, status=400, code="invalid"):
        if request.path.startswith("/api/") or request.content_type == "application/json":
            return JsonResponse({"detail": message, "code": code}, status=status)
        return HttpResponseBadRequest(message, status=status)
