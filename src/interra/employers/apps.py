from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "interra.employers"
    label = "employers"
    verbose_name = _("Employers and job-support partners")

    def ready(self):
        from interra.core import navigation, personal_data
        from interra.credentials import sections
        from interra.impact import extra

        from . import impact, services

        navigation.add(_("Find leaders"), "employers:search", "people", {"employer"},
                       order=30)
        navigation.add(_("My organisation"), "employers:home", "home", {"employer"},
                       order=31)
        # Coordinators reach the employers from the Team page: the staff menu is full.
        navigation.add_landing("employer", "employers:home", rank=60)
        # The leader says whether employers may find them, and reads their requests,
        # on their portfolio page.
        sections.add_portfolio_section("employers/_portfolio_section.html", order=10)
        personal_data.register("employers", export=services.personal_data_export,
                               erase=services.personal_data_erase)
        extra.add_figure_provider(impact.outcome_figures)
