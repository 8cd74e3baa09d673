from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "interra.agenda"
    label = "agenda"
    verbose_name = _("Agenda and registrations")
    # Queued at each tick of core's run_scheduler.
    periodic_tasks = ["interra.agenda.tasks.send_due_reminders"]

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from interra.core import navigation, personal_data
        from interra.venues import signals as venue_signals

        from . import cache, receivers, services
        from .models import Registration, Session

        navigation.add(_("Agenda"), "agenda:list", "calendar", {"public"}, order=10)
        navigation.add(_("My workshops"), "agenda:leader_home", "check", {"leader"}, order=30)
        navigation.add_landing("leader", "agenda:leader_home", 30)
        personal_data.register_space_section("agenda/_my_registrations.html", order=10)
        personal_data.register_data_section("agenda/_my_quotes.html", order=10)
        navigation.add(_("Sessions"), "agenda:staff_sessions", "list",
                       {"coordinator", "network_admin"}, order=40)
        navigation.add(_("Staff desk"), "agenda:desk", "user",
                       {"coordinator", "network_admin"}, order=41)
        personal_data.register("registrations", export=services.personal_data_export,
                               erase=services.personal_data_erase)

        from django.urls import reverse

        from interra.cities import checklist

        checklist.add(
            "first_session", _("Publish a first session"),
            url=lambda city: reverse("agenda:staff_session_create"),
            done=lambda city: Session.objects.filter(
                city=city, status__in=[Session.Status.SCHEDULED, Session.Status.HELD]).exists(),
            order=40)
        # Cached agenda lists are checked against versions these writes bump (cache.py).
        from interra.accounts.models import User
        from interra.cities.models import City
        from interra.proposals.models import Workshop
        from interra.venues.models import Room, Venue

        cache_receivers = [(Session, cache.bump_session), (Registration, cache.bump_seats),
                     (User, cache.bump_for_person),
                     *[(model, cache.bump_listing) for model in (Workshop, Room, Venue, City)]]
        for model, receiver in cache_receivers:
            post_save.connect(receiver, sender=model,
                              dispatch_uid=f"agenda-cache-{model.__name__}-save")
            post_delete.connect(receiver, sender=model,
                                dispatch_uid=f"agenda-cache-{model.__name__}-delete")
        from interra.proposals.signals import workshops_changed

        workshops_changed.connect(cache.bump_listing, dispatch_uid="agenda-cache-workshops")
        venue_signals.booking_confirmed.connect(
            receivers.session_for_confirmed_booking, dispatch_uid="agenda-booking-confirmed")
        venue_signals.booking_cancelled.connect(
            receivers.sessions_of_cancelled_booking, dispatch_uid="agenda-booking-cancelled")
