from django.urls import path

from . import views

app_name = "employers"
urlpatterns = [
    # Organisations
    path("", views.home, name="home"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("search/", views.search, name="search"),
    path("leaders/<uuid:listing_id>/", views.leader, name="leader"),
    path("sent/<uuid:request_id>/", views.sent, name="sent"),
    # Leaders
    path("findable/", views.findable, name="findable"),
    path("requests/", views.requests, name="requests"),
    path("requests/<uuid:request_id>/", views.answer, name="request"),
    # Coordinators
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/<int:pk>/", views.staff_employer, name="staff_employer"),
]
