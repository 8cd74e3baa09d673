from django.conf import settings
from django.utils import translation


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
