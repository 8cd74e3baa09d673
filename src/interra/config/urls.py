from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from django_otp.admin import OTPAdminSite

from interra.accounts.views import admin_login
from interra.core.language import set_language

from .api import api
from .media import media

# The admin site asks for the second factor like every staff page.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    # The public agenda first: its list and session pages are most of the traffic, and
    # every URL is matched against the patterns above it (nothing else is under agenda/).
    path("agenda/", include("interra.agenda.urls")),
    path("", include("interra.core.urls")),
    path("accounts/", include("interra.accounts.urls")),
    path("staff/", include("interra.cities.urls")),
    path("proposals/", include("interra.proposals.urls")),
    path("venues/", include("interra.venues.urls")),
    path("impact/", include("interra.impact.urls")),
    path("notifications/", include("interra.notifications.urls")),
    path("planning/", include("interra.planning.urls")),
    path("credentials/", include("interra.credentials.urls")),
    path("autonomy/", include("interra.autonomy.urls")),
    # /.well-known/webfinger, /.well-known/nodeinfo, /nodeinfo/2.1 and /federation/<city>
    path("", include("interra.federation.urls")),
    path("employers/", include("interra.employers.urls")),
    path("api/v1/", api.urls),
    # Django's set_language, checked by the request's origin rather than a token (see there).
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # The admin site signs in through the staff sign-in (password + second factor).
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]
if settings.SERVE_MEDIA:
    # Uploaded photos, in every profile (a proxy rule for /media/ takes over when present).
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", media,
                            name="media")]

handler404 = "interra.core.views.error_404"
handler403 = "interra.core.views.error_403"
handler500 = "interra.core.views.error_500"
