from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from django_otp.admin import OTPAdminSite

from .api import api

# The admin site asks for the second factor like every staff page.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", include("interra.core.urls")),
    path("accounts/", include("interra.accounts.urls")),
    path("staff/", include("interra.cities.urls")),
    path("proposals/", include("interra.proposals.urls")),
    path("venues/", include("interra.venues.urls")),
    path("agenda/", include("interra.agenda.urls")),
    path("impact/", include("interra.impact.urls")),
    path("planning/", include("interra.planning.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "interra.core.views.error_404"
handler403 = "interra.core.views.error_403"
handler500 = "interra.core.views.error_500"
