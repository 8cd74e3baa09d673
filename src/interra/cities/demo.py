"""The Liège antenna (and a small second city, to show that data stays per city)."""

from interra.cities.models import City, Membership, Role

ORDER = 20

LIEGE_NEIGHBOURHOODS = [
    "Centre", "Outremeuse", "Saint-Léonard", "Sainte-Marguerite", "Sainte-Walburge",
    "Saint-Laurent", "Laveu", "Guillemins", "Longdoz", "Amercoeur", "Bressoux", "Droixhe",
    "Jupille", "Grivegnée", "Chênée", "Angleur", "Cointe", "Burenville", "Sclessin",
]


def seed(ctx):
    from django.utils import timezone

    # Liège runs already (its opening checklist done and hidden); Namur is being opened:
    # its coordinator (elisa@interra.example) reads the checklist on the Team page.
    liege = City.objects.create(
        name="Liège", slug="liege", neighbourhoods=LIEGE_NEIGHBOURHOODS,
        contact_email="liege@interra.example", reminder_hours=[48, 3],
        address="Rue Saint-Gilles 33, 4000 Liège", languages=["ar", "uk", "fa"],
        poster_footer="Avec le soutien de la Wallonie", settings_saved_at=timezone.now(),
        checklist_dismissed_at=timezone.now(),
        # Not a mobile range in Belgium (04xx starts at 0460): a demo number nobody owns.
        whatsapp_number="+32400000000",
    )
    namur = City.objects.create(
        name="Namur", slug="namur",
        neighbourhoods=["Centre", "Jambes", "Salzinnes", "Bouge", "Saint-Servais"],
        contact_email="namur@interra.example", reminder_hours=[48, 3],
    )
    julie, elisa = ctx["coordinators"]
    memberships = [
        Membership(person=julie, city=liege, role=Role.COORDINATOR),
        Membership(person=elisa, city=namur, role=Role.COORDINATOR),
    ]
    memberships += [Membership(person=v, city=liege, role=Role.VOLUNTEER)
                    for v in ctx["volunteers"]]
    memberships += [Membership(person=p, city=liege, role=Role.LEADER) for p in ctx["leaders"]]
    memberships += [Membership(person=p, city=liege, role=Role.PARTICIPANT)
                    for p in ctx["participants"]]
    Membership.objects.bulk_create(memberships)
    ctx["city"] = liege
    ctx["other_city"] = namur
