from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutonomyConfig(AppConfig):
    name = "interra.autonomy"
    label = "autonomy"
    verbose_name = _("Leader autonomy")

    def ready(self):
        from interra.core import navigation, personal_data

        from . import (
            rules,  # noqa: F401  (registers the permissions)
            services,
        )

        # No menu item of its own (the coordinators' menu holds on two lines at 1280 px):
        # the planner's page links to the trusted leaders.
        # Shown on the leader's own page, only to a trusted leader (see the template).
        navigation.add_leader_section("autonomy/_leader_section.html", order=20)
        personal_data.register("leader_trust", export=services.personal_data_export,
                               erase=services.personal_data_erase)
