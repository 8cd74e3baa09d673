"""Writes about cities: opening one, its settings, its opening checklist."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interra.core.errors import Conflict, DomainError, PermissionDenied

from .models import City, Membership, Role

SETTINGS_FIELDS = ("languages", "time_zone", "address", "poster_footer", "contact_email",
                   "whatsapp_number",
                   "newcomer_seats_percent", "local_seats_percent", "hold_release_hours",
                   "reminder_hours")


def _is_network_admin(actor) -> bool:
    return bool(actor is not None and actor.is_authenticated
                and (actor.is_network_admin or actor.is_superuser))


def _coordinates(actor, city) -> bool:
    return bool(actor is not None and actor.is_authenticated and Membership.objects.filter(
        person=actor, city=city, role=Role.COORDINATOR).exists())


@transaction.atomic
def city_create(*, actor, name: str, slug: str, time_zone: str, address: str = "",
                languages: list[str] | tuple = ()) -> City:
    """A network admin opens a city: an empty data scope with the network's defaults for
    the mix and the reminders. Refuses anyone else, and a name or short name in use."""
    if not _is_network_admin(actor):
        raise PermissionDenied(_("Only a network admin can open a city."), code="forbidden")
    name, slug = " ".join((name or "").split()), (slug or "").strip().lower()
    if not name or not slug:
        raise DomainError(_("Give the city a name and a short name."), code="name")
    if City.objects.filter(name__iexact=name).exists() or City.objects.filter(
            slug=slug).exists():
        raise Conflict(_("A city with this name or short name already exists."),
                       code="duplicate")
    try:
        with transaction.atomic():
            return City.objects.create(name=name, slug=slug, time_zone=time_zone,
                                       address=(address or "").strip(),
                                       languages=list(dict.fromkeys(languages)))
    except IntegrityError as exc:
        raise Conflict(_("A city with this name or short name already exists."),
                       code="duplicate") from exc


@transaction.atomic
def city_settings_update(*, actor, city: City, **values) -> City:
    """A coordinator of ``city`` (of that city only) changes its settings. The checks of
    the form are repeated by the model's constraint (held seats at most all the seats)."""
    if not _coordinates(actor, city):
        raise PermissionDenied(_("Only a coordinator of this city can change its settings."),
                               code="forbidden")
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not a city setting: {sorted(unknown)}")
    city = City.objects.select_for_update().get(pk=city.pk)
    if values.get("newcomer_seats_percent", city.newcomer_seats_percent) + values.get(
            "local_seats_percent", city.local_seats_percent) > 100:
        raise DomainError(_("The seats held for newcomers and for locals together cannot be "
                            "more than all the seats."), code="percent")
    for field, value in values.items():
        setattr(city, field, value)
    city.settings_saved_at = timezone.now()
    city.save()
    return city


@transaction.atomic
def city_checklist_dismiss(*, actor, city: City) -> City:
    """A coordinator of ``city`` hides its opening checklist (for the whole team)."""
    if not _coordinates(actor, city):
        raise PermissionDenied(_("Only a coordinator of this city can do this."),
                               code="forbidden")
    City.objects.filter(pk=city.pk).update(checklist_dismissed_at=timezone.now())
    city.refresh_from_db()
    return city
