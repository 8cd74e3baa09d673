from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "interra.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from interra.core import personal_data

        from . import services

        personal_data.register("messages", erase=services.personal_data_erase)
