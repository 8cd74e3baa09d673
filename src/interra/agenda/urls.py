from django.urls import path

from . import desk_views, views

app_name = "agenda"
urlpatterns = [
    path("", views.agenda_list, name="list"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/register/", views.session_register, name="register"),
    path("<int:pk>/registered/", views.registration_sent, name="registration_sent"),
    path("my-link/", views.registration_link_again, name="link_again"),
    path("<int:pk>/calendar.ics", views.session_ics, name="session_ics"),
    path("<int:pk>/poster.pdf", views.session_poster, name="poster"),
    path("feeds/leader/<int:leader_id>.ics", views.feed_leader, name="feed_leader"),
    path("feeds/<slug:city_slug>.ics", views.feed_city, name="feed_city"),
    path("feeds/<slug:city_slug>/<slug:theme>.ics", views.feed_city, name="feed_theme"),
    path("programme/<slug:city_slug>/<int:year>-<int:month>.pdf", views.city_programme,
         name="programme"),
    path("r/<str:token>/", views.registration_manage, name="registration"),
    path("r/<str:token>/feedback/", views.registration_feedback, name="feedback"),
    path("my-quotes/<int:pk>/withdraw/", views.feedback_quote_withdraw,
         name="feedback_quote_withdraw"),
    path("lead/", views.leader_home, name="leader_home"),
    path("lead/<int:pk>/", views.leader_session, name="leader_session"),
    path("staff/", views.staff_sessions, name="staff_sessions"),
    path("staff/new/", views.staff_session_create, name="staff_session_create"),
    path("staff/<int:pk>/", views.staff_session, name="staff_session"),
    path("staff/desk/", desk_views.desk_home, name="desk"),
    path("staff/<int:pk>/desk/", desk_views.desk_session, name="desk_session"),
]
