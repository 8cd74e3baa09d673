from django.urls import path

from . import views

app_name = "cities"
urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("audit/", views.audit_log, name="audit_log"),
    path("cities/new/", views.city_new, name="city_new"),
    path("cities/<slug:city_slug>/settings/", views.city_settings, name="city_settings"),
    path("cities/<slug:city_slug>/checklist/dismiss/", views.checklist_dismiss,
         name="checklist_dismiss"),
]
