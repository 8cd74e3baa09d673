from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitiesConfig(AppConfig):
    name = "interra.cities"
    label = "cities"
    verbose_name = _("Cities")

    def ready(self):
        from interra.core import navigation

        from .selectors import roles_of

        navigation.add_role_source(roles_of)

        navigation.add(_("Team"), "cities:staff_home", "team",
                       {"coordinator", "volunteer", "network_admin"}, order=60)
        navigation.add(_("People"), "cities:people", "people",
                       {"coordinator", "network_admin"}, order=70)
        navigation.add(_("Audit log"), "cities:audit_log", "list", {"network_admin"}, order=75)
