"""Demo people: the Liège team, about 25 leaders and a few hundred participants."""

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from interra.accounts.models import Channel, Group, User

ORDER = 10

DEMO_TOTP_KEY_HEX = "48656c6c6f21deadbeef"  # base32: JBSWY3DPEHPK3PXP
DEMO_BACKUP_CODES = [f"{d}" * 8 for d in range(1, 10)]
DEMO_VOLUNTEER_PASSWORD = "demo-volunteer"

FIRST_NAMES = {
    "ar": ["Hachem", "Amira", "Youssef", "Fatima", "Omar", "Rania", "Khaled", "Layla", "Samir",
           "Nour", "Karim", "Salma"],
    "fa": ["Ahmad", "Zahra", "Mohammad", "Maryam", "Ali", "Parisa", "Reza", "Shirin"],
    "ps": ["Gul", "Malalai", "Zarif", "Nazaneen"],
    "uk": ["Olena", "Andriy", "Iryna", "Taras", "Oksana", "Dmytro", "Natalia"],
    "ru": ["Svetlana", "Igor", "Anna"],
    "tr": ["Elif", "Mehmet", "Ayşe", "Emre"],
    "ti": ["Senait", "Tesfay", "Helen", "Yonas", "Mebrat"],
    "es": ["Lucía", "Carlos", "Valentina"],
    "fr": ["Julie", "Elisa", "Lara", "Marc", "Sophie", "Thomas", "Camille", "Nicolas", "Chloé",
           "Antoine", "Manon", "Julien", "Léa", "Pierre", "Emma", "Louis", "Inès", "Hugo",
           "Sarah", "Maxime", "Aurélie", "Benoît", "Pauline", "Quentin"],
    "nl": ["Lotte", "Pieter", "Anke", "Joris"],
    "en": ["Grace", "Daniel"],
}
LAST_NAMES = ["Lambert", "Dubois", "Renard", "Lejeune", "Martin", "Collard", "Simon", "Dumont",
              "Haddad", "Karimi", "Shevchenko", "Tesfaye", "Yilmaz", "Rahimi", "Benali",
              "Kovalenko", "Gebremedhin", "Noori", "Mertens", "Peeters", "Garcia", "Jansen",
              "Hosseini", "Mansour", "Bondarenko", "Wauters", "Leclercq", "Delvaux"]
PHONE_BLOCKS = {"leader": 100000, "participant": 200000, "volunteer": 300000}
NEWCOMER_LANGUAGES = ["ar", "fa", "ps", "uk", "ru", "tr", "ti", "es"]
LOCAL_LANGUAGES = ["fr", "fr", "fr", "nl", "en"]


def _person(rng, index, *, language, group, role_tag, with_email=None):
    first = rng.choice(FIRST_NAMES[language])
    last = rng.choice(LAST_NAMES)
    has_email = with_email if with_email is not None else rng.random() < 0.6
    spoken = sorted({language, *(["fr"] if group == Group.LOCAL or rng.random() < 0.6 else [])})
    slug = f"{role_tag}{index:03d}"
    return User(
        display_name=f"{first} {last}",
        email=f"{slug}@demo.interra.example" if has_email else None,
        phone=f"+32470{index + PHONE_BLOCKS[role_tag]:06d}",
        preferred_language=language,
        spoken_languages=spoken,
        group=group,
        preferred_channel=Channel.EMAIL if has_email else Channel.SMS,
        password=make_password(None),
    )


def seed(ctx):
    rng = ctx.rng
    julie = User.objects.create_user(
        email="julie@interra.example", password="demo-coordinator",
        display_name="Julie Lambert", preferred_language="fr", spoken_languages=["fr", "en"],
        phone="+32470400001",
    )
    elisa = User.objects.create_user(
        email="elisa@interra.example", password="demo-coordinator",
        display_name="Elisa Renard", preferred_language="fr", spoken_languages=["fr", "es"],
        phone="+32470400002",
    )
    admin = User.objects.create_user(
        email="admin@interra.example", password="demo-admin", display_name="Network Admin",
        is_network_admin=True, is_staff=True, is_superuser=True,
    )
    for person in (julie, elisa, admin):
        TOTPDevice.objects.create(user=person, name="demo", key=DEMO_TOTP_KEY_HEX, confirmed=True)
        backup = StaticDevice.objects.create(user=person, name="backup", confirmed=True)
        StaticToken.objects.bulk_create(
            [StaticToken(device=backup, token=code) for code in DEMO_BACKUP_CODES]
        )
    volunteers = User.objects.bulk_create([
        _person(rng, i, language=rng.choice(["fr", "fr", "nl", "ar"]), group=Group.LOCAL,
                role_tag="volunteer", with_email=True)
        for i in range(1, 5)
    ])
    # Volunteers see leaders' contacts: like coordinators, they sign in with a password
    # and a second factor (the same demo key and backup codes, printed by demo_links).
    volunteer_password = make_password(DEMO_VOLUNTEER_PASSWORD)
    for volunteer in volunteers:
        volunteer.password = volunteer_password
    User.objects.bulk_update(volunteers, ["password"])
    for person in volunteers:
        TOTPDevice.objects.create(user=person, name="demo", key=DEMO_TOTP_KEY_HEX, confirmed=True)
        backup = StaticDevice.objects.create(user=person, name="backup", confirmed=True)
        StaticToken.objects.bulk_create(
            [StaticToken(device=backup, token=code) for code in DEMO_BACKUP_CODES]
        )
    leaders = []
    for i in range(1, 26):
        newcomer = i % 5 != 0 and i % 3 != 0  # about two thirds newcomers
        language = rng.choice(NEWCOMER_LANGUAGES if newcomer else LOCAL_LANGUAGES)
        leaders.append(_person(rng, i, language=language,
                               group=Group.NEWCOMER if newcomer else Group.LOCAL,
                               role_tag="leader"))
    leaders = User.objects.bulk_create(leaders)
    participants = []
    for i in range(1, 301):
        roll = rng.random()
        group = Group.NEWCOMER if roll < 0.45 else Group.LOCAL if roll < 0.9 else (
            Group.UNDISCLOSED if roll < 0.97 else "")
        language = rng.choice(NEWCOMER_LANGUAGES if group == Group.NEWCOMER else LOCAL_LANGUAGES)
        participants.append(_person(rng, i, language=language, group=group,
                                    role_tag="participant"))
    participants = User.objects.bulk_create(participants)
    ctx["coordinators"] = [julie, elisa]
    ctx["network_admin"] = admin
    ctx["volunteers"] = volunteers
    ctx["leaders"] = leaders
    ctx["participants"] = participants
