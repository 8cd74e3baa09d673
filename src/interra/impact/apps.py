from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "interra.impact"
    label = "impact"
    verbose_name = _("Impact")

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_delete

        from interra.agenda.models import Registration, Session
        from interra.core import navigation

        from . import signals

        navigation.add(_("Impact"), "impact:dashboard", "chart",
                       {"coordinator", "network_admin"}, order=80)

        # Ties follow attendance: see signals.py and ties.py.
        post_save.connect(signals.registration_saved, sender=Registration,
                          dispatch_uid="impact_ties_registration_saved")
        post_delete.connect(signals.registration_deleted, sender=Registration,
                            dispatch_uid="impact_ties_registration_deleted")
        post_save.connect(signals.session_saved, sender=Session,
                          dispatch_uid="impact_ties_session_saved")
        pre_delete.connect(signals.session_deleting, sender=Session,
                           dispatch_uid="impact_ties_session_deleting")
        post_delete.connect(signals.session_deleted, sender=Session,
                            dispatch_uid="impact_ties_session_deleted")
