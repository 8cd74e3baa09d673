"""The people and objects the role x URL x object matrix (test_matrix.py) requests as.

Two cities, Liège and Namur, each with a coordinator, a volunteer, two leaders (each with
a proposal, a workshop, a coming and a past session), two participants with registrations,
two partner contacts (each with a venue, a room, an opening rule and a booking), an
employer, materials, a loan, a plan, a failed message, a co-leader and a pending
co-leader invitation; each leader a badge, a skill waiting for a coordinator and a
portfolio (public for the first leader only), the first leader trusted to schedule their
own sessions (the second not); a network admin; and Liège staff signed in without the second
factor. Objects are named by variant: "liege" (belongs to the Liège people who sign in:
the leader's, the partner's, the participant's), "liege2" (another Liège person's),
"namur" (Namur's), "missing" (an id that does not exist, a forged or expired token).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core import signing
from django.utils import timezone

from interra.accounts.models import User
from interra.agenda.models import Feedback, Registration
from interra.autonomy.models import LeaderTrust
from interra.cities.models import Membership, Role
from interra.credentials import services as credential_services
from interra.credentials.models import (
    Achievement,
    IssuerKey,
    LeaderSkill,
    Portfolio,
    PortfolioQuote,
)
from interra.employers.models import (
    ContactRequest,
    Employer,
    EmployerContact,
    LeaderListing,
)
from interra.notifications.models import Message
from interra.planning.models import Plan, PlanItem
from interra.proposals.models import CoLeaderInvitation, Note, Stage, Task, TaskKind
from interra.venues.models import Booking, Closure, MaterialLoan
from tests.factories import (
    CityFactory,
    MaterialFactory,
    OpeningRuleFactory,
    PartnerFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
    VenueFactory,
    give_second_factor,
    member,
)
from tests.factories import WorkshopFactory as AgendaWorkshopFactory
from tests.proposals.factories import submit

MISSING_ID = "987654321"
MISSING_UUID = "00000000-0000-4000-8000-000000000000"
FORGED_TOKEN = "forged-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"


@dataclass
class World:
    people: dict = field(default_factory=dict)   # role key -> User (the ones who sign in)
    args: dict = field(default_factory=dict)     # kind -> variant -> URL value
    # Personal data of Namur people (and of Liège people other than the viewer) that a
    # 200 answer must not contain: (label, text) pairs, per city.
    needles: dict = field(default_factory=dict)
    holders: dict = field(default_factory=dict)


def _city_objects(city, prefix: str, phone_base: int) -> dict:
    """Everything one city holds; names carry the city so a leak is recognisable."""
    objects = {"city": city}
    objects["coordinator"] = member(city, Role.COORDINATOR,
                                    display_name=f"{prefix}coord Ducoordinateur",
                                    email=f"coord@{city.slug}.example",
                                    phone=f"+3247{phone_base}001")
    objects["volunteer"] = member(city, Role.VOLUNTEER,
                                  display_name=f"{prefix}vol Dubenevole",
                                  email=f"vol@{city.slug}.example", phone=f"+3247{phone_base}002")
    objects["employer"] = member(city, Role.EMPLOYER, display_name=f"{prefix}emp Delentreprise",
                                 email=f"emp@{city.slug}.example", phone=f"+3247{phone_base}003")
    for n in (1, 2):
        suffix = "" if n == 1 else "2"
        proposal = submit(city, display_name=f"{prefix}lead{suffix} Duleader",
                          phone=f"+3247{phone_base}01{n}", ui_language="fr", language="fr",
                          title=f"Atelier {prefix}{n}", description="On cuisine")
        leader = proposal.leader
        leader.email = f"lead{suffix}@{city.slug}.example"
        leader.save(update_fields=["email"])
        Membership.objects.get_or_create(person=leader, city=city, role=Role.LEADER)
        workshop = AgendaWorkshopFactory(city=city, leader=leader, format="series")
        proposal.workshop = workshop
        proposal.stage = Stage.ACCEPTED
        proposal.save(update_fields=["workshop", "stage"])
        partner_contact = member(city, Role.PARTNER,
                                 display_name=f"{prefix}partner{suffix} Dupartenaire",
                                 email=f"partner{suffix}@{city.slug}.example",
                                 phone=f"+3247{phone_base}02{n}")
        partner = PartnerFactory(city=city, contacts=[partner_contact])
        venue = VenueFactory(partner=partner, city=city)
        room = RoomFactory(venue=venue)
        opening = OpeningRuleFactory(room=room)
        session = SessionFactory(workshop=workshop, room=room)
        past = SessionFactory(workshop=workshop, room=room,
                              starts_at=timezone.now() - timedelta(days=3))
        participant = member(city, Role.PARTICIPANT,
                             display_name=f"{prefix}part{suffix} Duparticipant",
                             email=f"part{suffix}@{city.slug}.example",
                             phone=f"+3247{phone_base}03{n}")
        registration = RegistrationFactory(session=session, person=participant)
        came = RegistrationFactory(session=past, person=participant, attended=True)
        # The participant let the leaders quote their comment; the first leader quotes it
        # publicly (below).
        feedback = Feedback.objects.create(registration=came, rating=4,
                                           comment=f"{prefix} merci", quote_consent=True)
        Note.objects.create(proposal=proposal, author=objects["coordinator"],
                            text=f"{prefix} appeler {participant.phone}")
        Closure.objects.create(venue=venue, starts_at=timezone.now() + timedelta(days=40),
                               ends_at=timezone.now() + timedelta(days=41), reason="travaux")
        start = timezone.now() + timedelta(days=12 + n)
        booking = Booking.objects.create(room=room, workshop=workshop, starts_at=start,
                                         ends_at=start + timedelta(hours=2),
                                         requested_by=objects["coordinator"])
        material = MaterialFactory(city=city)
        loan = MaterialLoan.objects.create(material=material, quantity=1, workshop=workshop,
                                           starts_at=start, ends_at=start + timedelta(hours=3),
                                           created_by=objects["coordinator"])
        co_leader = UserFactory(display_name=f"{prefix}colead{suffix} Ducoleader",
                                email=f"colead{suffix}@{city.slug}.example")
        workshop.co_leaders.add(co_leader)
        invitation = CoLeaderInvitation.objects.create(
            workshop=workshop, person=participant, invited_by=objects["coordinator"],
            invited_name=f"{prefix}part{suffix}")
        task = Task.objects.create(proposal=proposal, kind=TaskKind.choices[0][0],
                                   due_on=timezone.localdate() + timedelta(days=7))
        # Credentials: a badge, a skill waiting for a coordinator, and a portfolio shown
        # to others by the first leader only. Autonomy: the first leader is trusted.
        credential = credential_services.credential_award(
            person=leader, achievement=Achievement.COOKING_LEADER, by=objects["coordinator"])
        skill = LeaderSkill.objects.create(person=leader, label=f"{prefix} couture")
        Portfolio.objects.update_or_create(person=leader, defaults={
            "is_public": n == 1, "show_figures": True, "show_workshops": True,
            "show_badges": True})
        PortfolioQuote.objects.create(portfolio=leader.portfolio, feedback=feedback,
                                      is_public=n == 1)
        if n == 1:
            LeaderTrust.objects.create(leader=leader, city=city, granted_at=timezone.now(),
                                       granted_by=objects["coordinator"])
        objects[f"set{n}"] = {
            "proposal": proposal, "leader": leader, "workshop": workshop, "session": session,
            "past": past, "participant": participant, "registration": registration,
            "partner": partner_contact, "venue": venue, "room": room, "opening": opening,
            "booking": booking, "material": material, "loan": loan, "co_leader": co_leader,
            "invitation": invitation, "task": task, "credential": credential, "skill": skill,
            "portfolio_slug": leader.portfolio.public_slug, "feedback": feedback,
        }
    # Employers: the city's employer acts for a verified organisation; the first leader
    # may be found (the second not), and the organisation asked both (the second one's
    # request predates their choice), nothing answered yet.
    organisation = Employer.objects.create(city=city, name=f"{prefix} Entreprise",
                                           status=Employer.Status.VERIFIED)
    EmployerContact.objects.create(employer=organisation, person=objects["employer"],
                                   confirmed_at=timezone.now())
    objects["organisation"] = organisation
    for n in (1, 2):
        leader = objects[f"set{n}"]["leader"]
        objects[f"set{n}"]["listing"] = LeaderListing.objects.create(person=leader,
                                                                     findable=n == 1)
        objects[f"set{n}"]["contact_request"] = ContactRequest.objects.create(
            employer=organisation, city=city, sent_by=objects["employer"], leader=leader,
            kind="contact", message="Bonjour", sent_at=timezone.now())
    plan = Plan.objects.create(city=city, starts_on=timezone.localdate(), days=28,
                               time_limit=10, status="feasible", wanted=1, bound=1,
                               unplaced=[])
    start = timezone.now() + timedelta(days=20)
    PlanItem.objects.create(plan=plan, workshop=objects["set1"]["workshop"],
                            room=objects["set1"]["room"], starts_at=start,
                            ends_at=start + timedelta(hours=2))
    objects["plan"] = plan
    objects["message"] = Message.objects.create(
        recipient=objects["set1"]["participant"], city=city, template="magic_link",
        channel="email", language="fr", context={"sign_in_next": "/"},
        status=Message.Status.FAILED)
    return objects


def _contact_token(person, *, expired: bool) -> str:
    """A contact-confirmation link for ``person``: valid, or signed 8 days ago."""
    import time
    from unittest import mock

    from interra.accounts import contacts

    when = time.time() - (contacts.CONFIRM_MAX_AGE + 24 * 3600 if expired else 0)
    with mock.patch("django.core.signing.time.time", return_value=when):
        return signing.dumps({"p": person.pk, "k": "phone", "v": "+32470000999"},
                             salt=contacts.CONFIRM_SALT, compress=True)


def build_world() -> World:
    from interra.accounts import staff

    liege = CityFactory(name="Liège", slug="liege")
    namur = CityFactory(name="Namur", slug="namur")
    lg = _city_objects(liege, "Lg", 1000)
    nm = _city_objects(namur, "Nm", 2000)
    admin = User.objects.create_superuser(email="admin@network.example",
                                          password="correct-horse-battery",
                                          display_name="Netadmin Dureseau")
    give_second_factor(admin)
    _person, enrol_link = staff.staff_invite(actor=admin, city=liege, role=Role.VOLUNTEER,
                                              display_name="Newvol Dunouveau",
                                              email="newvol@liege.example")
    l1, l2, n1 = lg["set1"], lg["set2"], nm["set1"]
    people = {
        "anon": None, "part": l1["participant"], "lead": l1["leader"], "partner": l1["partner"],
        "employer": lg["employer"], "vol": lg["volunteer"], "coord": lg["coordinator"],
        "namur": nm["coordinator"], "admin": admin,
        "coord_pw": lg["coordinator"], "coord_link": lg["coordinator"],
        "vol_link": lg["volunteer"], "admin_link": admin,
    }

    def kind(name, key=None):
        key = key or name
        return {"liege": str(getattr(l1[key], "pk", l1[key])),
                "liege2": str(getattr(l2[key], "pk", l2[key])),
                "namur": str(getattr(n1[key], "pk", n1[key])), "missing": MISSING_ID}

    args = {name: kind(name) for name in (
        "proposal", "session", "past", "venue", "room", "opening", "booking", "material",
        "loan", "task", "invitation", "workshop", "co_leader", "skill", "feedback")}
    args["credential"] = {**kind("credential"), "missing": MISSING_UUID}
    args["portfolio_slug"] = {**kind("portfolio_slug"), "missing": FORGED_TOKEN}
    args["listing"] = {**kind("listing"), "missing": MISSING_UUID}
    args["contact_request"] = {**kind("contact_request"), "missing": MISSING_UUID}
    args["employer"] = {"liege": str(lg["organisation"].pk), "namur": str(nm["organisation"].pk),
                        "missing": MISSING_ID}
    args["city"] = {"liege": str(liege.pk), "namur": str(namur.pk), "missing": MISSING_ID}
    args["thumbprint"] = {"liege": IssuerKey.objects.get(is_current=True).thumbprint,
                          "missing": FORGED_TOKEN}
    args["achievement"] = {"liege": Achievement.SESSIONS_10, "missing": "nothing"}
    # Whose name a page shows by that person's own choice (a portfolio they made public, a
    # credential's verification page they hand out): kind -> variant -> person's pk.
    holders = {kind_: {variant: (l1, l2, n1)[i]["leader"].pk
                       for i, variant in enumerate(("liege", "liege2", "namur"))}
               for kind_ in ("credential", "portfolio_slug")}
    args["registration"] = kind("registration")
    args["person"] = {"liege": str(l1["participant"].pk), "liege2": str(l2["participant"].pk),
                      "namur": str(n1["participant"].pk), "missing": MISSING_ID}
    args["leader"] = kind("leader")
    args["plan"] = {"liege": str(lg["plan"].pk), "namur": str(nm["plan"].pk),
                    "missing": MISSING_ID}
    args["message"] = {"liege": str(lg["message"].pk), "namur": str(nm["message"].pk),
                       "missing": MISSING_ID}
    args["registration_token"] = {"liege": l1["registration"].token,
                                  "liege2": l2["registration"].token,
                                  "namur": n1["registration"].token, "missing": FORGED_TOKEN}
    args["contact_token"] = {"liege": _contact_token(l1["participant"], expired=False),
                             "namur": _contact_token(n1["participant"], expired=False),
                             "expired": _contact_token(l1["participant"], expired=True),
                             "missing": FORGED_TOKEN}
    args["enrol_token"] = {"liege": enrol_link.rstrip("/").rsplit("/", 1)[-1],
                           "missing": FORGED_TOKEN}
    args["city_slug"] = {"liege": "liege", "namur": "namur", "missing": "nowhere"}
    year = str(timezone.localdate().year)
    args["year"] = {"liege": year, "namur": year, "missing": year}
    month = timezone.localdate()
    args["programme"] = {"liege": f"liege/{month.year}-{month.month}",
                         "namur": f"namur/{month.year}-{month.month}",
                         "missing": f"nowhere/{month.year}-{month.month}"}
    args["step"] = {"liege": "1", "missing": "9"}
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=lg["coordinator"], name="phone", confirmed=True)
    Group.objects.create(name="readers")
    # No task result: tests run tasks at once (the immediate backend stores none).
    for model in _admin_models():
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        first = model.objects.order_by("pk").first()
        args[f"admin:{label}"] = {"liege": str(first.pk) if first else MISSING_ID}

    needles = {}
    for city, objects in (("liege", lg), ("namur", nm)):
        found = []
        for person in _people(objects):
            found += [(person.pk, "name", person.display_name), (person.pk, "email", person.email)]
            if person.phone:
                found.append((person.pk, "phone", person.phone))
                found.append((person.pk, "phone", "0" + person.phone[3:]))
        needles[city] = [(pk, label, text) for pk, label, text in found if text]
    return World(people=people, args=args, needles=needles, holders=holders)


def _admin_models():
    from django.contrib import admin

    return list(admin.site._registry)


def _people(objects):
    yield objects["coordinator"]
    yield objects["volunteer"]
    yield objects["employer"]
    for n in (1, 2):
        for key in ("leader", "participant", "partner", "co_leader"):
            yield objects[f"set{n}"][key]


def sign_in(client, role: str, person) -> None:
    """Open the session ``role`` stands for: staff strongly (password + second factor)
    or weakly (password only, magic link only); others by magic link."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from interra.accounts.decorators import PASSWORD_SESSION_KEY

    if person is None:
        return
    client.force_login(person, backend="interra.accounts.backends.EmailOrPhoneBackend")
    session = client.session
    if role in ("vol", "coord", "namur", "admin"):
        device = StaticDevice.objects.filter(user=person, confirmed=True).first()
        session[PASSWORD_SESSION_KEY] = True
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    elif role == "coord_pw":
        session[PASSWORD_SESSION_KEY] = True
    session.save()


__all__ = ["World", "build_world", "sign_in", "Registration"]
