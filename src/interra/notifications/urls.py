from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("failed/", views.failed_messages, name="failed"),
    path("failed/<int:pk>/resend/", views.resend_message, name="resend"),
    path("push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("push/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
    path("sms/status/", views.sms_status, name="sms_status"),
]
