from django.urls import path

from . import views

app_name = "autonomy"
urlpatterns = [
    path("trust/", views.trust, name="trust"),
    path("trust/grant/", views.trust_grant, name="grant"),
    path("trust/revoke/", views.trust_revoke, name="revoke"),
    path("workshops/<int:pk>/next/", views.next_session, name="next_session"),
]
