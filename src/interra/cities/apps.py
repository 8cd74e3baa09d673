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

        from urllib.parse import urlencode

        from django.urls import reverse

        from . import checklist
        from .models import Membership, Role

        checklist.add(
            "settings", _("Set the city: languages shown, mix and release time, reminders, "
                          "poster footer and address"),
            url=lambda city: reverse("cities:city_settings", args=[city.slug]),
            done=lambda city: city.settings_saved_at is not None, order=10)
        checklist.add(
            "volunteers", _("Invite volunteers"),
            # The invitation page belongs to accounts (above): named, not imported.
            url=lambda city: reverse("accounts:staff_invite") + "?" + urlencode(
                {"city": city.pk, "role": Role.VOLUNTEER}),
            done=lambda city: Membership.objects.filter(
                city=city, role=Role.VOLUNTEER).exists(), order=30)
