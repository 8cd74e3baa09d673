from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "interra.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import navigation

        navigation.add(_("Home"), "core:home", "home", {"public"}, order=0)
        navigation.add(_("My space"), "accounts:profile", "user", {"signed_in"}, order=90)
        navigation.add_landing("signed_in", "accounts:profile", 90)
