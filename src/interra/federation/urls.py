from django.urls import path

from . import views

app_name = "federation"
urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="webfinger"),
    path(".well-known/nodeinfo", views.nodeinfo_links, name="nodeinfo_links"),
    path("nodeinfo/2.1", views.nodeinfo, name="nodeinfo"),
    path("federation/<slug:city_slug>", views.actor, name="actor"),
    path("federation/<slug:city_slug>/inbox", views.inbox, name="inbox"),
    path("federation/<slug:city_slug>/outbox", views.outbox, name="outbox"),
    path("federation/<slug:city_slug>/followers", views.followers, name="followers"),
    path("federation/<slug:city_slug>/events/<int:session_id>", views.event, name="event"),
]
