from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("", views.plans, name="plans"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/accept/", views.plan_accept, name="accept"),
]
