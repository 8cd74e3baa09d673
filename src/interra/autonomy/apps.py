from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutonomyConfig(AppConfig):
    name = "interra.autonomy"
    label = "autonomy"
    verbose_name = _("Leader autonomy")

    def ready(self):
        from interra.core import navigation

        from . import rules  # noqa: F401  (registers the permissions)

        navigation.add(_("Trusted leaders"), "autonomy:trust", "check",
                       {"coordinator", "network_admin"}, order=43)
        # Shown on the leader's own page, only to a trusted leader (see the template).
        navigation.add_leader_section("autonomy/_leader_section.html", order=20)
