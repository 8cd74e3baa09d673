from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "interra.credentials"
    label = "credentials"
    verbose_name = _("Portfolios and credentials")
    # Queued by run_scheduler at each tick: badges for sessions the reminders job marked held.
    periodic_tasks = ["interra.credentials.tasks.award_earned_recently_held"]

    def ready(self):
        from django.db.models.signals import post_save

        from interra.agenda.models import Registration, Session
        from interra.core import navigation, personal_data

        from . import services, signals

        navigation.add(_("My portfolio"), "credentials:portfolio", "star", {"leader"},
                       order=32)
        # Coordinators reach the skills to confirm from the Team page: the staff menu is full.
        personal_data.register("credentials", export=services.personal_data_export,
                               erase=services.personal_data_erase)
        # Achievements follow attendance: see signals.py.
        post_save.connect(signals.registration_saved, sender=Registration,
                          dispatch_uid="credentials_registration_saved")
        post_save.connect(signals.session_saved, sender=Session,
                          dispatch_uid="credentials_session_saved")
        # A participant took back their yes to being quoted: the quotes go.
        from interra.agenda.signals import quote_consent_withdrawn

        quote_consent_withdrawn.connect(signals.quote_consent_withdrawn,
                                        dispatch_uid="credentials_quote_consent_withdrawn")
