from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "interra.proposals"
    label = "proposals"
    verbose_name = _("Proposals and workshops")

    def ready(self):
        from interra.core import navigation, personal_data

        from . import services

        navigation.add(_("Propose a workshop"), "proposals:new", "idea", {"public"}, order=20)
        navigation.add(_("My proposals"), "proposals:mine", "list", {"leader"}, order=30)
        navigation.add(_("Proposals"), "proposals:board", "chart",
                       {"coordinator", "network_admin"}, order=40)
        navigation.add_landing("coordinator", "proposals:board", 10)
        navigation.add_landing("network_admin", "proposals:board", 10)
        navigation.add_landing("volunteer", "proposals:tasks", 20)
        navigation.add(_("My tasks"), "proposals:tasks", "check",
                       {"coordinator", "volunteer", "network_admin"}, order=45)
        personal_data.register("proposals", export=services.personal_data_export,
                               erase=services.personal_data_erase)
