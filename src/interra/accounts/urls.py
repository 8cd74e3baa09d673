from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("link/", views.MagicLinkView.as_view(), name="magic"),
    path("staff/sign-in/", views.staff_sign_in, name="staff_sign_in"),
    path("staff/enrol/<str:token>/", views.enrol, name="enrol"),
    path("staff/invite/", views.staff_invite, name="staff_invite"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("me/", views.profile, name="profile"),
    path("me/contact/", views.contact_add, name="contact_add"),
    path("contact/<str:token>/", views.contact_confirm, name="contact_confirm"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/erase/", views.erase, name="erase"),
]
