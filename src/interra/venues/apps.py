from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "interra.venues"
    label = "venues"
    verbose_name = _("Venues, partners and materials")

    def ready(self):
        from interra.core import navigation, personal_data

        from . import services

        personal_data.register("venues", export=services.personal_data_export,
                               erase=services.personal_data_erase)

        staff = {"coordinator", "network_admin"}
        navigation.add(_("Venues"), "venues:list", "door", staff, order=30)
        navigation.add(_("Room finder"), "venues:finder", "pin", staff, order=31)
        navigation.add(_("Bookings"), "venues:bookings", "calendar", staff, order=32)
        navigation.add(_("Materials"), "venues:materials", "tools", staff, order=33)

        from django.urls import reverse

        from interra.cities import checklist

        from .models import Room

        checklist.add(
            "rooms", _("Import partners and rooms from a spreadsheet"),
            url=lambda city: reverse("venues:import") + f"?city={city.pk}",
            done=lambda city: Room.objects.filter(venue__city=city).exists(), order=20)
        navigation.add(_("My rooms"), "venues:portal", "door", {"partner"}, order=30)
        navigation.add_landing("partner", "venues:portal", 40)
