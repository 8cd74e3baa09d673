from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "interra.federation"
    label = "federation"
    verbose_name = _("Fediverse")
    # Queued by core's run_scheduler at each tick: deliveries whose next attempt is due.
    periodic_tasks = ["interra.federation.tasks.retry_due_deliveries",
                      "interra.federation.tasks.purge_old_deliveries"]

    def ready(self):
        from interra.agenda import signals as agenda_signals
        from interra.core import navigation, personal_data

        from . import receivers, services

        agenda_signals.session_public_change.connect(
            receivers.session_public_change, dispatch_uid="federation-session-change")
        navigation.add_city_facts(receivers.city_followers_facts)
        personal_data.register("federation", erase=services.personal_data_erase)
