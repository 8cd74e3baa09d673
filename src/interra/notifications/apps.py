from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "interra.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    # Queued at each tick of core's run_scheduler.
    periodic_tasks = ["interra.notifications.tasks.retry_due_messages",
                      "interra.notifications.tasks.purge_old_messages"]

    def ready(self):
        from interra.core import personal_data

        from . import services

        personal_data.register("messages", export=services.personal_data_export,
                               erase=services.personal_data_erase)
        personal_data.register("push_devices", export=services.push_personal_data_export,
                               erase=services.push_personal_data_erase)
        personal_data.register_space_section("notifications/_push_section.html", order=80)
