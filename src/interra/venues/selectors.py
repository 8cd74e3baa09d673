"""Reads about partners, rooms, bookings and materials, scoped to what the viewer may see.

Coordinators see their cities (``cities.selectors.coordinated_cities``); partner contacts
see the rooms of their own organisations and the bookings of those rooms, never who
registered for a session.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from interra.cities.selectors import coordinated_cities

from . import availability
from .models import (
    Accessibility,
    Agreement,
    Booking,
    Closure,
    Equipment,
    Material,
    MaterialLoan,
    OpeningRule,
    Partner,
    Room,
    Venue,
)

# --- Coordinators --------------------------------------------------------------------------


def venues_for(user, *, city=None) -> QuerySet[Venue]:
    cities = coordinated_cities(user)
    if city is not None:
        cities = cities.filter(pk=city.pk)
    return (Venue.objects.filter(city__in=cities).select_related("partner", "city")
            .annotate(room_count=Count("rooms")).order_by("name"))


def venue_detail_for(user, pk) -> Venue | None:
    return (Venue.objects.filter(city__in=coordinated_cities(user), pk=pk)
            .select_related("partner", "city")
            .prefetch_related(
                Prefetch("rooms", queryset=Room.objects.prefetch_related("opening_rules")),
                "closures")
            .first())


def rooms_for(user) -> QuerySet[Room]:
    return (Room.objects.filter(venue__city__in=coordinated_cities(user))
            .select_related("venue__partner", "venue__city"))


def bookings_for(user, *, status: str = "") -> QuerySet[Booking]:
    bookings = (Booking.objects.filter(room__venue__city__in=coordinated_cities(user))
                .select_related("room__venue", "workshop"))
    if status:
        bookings = bookings.filter(status=status)
    return bookings.order_by("-starts_at")


def materials_for(user) -> QuerySet[Material]:
    return (Material.objects.filter(city__in=coordinated_cities(user))
            .select_related("lender", "city").order_by("name"))


def overdue_loans_for(user, *, now: datetime | None = None) -> QuerySet[MaterialLoan]:
    """Loans past their due date and not returned yet, oldest first."""
    now = now or timezone.now()
    return (MaterialLoan.objects.filter(material__city__in=coordinated_cities(user),
                                        cancelled=False, returned_at__isnull=True,
                                        ends_at__lt=now)
            .select_related("material__lender", "workshop", "booking__room__venue")
            .order_by("ends_at"))


def current_loans_for(user) -> QuerySet[MaterialLoan]:
    return (MaterialLoan.objects.filter(material__city__in=coordinated_cities(user),
                                        cancelled=False, returned_at__isnull=True)
            .select_related("material", "workshop").order_by("starts_at"))


def map_points(venues) -> list[dict]:
    """Venues with coordinates, as plain data for the map script (json_script)."""
    return [
        {"name": venue.name, "lat": float(venue.latitude), "lng": float(venue.longitude),
         "neighbourhood": venue.neighbourhood, "address": venue.address}
        for venue in venues if venue.latitude is not None and venue.longitude is not None
    ]


# --- Partner contacts ---------------------------------------------------------------------


def partners_of_contact(user) -> QuerySet[Partner]:
    if not user.is_authenticated:
        return Partner.objects.none()
    return Partner.objects.filter(contacts=user)


def portal_rooms(user) -> QuerySet[Room]:
    return (Room.objects.filter(venue__partner__in=partners_of_contact(user))
            .select_related("venue").prefetch_related("opening_rules"))


def portal_venues(user) -> QuerySet[Venue]:
    return (Venue.objects.filter(partner__in=partners_of_contact(user))
            .prefetch_related(
                Prefetch("rooms", queryset=Room.objects.prefetch_related("opening_rules")),
                Prefetch("closures", queryset=Closure.objects.filter(
                    ends_at__gte=timezone.now()).select_related("room"))))


def portal_bookings(user) -> QuerySet[Booking]:
    """Bookings of the partner's rooms: room, time, workshop title; nothing about people."""
    return (Booking.objects.filter(room__venue__partner__in=partners_of_contact(user))
            .select_related("room__venue", "workshop")
            .only("id", "status", "starts_at", "ends_at", "setup_minutes", "cleanup_minutes",
                  "note", "partner_message", "room__name", "room__venue__name",
                  "workshop__title", "workshop__group_size", "workshop__theme")
            .order_by("starts_at"))


PORTAL_PAST_DAYS = 60


def portal_bookings_split(user, *, now: datetime | None = None) -> tuple[list, list]:
    """The partner's bookings that have not ended yet (soonest first; requests among them
    can still be answered) and those of the last two months that have (latest first)."""
    now = now or timezone.now()
    bookings = portal_bookings(user)
    upcoming = list(bookings.filter(ends_at__gt=now))
    past = list(bookings.filter(ends_at__lte=now,
                                ends_at__gt=now - timedelta(days=PORTAL_PAST_DAYS))
                .order_by("-starts_at"))
    return upcoming, past


# --- Room finder --------------------------------------------------------------------------

# Rooms without published hours are "open on request": the finder proposes them in
# ordinary daytime hours only, never at three in the morning.
ON_REQUEST_OPENS, ON_REQUEST_CLOSES = time(8, 0), time(22, 0)


@dataclass
class Reason:
    ok: bool
    text: str


@dataclass
class Candidate:
    room: Room
    fits: bool
    score: int
    reasons: list[Reason] = field(default_factory=list)
    slots: list[datetime] = field(default_factory=list)

    @property
    def venue(self):
        return self.room.venue


@dataclass
class _OnRequestHours:
    valid_from: date
    rrule: str = "FREQ=DAILY"
    opens_at: time = ON_REQUEST_OPENS
    closes_at: time = ON_REQUEST_CLOSES
    valid_until: date | None = None


def room_finder(*, city, capacity: int = 0, equipment=(), accessibility=(), neighbourhoods=(),
                window_start: datetime, window_end: datetime, duration: timedelta,
                limit: int | None = None) -> list[Candidate]:
    """Rooms of ``city`` open and free for ``duration`` (plus their buffers) somewhere in
    [window_start, window_end), ranked by fit: first those meeting every need, then by score.

    Each candidate carries reasons (what fits, what does not) and up to three suggested
    start times. Four queries whatever the number of rooms; the rest is arithmetic.
    """
    equipment, accessibility = list(equipment), list(accessibility)
    neighbourhoods = {n.casefold() for n in neighbourhoods if n}
    rules = OpeningRule.objects.filter(valid_from__lte=window_end.date()).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=window_start.date()))
    rooms = list(Room.objects.filter(venue__city=city, is_active=True)
                 .select_related("venue__partner")
                 .prefetch_related(Prefetch("opening_rules", queryset=rules,
                                            to_attr="window_rules")))
    busy: dict[int, list] = defaultdict(list)
    venue_closed: dict[int, list] = defaultdict(list)
    for room_id, begin, finish in Booking.objects.filter(
            room__venue__city=city, status__in=Booking.ACTIVE_STATUSES,
            blocked_from__lt=window_end, blocked_until__gt=window_start,
    ).values_list("room_id", "blocked_from", "blocked_until"):
        busy[room_id].append((begin, finish))
    for venue_id, room_id, begin, finish in Closure.objects.filter(
            venue__city=city, starts_at__lt=window_end, ends_at__gt=window_start,
    ).values_list("venue_id", "room_id", "starts_at", "ends_at"):
        if room_id:
            busy[room_id].append((begin, finish))
        else:
            venue_closed[venue_id].append((begin, finish))

    equipment_labels = dict(Equipment.choices)
    access_labels = dict(Accessibility.choices)
    candidates = []
    expansions: dict = {}
    for room in rooms:
        before = timedelta(minutes=room.setup_minutes)
        after = timedelta(minutes=room.cleanup_minutes)
        room_rules = room.window_rules or [_OnRequestHours(valid_from=window_start.date())]
        opened = availability.opening_intervals(room_rules, window_start, window_end,
                                                cache=expansions)
        free = availability.subtract(opened, busy[room.pk] + venue_closed[room.venue_id])
        slots = availability.slot_starts(free, duration=duration, before=before, after=after)
        if not slots:
            continue
        fits, score, reasons = True, 100, []
        if capacity and room.capacity < capacity:
            fits, score = False, score - 100
            reasons.append(Reason(False, _("Too small: %(seats)s places for %(people)s people")
                                  % {"seats": room.capacity, "people": capacity}))
        elif capacity:
            # A room twice too big is a little worse than a snug one.
            score -= min(20, (room.capacity - capacity) * 10 // capacity)
            reasons.append(Reason(True, _("%(seats)s places") % {"seats": room.capacity}))
        has = set(room.equipment)
        missing = [key for key in equipment if key not in has]
        present = [key for key in equipment if key in has]
        if present:
            reasons.append(Reason(True, _("Has: %(items)s") % {
                "items": ", ".join(str(equipment_labels.get(k, k)) for k in present)}))
        if missing:
            fits, score = False, score - 40 * len(missing)
            reasons.append(Reason(False, _("Missing: %(items)s") % {
                "items": ", ".join(str(equipment_labels.get(k, k)) for k in missing)}))
        has_access = set(room.accessibility)
        access_missing = [key for key in accessibility if key not in has_access]
        access_present = [key for key in accessibility if key in has_access]
        if access_present:
            reasons.append(Reason(True, ", ".join(
                str(access_labels.get(k, k)) for k in access_present)))
        if access_missing:
            fits, score = False, score - 30 * len(access_missing)
            reasons.append(Reason(False, _("Not: %(items)s") % {
                "items": ", ".join(str(access_labels.get(k, k)) for k in access_missing)}))
        if neighbourhoods:
            if room.venue.neighbourhood.casefold() in neighbourhoods:
                score += 20
                reasons.append(Reason(True, _("In %(place)s") % {
                    "place": room.venue.neighbourhood}))
            else:
                reasons.append(Reason(False, _("Elsewhere: %(place)s") % {
                    "place": room.venue.neighbourhood or "?"}))
        if room.venue.partner.agreement == Agreement.FREE and not room.cost_per_hour:
            score += 5
            reasons.append(Reason(True, _("Free of charge")))
        elif room.cost_per_hour:
            score -= 5
            reasons.append(Reason(False, _("%(price)s € per hour") % {
                "price": room.cost_per_hour}))
        if not room.window_rules:
            reasons.append(Reason(False, _("No opening hours published: ask the partner")))
        score += len(slots)
        candidates.append(Candidate(room=room, fits=fits, score=score, reasons=reasons,
                                    slots=slots))
    candidates.sort(key=lambda c: (not c.fits, -c.score, c.room.venue.name, c.room.name))
    return candidates[:limit] if limit else candidates
