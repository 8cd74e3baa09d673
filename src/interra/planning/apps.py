from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "interra.planning"
    label = "planning"
    verbose_name = _("Scheduling assistant")

    def ready(self):
        from interra.core import navigation

        navigation.add(_("Planner"), "planning:plans", "calendar",
                       {"coordinator", "network_admin"}, order=34)
