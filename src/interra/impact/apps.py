from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "interra.impact"
    label = "impact"
    verbose_name = _("Impact")

    def ready(self):
        from interra.core import navigation

        navigation.add(_("Impact"), "impact:dashboard", "chart",
                       {"coordinator", "network_admin"}, order=80)
