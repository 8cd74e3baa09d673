"""Demo partners in Liège: community centres, libraries, a school; their rooms, opening
hours, closures, materials, and room bookings for the demo workshops.

Names are plausible, neighbourhoods and coordinates are real places of Liège. Everything
derives from ``ctx.rng`` and ``ctx.today``.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from interra.accounts.models import Channel, User
from interra.cities.models import Membership, Role

from . import availability
from .models import (
    Agreement,
    Booking,
    Closure,
    Material,
    MaterialLoan,
    OpeningRule,
    Partner,
    PartnerType,
    Room,
    Venue,
)

ORDER = 40

WEEKDAYS_EVENINGS = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"

# (partner, kind, agreement, contact slug, venue, address, neighbourhood, lat, lng, transport,
#  rooms: [(name, capacity, equipment, accessibility, cost per hour)],
#  opening rules: [(rrule, opens, closes)])
PARTNER_CONTACT_NAMES = [
    "Nadia Lambert", "Olivier Dupont", "Samira El Amrani", "Pierre Lejeune", "Chantal Maes",
    "Karim Benali", "Anne-Sophie Renard", "Marc Delvaux", "Fatou Diallo", "Luc Hermans",
]

PARTNERS = [
    ("Bibliothèque des Chiroux", PartnerType.VENUE_HOST, Agreement.FREE, "chiroux",
     "Bibliothèque des Chiroux", "Place des Carmes 8, 4000 Liège", "Centre", "50.641400",
     "5.568600", "Bus 1, 4, 48: arrêt Place de la République française.",
     [("Salle de lecture du 1er", 25, ["projector", "tables", "wifi"],
       ["step_free", "lift", "accessible_toilet", "child_friendly"], 0),
      ("Atelier du rez", 14, ["tables", "sink", "whiteboard"],
       ["step_free", "accessible_toilet", "child_friendly"], 0)],
     [("FREQ=WEEKLY;BYDAY=TU,WE,TH,FR", time(10), time(18)),
      ("FREQ=WEEKLY;BYDAY=SA", time(10), time(16))]),
    ("Cité Miroir", PartnerType.VENUE_HOST, Agreement.CONDITIONS, "citemiroir",
     "Cité Miroir", "Place Xavier Neujean 22, 4000 Liège", "Centre", "50.641800", "5.564100",
     "Bus 1, 4: arrêt Pont d'Avroy.",
     [("Salle Rosa Parks", 60, ["projector", "sound_system", "tables", "wifi"],
       ["step_free", "lift", "accessible_toilet"], 35),
      ("Salle des ateliers", 20, ["tables", "sink", "whiteboard", "wifi"],
       ["step_free", "lift", "accessible_toilet"], 15)],
     [(WEEKDAYS_EVENINGS, time(9), time(21))]),
    ("Maison de quartier d'Outremeuse", PartnerType.VENUE_HOST, Agreement.FREE, "outremeuse",
     "Maison de quartier d'Outremeuse", "Rue Puits-en-Sock 52, 4020 Liège", "Outremeuse",
     "50.638700", "5.580800", "Bus 4, 10, 13: arrêt Place de l'Yser.",
     [("Cuisine partagée", 12, ["kitchen", "oven", "sink", "tables"],
       ["step_free", "child_friendly"], 0),
      ("Grande salle", 30, ["sound_system", "tables", "mirrors"], ["step_free"], 0)],
     [("FREQ=WEEKLY;BYDAY=TU,TH", time(14), time(21)),
      ("FREQ=WEEKLY;BYDAY=SA", time(9), time(17))]),
    ("Centre culturel de Saint-Léonard", PartnerType.VENUE_HOST, Agreement.FREE, "stleonard",
     "Espace Saint-Léonard", "Rue Saint-Léonard 270, 4000 Liège", "Saint-Léonard",
     "50.650000", "5.588000", "Bus 1, 5, 6: arrêt Saint-Léonard.",
     [("Salle de danse", 25, ["sports_floor", "mirrors", "sound_system"], ["step_free"], 0),
      ("Salle polyvalente", 40, ["tables", "projector", "piano"],
       ["step_free", "accessible_toilet", "child_friendly"], 0)],
     [("FREQ=WEEKLY;BYDAY=MO,WE,FR", time(13), time(22)),
      ("FREQ=WEEKLY;BYDAY=SU", time(10), time(18))]),
    ("Maison des jeunes de Sainte-Marguerite", PartnerType.VENUE_HOST, Agreement.FREE,
     "stemarguerite", "MJ Sainte-Marguerite", "Rue Sainte-Marguerite 120, 4000 Liège",
     "Sainte-Marguerite", "50.645200", "5.556000", "Bus 17, 18: arrêt Sainte-Marguerite.",
     [("Studio", 15, ["sound_system", "mirrors", "piano"], ["child_friendly"], 0),
      ("Jardin", 25, ["outdoor_space", "tables"], ["step_free", "child_friendly"], 0)],
     [("FREQ=WEEKLY;BYDAY=WE,SA", time(13), time(19))]),
    ("Espace citoyen de Droixhe", PartnerType.SOCIAL_SERVICE, Agreement.FREE, "droixhe",
     "Espace citoyen de Droixhe", "Avenue de Lille 10, 4020 Liège", "Droixhe", "50.652500",
     "5.601500", "Bus 5, 10: arrêt Droixhe Lille.",
     [("Salle communautaire", 35, ["kitchen", "tables", "projector"],
       ["step_free", "accessible_toilet", "lift", "child_friendly"], 0)],
     [(WEEKDAYS_EVENINGS, time(9), time(17))]),
    ("Athénée de Liège-Guillemins", PartnerType.VENUE_HOST, Agreement.CONDITIONS, "guillemins",
     "Athénée des Guillemins", "Rue des Guillemins 40, 4000 Liège", "Guillemins",
     "50.628500", "5.567500", "Gare de Liège-Guillemins, puis 5 minutes à pied.",
     [("Gymnase", 40, ["sports_floor", "sound_system"], ["step_free"], 0),
      ("Local de cuisine", 16, ["kitchen", "oven", "sink"], ["step_free"], 0)],
     [("FREQ=WEEKLY;BYDAY=WE", time(13), time(18)),
      ("FREQ=WEEKLY;BYDAY=SA", time(9), time(17))]),
    ("Maison intergénérationnelle de Bressoux", PartnerType.VENUE_HOST, Agreement.PAID,
     "bressoux", "Maison intergénérationnelle", "Rue de Visé 150, 4020 Liège", "Bressoux",
     "50.643000", "5.608000", "Bus 67, 68: arrêt Bressoux Église.",
     [("Salon", 18, ["tables", "piano", "kitchen"],
       ["step_free", "accessible_toilet", "child_friendly"], 10)],
     [("FREQ=WEEKLY;BYDAY=MO,TU,TH,FR", time(14), time(20))]),
    ("Comité de quartier du Laveu", PartnerType.VENUE_HOST, Agreement.FREE, "laveu",
     "Salle du Laveu", "Rue du Laveu 80, 4000 Liège", "Laveu", "50.624000", "5.561000",
     "Bus 2, 3: arrêt Laveu.",
     [("Salle du haut", 20, ["tables", "whiteboard"], [], 0),
      ("Cour", 30, ["outdoor_space"], ["step_free", "child_friendly"], 0)],
     [("FREQ=WEEKLY;BYDAY=TU,TH", time(17), time(22)),
      ("FREQ=WEEKLY;BYDAY=SU", time(9), time(13))]),
    ("Ludothèque et outilthèque de Liège", PartnerType.MATERIALS, Agreement.FREE,
     "outiltheque", None, "", "", "", "", "", [], []),
]

MATERIALS = [  # (name, quantity, kept at, lender contact slug or None for Interra)
    ("Tables pliantes", 10, "Local Interra, rue Pierreuse", None),
    ("Machines à coudre", 4, "Local Interra, rue Pierreuse", None),
    ("Enceinte Bluetooth", 2, "Local Interra, rue Pierreuse", None),
    ("Vidéoprojecteur portable", 1, "Bureau de Julie", None),
    ("Plaques de cuisson à induction", 3, "Outilthèque", "outiltheque"),
    ("Jeux de société (malle)", 6, "Ludothèque", "outiltheque"),
    ("Chevalets de peinture", 12, "Outilthèque", "outiltheque"),
    ("Tapis de yoga", 20, "Espace Saint-Léonard", "stleonard"),
]

THEME_EQUIPMENT = {"cooking": "kitchen", "sport": "sports_floor", "dance": "mirrors",
                   "music": "sound_system", "nature": "outdoor_space"}


def _aware(day, at: time):
    return timezone.make_aware(datetime.combine(day, at))


def seed(ctx):
    rng, today, city = ctx.rng, ctx.today, ctx["city"]
    partners, venues, rooms = {}, [], []
    for number, (name, kind, agreement, slug, venue_name, address, neighbourhood, lat, lng,
                 transport, room_specs, rules) in enumerate(PARTNERS):
        # A person's name: messages greet partners by name ("Bonjour Contact," read badly).
        contact = User.objects.create_user(
            email=f"{slug}@partner.demo.interra.example",
            display_name=PARTNER_CONTACT_NAMES[number % len(PARTNER_CONTACT_NAMES)],
            preferred_language="fr", spoken_languages=["fr"], preferred_channel=Channel.EMAIL,
        )
        Membership.objects.create(person=contact, city=city, role=Role.PARTNER)
        partner = Partner.objects.create(
            city=city, name=name, kind=kind, agreement=agreement,
            email=f"{slug}@partner.demo.interra.example",
            phone=f"+3242{rng.randrange(100000, 999999)}",
            description="", agreement_terms=(
                "Prêt gratuit en échange d'une mention sur les affiches." if agreement ==
                Agreement.FREE else "Convention annuelle ; tarif réduit pour les associations."),
        )
        partner.contacts.add(contact)
        partners[slug] = partner
        if not venue_name:
            continue
        venue = Venue.objects.create(
            partner=partner, city=city, name=venue_name, address=address,
            neighbourhood=neighbourhood, latitude=lat, longitude=lng,
            public_transport=transport,
            house_rules="Laisser la salle rangée ; pas d'alcool ; clés à l'accueil.",
        )
        venues.append(venue)
        for room_name, capacity, equipment, access, cost in room_specs:
            room = Room.objects.create(
                venue=venue, name=room_name, capacity=capacity, equipment=equipment,
                accessibility=access, cost_per_hour=cost, setup_minutes=15,
                cleanup_minutes=15 if "kitchen" not in equipment else 30,
            )
            for rrule, opens, closes in rules:
                OpeningRule.objects.create(room=room, rrule=rrule, opens_at=opens,
                                           closes_at=closes,
                                           valid_from=today - timedelta(days=90))
            rooms.append(room)
    # Closures: school holidays at the Athénée, a one-off at the library.
    by_slug = {v.partner.email.split("@")[0]: v for v in venues}
    Closure.objects.create(venue=by_slug["guillemins"], starts_at=_aware(
        today + timedelta(days=20), time(0)), ends_at=_aware(today + timedelta(days=34), time(0)),
        reason="Congés scolaires")
    Closure.objects.create(venue=by_slug["chiroux"], starts_at=_aware(
        today + timedelta(days=9), time(0)), ends_at=_aware(today + timedelta(days=10), time(0)),
        reason="Inventaire annuel")
    ctx["rooms"] = rooms
    ctx["venues"] = venues
    ctx["partners"] = list(partners.values())
    ctx["bookings"] = _seed_bookings(ctx, rooms)
    _seed_materials(ctx, city, partners)


def _booking_plan(stage, rng):
    """What a workshop's proposal stage says about its bookings, as (first day, last day,
    status) relative to today: a confirmed booking is a public session (agenda), so only
    scheduled and running workshops have confirmed ones; ready ones wait for the partner."""
    confirmed = Booking.Status.CONFIRMED
    if stage == "running":
        return [(-14, -1, confirmed), (2, 35, confirmed)]
    if stage == "scheduled":
        return [(2, 35, confirmed)]
    if stage == "ready":
        return [(2, 35, Booking.Status.REQUESTED if rng.random() < 0.8
                 else Booking.Status.REFUSED)]
    return []


def _seed_bookings(ctx, rooms):
    """Bookings of the demo workshops as far as their proposals went, in rooms that suit
    them, never overlapping. Trusted leaders asked for their own next session."""
    from interra.proposals.models import Proposal

    rng, today = ctx.rng, ctx.today
    held: dict[int, list] = {room.pk: [] for room in rooms}
    closures = list(Closure.objects.filter(venue__in={r.venue_id for r in rooms}))
    rules = {room.pk: list(room.opening_rules.all()) for room in rooms}
    bookings = []
    julie = ctx["coordinators"][0]
    workshops = ctx.get("workshops", [])
    trusted = ctx.get("trusted_workshops", [])
    stages = dict(Proposal.objects.filter(workshop__in=workshops)
                  .values_list("workshop_id", "stage"))
    for index, workshop in enumerate(workshops):
        wanted = THEME_EQUIPMENT.get(workshop.theme)
        suitable = [r for r in rooms if r.capacity >= workshop.group_size
                    and (not wanted or wanted in r.equipment)] or \
            [r for r in rooms if r.capacity >= workshop.group_size] or rooms
        for first_day, last_day, status in _booking_plan(stages.get(workshop.pk), rng):
            for _attempt in range(40):
                room = rng.choice(suitable)
                day = today + timedelta(days=rng.randint(first_day, last_day))
                day_start = _aware(day, time(0))
                day_end = _aware(day + timedelta(days=1), time(0))
                opened = availability.opening_intervals(rules[room.pk], day_start, day_end)
                busy = held[room.pk] + [(c.starts_at, c.ends_at) for c in closures
                                        if c.venue_id == room.venue_id]
                free = availability.subtract(opened, busy)
                slots = availability.slot_starts(
                    free, duration=timedelta(hours=2),
                    before=timedelta(minutes=room.setup_minutes),
                    after=timedelta(minutes=room.cleanup_minutes), limit=3)
                if not slots:
                    continue
                starts = rng.choice(slots)
                ends = starts + timedelta(hours=2)
                leader_asked = workshop in trusted and day > today
                booking = Booking(
                    room=room, workshop=workshop, starts_at=starts, ends_at=ends,
                    status=status, setup_minutes=room.setup_minutes,
                    cleanup_minutes=room.cleanup_minutes,
                    requested_by=workshop.leader if leader_asked else julie,
                    partner_message="Avec plaisir !" if status == Booking.Status.CONFIRMED
                    else ("Salle déjà prise ce jour-là, désolés."
                          if status == Booking.Status.REFUSED else ""),
                    decided_at=None if status == Booking.Status.REQUESTED else timezone.now(),
                )
                booking.save()
                if booking.is_active:
                    held[room.pk].append((booking.blocked_from, booking.blocked_until))
                bookings.append(booking)
                break
        if index >= 60:
            break
    return bookings


def _seed_materials(ctx, city, partners):
    rng, today = ctx.rng, ctx.today
    materials = [
        Material.objects.create(city=city, name=name, quantity=quantity, kept_at=kept_at,
                                lender=partners.get(lender) if lender else None)
        for name, quantity, kept_at, lender in MATERIALS
    ]
    bookings = [b for b in ctx["bookings"] if b.status == Booking.Status.CONFIRMED]
    for booking in bookings[:8]:
        material = rng.choice(materials)
        MaterialLoan.objects.create(
            material=material, quantity=1, booking=booking, workshop=booking.workshop,
            starts_at=booking.starts_at - timedelta(hours=1),
            ends_at=booking.ends_at + timedelta(days=1),
            returned_at=(booking.ends_at + timedelta(hours=20)
                         if booking.ends_at.date() < today - timedelta(days=3) else None),
        )
    # One loan that came back late and one still out past its due date.
    MaterialLoan.objects.create(
        material=materials[1], quantity=2, starts_at=_aware(today - timedelta(days=12), time(9)),
        ends_at=_aware(today - timedelta(days=5), time(18)),
        workshop=(ctx.get("workshops") or [None])[0],
    )
    ctx["materials"] = materials
