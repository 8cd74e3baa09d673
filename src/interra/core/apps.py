from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "interra.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.contrib import admin

        from . import admin_site, csrf, navigation

        csrf.install()

        # Every app's admin.py is loaded by now (django.contrib.admin comes first).
        admin_site.lock_down(admin.site)

        navigation.add(_("Home"), "core:home", "home", {"public"}, order=0)
        navigation.add(_("My space"), "accounts:profile", "user", {"signed_in"}, order=90)
        navigation.add_landing("signed_in", "accounts:profile", 90)
