from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("failed/", views.failed_messages, name="failed"),
    path("failed/<int:pk>/resend/", views.resend_message, name="resend"),
    path("sms/status/", views.sms_status, name="sms_status"),
]
