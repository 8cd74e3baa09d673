"""Demo proposals at every stage, with their tasks, notes and history, and about forty
accepted workshops in Liège (``ctx["workshops"]``, used by the agenda's demo).

Written straight to the database (no messages go out); deterministic through ``ctx.rng``.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from interra.proposals.models import (
    Audience,
    Note,
    Proposal,
    RoomKind,
    Stage,
    StageChange,
    Task,
    TaskKind,
    Theme,
    TimeOfDay,
    Weekday,
    WorkshopFormat,
    title_key,
)
from interra.proposals.models import Workshop as WorkshopModel

ORDER = 30

# (theme, room, French title, French description, {language: title in that language})
IDEAS = [
    (Theme.COOKING, RoomKind.KITCHEN, "Cuisine syrienne en famille",
     "Préparer ensemble le kebbé et le fattouch, puis partager le repas.",
     {"ar": "مطبخ سوري عائلي"}),
    (Theme.COOKING, RoomKind.KITCHEN, "Pain afghan au four",
     "Pétrir et cuire le naan afghan, et parler des fêtes du pays.",
     {"fa": "نان افغانی در تنور"}),
    (Theme.COOKING, RoomKind.KITCHEN, "Bortsch et varenyky",
     "La soupe et les raviolis ukrainiens, de la découpe à la table.",
     {"uk": "Борщ і вареники"}),
    (Theme.COOKING, RoomKind.KITCHEN, "Injera et cuisine érythréenne",
     "Faire l'injera et goûter les plats à partager avec les mains.",
     {"ti": "እንጀራን ምግቢ ኤርትራን"}),
    (Theme.COOKING, RoomKind.KITCHEN, "Gaufres de Liège",
     "La vraie recette, au sucre perlé, pour petits et grands.", {}),
    (Theme.ART, RoomKind.STUDIO, "Calligraphie arabe",
     "Tracer les lettres au calame, de l'alphabet à un premier mot.",
     {"ar": "الخط العربي"}),
    (Theme.ART, RoomKind.STUDIO, "Peinture pétrykivka",
     "Les motifs floraux ukrainiens, au pinceau et au doigt.",
     {"uk": "Петриківський розпис"}),
    (Theme.ART, RoomKind.STUDIO, "Aquarelle au bord de la Meuse",
     "Peindre les ponts de Liège, sans expérience nécessaire.", {}),
    (Theme.SPORT, RoomKind.SPORTS_HALL, "Cricket pour débutants",
     "Les règles, la batte et un premier match amical.",
     {"ps": "د پیل کوونکو لپاره کرکټ"}),
    (Theme.SPORT, RoomKind.OUTDOORS, "Course à pied au parc de la Boverie",
     "Courir à son rythme, en groupe, le samedi matin.", {}),
    (Theme.SPORT, RoomKind.SPORTS_HALL, "Volley-ball mixte",
     "Jouer ensemble, tous niveaux, et apprendre les mots du jeu.",
     {"fa": "والیبال مختلط"}),
    (Theme.MUSIC, RoomKind.QUIET_ROOM, "Chants kurdes et arabes",
     "Apprendre une chanson traditionnelle et son histoire.",
     {"ar": "أغاني كردية وعربية"}),
    (Theme.MUSIC, RoomKind.STUDIO, "Percussions d'Afrique de l'Est",
     "Rythmes du kebero et de la darbouka, instruments fournis.",
     {"ti": "ናይ ምብራቕ ኣፍሪቃ ከበሮ"}),
    (Theme.MUSIC, RoomKind.QUIET_ROOM, "Chorale du quartier",
     "Chanter en plusieurs langues, sans savoir lire la musique.", {}),
    (Theme.DANCE, RoomKind.STUDIO, "Danse dabké",
     "La danse en ligne du Levant, pour les fêtes et pour le plaisir.",
     {"ar": "دبكة"}),
    (Theme.DANCE, RoomKind.STUDIO, "Hopak pour tous",
     "Les pas de base de la danse ukrainienne, dans la bonne humeur.",
     {"uk": "Гопак для всіх"}),
    (Theme.DISCUSSION, RoomKind.QUIET_ROOM, "Café philo : qu'est-ce que chez soi ?",
     "Une question, un thé, et chacun parle à son rythme.", {}),
    (Theme.DISCUSSION, RoomKind.QUIET_ROOM, "Contes persans et leur sagesse",
     "Écouter et raconter les histoires de Rûmî et de Saadi.",
     {"fa": "قصه‌های فارسی"}),
    (Theme.CRAFTS, RoomKind.STUDIO, "Tricot et crochet",
     "Apprendre les points de base et finir une petite écharpe.",
     {"tr": "Örgü ve tığ işi"}),
    (Theme.CRAFTS, RoomKind.STUDIO, "Broderie palestinienne",
     "Le point de croix tatreez, motif par motif.", {"ar": "التطريز الفلسطيني"}),
    (Theme.CRAFTS, RoomKind.STUDIO, "Réparer son vélo",
     "Crevaison, freins, chaîne : on apprend en réparant.", {}),
    (Theme.LANGUAGES, RoomKind.QUIET_ROOM, "Premiers mots d'arabe",
     "Saluer, se présenter, compter : l'arabe du quotidien.",
     {"ar": "أولى الكلمات العربية"}),
    (Theme.LANGUAGES, RoomKind.QUIET_ROOM, "Table de conversation en français",
     "Parler français sans peur, autour d'un café.", {}),
    (Theme.LANGUAGES, RoomKind.QUIET_ROOM, "Découvrir le turc",
     "Les sons, les salutations et quelques chansons.", {"tr": "Türkçeyi keşfet"}),
    (Theme.NATURE, RoomKind.OUTDOORS, "Potager partagé",
     "Semer, planter et récolter au jardin du quartier.", {"es": "Huerto compartido"}),
    (Theme.NATURE, RoomKind.OUTDOORS, "Balade des plantes sauvages",
     "Reconnaître les plantes comestibles des coteaux.", {}),
    (Theme.DIGITAL, RoomKind.QUIET_ROOM, "Mon smartphone au quotidien",
     "Installer les applis utiles, protéger ses données.",
     {"ru": "Мой смартфон каждый день"}),
    (Theme.DIGITAL, RoomKind.QUIET_ROOM, "Écrire son CV sur ordinateur",
     "Un CV clair, en français, avec un modèle simple.", {"fa": "نوشتن رزومه"}),
    (Theme.WELLBEING, RoomKind.QUIET_ROOM, "Yoga doux",
     "Respirer, s'étirer, se détendre : accessible à tous les corps.", {}),
    (Theme.WELLBEING, RoomKind.QUIET_ROOM, "Massage des mains et du visage",
     "Gestes simples pour soi et pour les autres.", {"es": "Masaje de manos y cara"}),
    (Theme.OTHER, RoomKind.QUIET_ROOM, "Jeux de société du monde",
     "Backgammon, mancala, jeux de cartes : on apprend en jouant.",
     {"tr": "Dünyadan kutu oyunları"}),
    (Theme.OTHER, RoomKind.STUDIO, "Photographie au téléphone",
     "Cadrer, éclairer et raconter la ville en images.", {"uk": "Фото на телефон"}),
]

# How many demo proposals sit in each stage (accepted ones and later carry a workshop).
STAGE_PLAN = [
    (Stage.NEW, 8), (Stage.IN_CONVERSATION, 5), (Stage.ACCEPTED, 6),
    (Stage.IN_PREPARATION, 10), (Stage.READY, 6), (Stage.SCHEDULED, 8),
    (Stage.RUNNING, 10), (Stage.DECLINED, 3), (Stage.WITHDRAWN, 2),
]
PIPELINE = [Stage.NEW, Stage.IN_CONVERSATION, Stage.ACCEPTED, Stage.IN_PREPARATION,
            Stage.READY, Stage.SCHEDULED, Stage.RUNNING]
WITH_WORKSHOP = {Stage.ACCEPTED, Stage.IN_PREPARATION, Stage.READY, Stage.SCHEDULED,
                 Stage.RUNNING}
DECLINE_REASONS = [
    "Nous avons déjà trois ateliers de ce type ce trimestre ; reparlons-en en septembre.",
    "Nous ne trouvons pas de lieu adapté pour l'instant.",
    "Le groupe demandé est trop grand pour nos salles.",
]
NOTES = [
    "Appelée ce matin, très motivée. Préfère être contactée sur WhatsApp.",
    "Parle un peu français ; un bénévole arabophone peut l'accompagner au premier rendez-vous.",
    "Le centre culturel d'Outremeuse pourrait prêter sa cuisine le mercredi.",
    "A déjà animé cet atelier dans une association à Bruxelles.",
    "Besoin d'une salle accessible en chaise roulante pour une participante.",
]


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(ctx):
    rng = ctx.rng
    city = ctx["city"]
    other_city = ctx["other_city"]
    julie, elisa = ctx["coordinators"]
    volunteers = list(ctx["volunteers"])
    leaders = list(ctx["leaders"])
    team = [julie, *volunteers]
    today = ctx.today
    workshops, running = [], []
    count = 0
    for stage, how_many in STAGE_PLAN:
        for _index in range(how_many):
            theme, room, title_fr, description_fr, translations = IDEAS[count % len(IDEAS)]
            leader = leaders[count % len(leaders)]
            count += 1
            own = next(iter(translations), "fr")
            # Most demo proposals already carry a French version (the team added it).
            with_french = own == "fr" or rng.random() < 0.8
            title = {own: translations.get(own, title_fr)}
            description = {own: description_fr} if own == "fr" else {own: translations[own]}
            if with_french:
                title["fr"] = title_fr
                description["fr"] = description_fr
            age_days = rng.randint(3, 120)
            if stage == Stage.RUNNING:
                # Running workshops have held sessions since 150 days ago (agenda demo):
                # their proposals came first, or the impact page shows negative delays.
                age_days += 160
            created_on = today - timedelta(days=age_days)
            proposal = Proposal.objects.create(
                city=city, leader=leader, language=own,
                languages=sorted({own, *leader.spoken_languages}),
                theme=theme, title=title, description=description,
                title_key=title_key(title[own]),
                audience=rng.choice([Audience.EVERYONE, Audience.EVERYONE, Audience.ADULTS,
                                     Audience.FAMILIES, Audience.WOMEN]),
                group_size=rng.choice([8, 10, 12, 15, 20]),
                room_kind=room,
                equipment=rng.choice(["", "un four", "un projecteur", "des tapis", "des tables"]),
                materials=rng.choice(["", "ingrédients", "papier et encres", "laine", ""]),
                budget=rng.choice([None, None, 30, 50, 80]),
                available_days=sorted(rng.sample(Weekday.values, rng.randint(1, 3))),
                available_times=sorted(rng.sample(TimeOfDay.values, rng.randint(1, 2))),
                neighbourhoods=sorted(rng.sample(city.neighbourhoods, 2)),
                stage=stage,
                assignee=None if stage == Stage.NEW else rng.choice(team),
            )
            history = _history(proposal, stage, created_on, julie, leader, rng)
            StageChange.objects.bulk_create(history)
            proposal.stage_changed_at = history[-1].at
            proposal.stage_reason = history[-1].reason
            Proposal.objects.filter(pk=proposal.pk).update(
                created_at=_at(created_on), stage_changed_at=proposal.stage_changed_at,
                stage_reason=proposal.stage_reason,
            )
            if rng.random() < 0.6:
                Note.objects.create(proposal=proposal, author=rng.choice(team),
                                    text=rng.choice(NOTES))
            if stage in WITH_WORKSHOP:
                workshop = WorkshopModel.objects.create(
                    city=city, leader=leader, theme=theme, title=dict(title),
                    description=dict(description), languages=proposal.languages,
                    beginner_french_welcome=rng.random() < 0.85,
                    audience=proposal.audience, group_size=proposal.group_size,
                    needs=proposal.needs_summary(),
                    format=rng.choice([WorkshopFormat.ONE_OFF, WorkshopFormat.SERIES]),
                )
                Proposal.objects.filter(pk=proposal.pk).update(workshop=workshop)
                workshops.append(workshop)
                if stage == Stage.RUNNING:
                    running.append(workshop)
                _tasks(proposal, stage, history[2].at.date(), team, rng, today)
    # Two leaders of running workshops are trusted to book their next sessions (the
    # autonomy app records the coordinator's decision; venues books as they did).
    ctx["trusted_workshops"] = list(running[:2])
    # A small second city, to show that a coordinator sees only their own.
    leader = leaders[-1]
    namur = Proposal.objects.create(
        city=other_city, leader=leader, language="fr", languages=["fr"],
        theme=Theme.NATURE, title={"fr": "Jardin de plantes médicinales"},
        description={"fr": "Cultiver et reconnaître les plantes qui soignent."},
        title_key=title_key("Jardin de plantes médicinales"), room_kind=RoomKind.OUTDOORS,
        stage=Stage.NEW, assignee=elisa,
    )
    StageChange.objects.create(proposal=namur, actor=leader, to_stage=Stage.NEW)
    ctx["workshops"] = workshops
    ctx["proposals_count"] = count + 1


def _history(proposal, stage, created_on, coordinator, leader, rng):
    """The stage changes that brought ``proposal`` to ``stage``, spread over its age."""
    if stage in (Stage.DECLINED, Stage.WITHDRAWN):
        path = [Stage.NEW, Stage.IN_CONVERSATION, stage]
    else:
        path = PIPELINE[: PIPELINE.index(stage) + 1]
    changes = []
    day = created_on
    previous = ""
    for index, to_stage in enumerate(path):
        actor = leader if index == 0 or to_stage == Stage.WITHDRAWN else coordinator
        reason = ""
        if to_stage == Stage.DECLINED:
            reason = rng.choice(DECLINE_REASONS)
        elif to_stage == Stage.WITHDRAWN:
            reason = "Je commence une formation et n'ai plus le temps."
        changes.append(StageChange(proposal=proposal, actor=actor, from_stage=previous,
                                   to_stage=to_stage, reason=reason, at=_at(day, 9 + index)))
        previous = to_stage
        day = min(day + timedelta(days=rng.randint(1, 6)), timezone.localdate())
    return changes


def _tasks(proposal, stage, accepted_on, team, rng, today):
    """Tasks as acceptance creates them; done according to how far the proposal went."""
    kinds = [TaskKind.MEET, TaskKind.ROOM, TaskKind.MATERIALS]
    if "fr" not in proposal.title:
        kinds.append(TaskKind.TRANSLATE)
    kinds += [TaskKind.PUBLIC, TaskKind.POSTER]
    due = {TaskKind.MEET: 7, TaskKind.TRANSLATE: 10, TaskKind.ROOM: 14,
           TaskKind.MATERIALS: 21, TaskKind.POSTER: 21, TaskKind.PUBLIC: 28}
    tasks = []
    for kind in kinds:
        if stage in (Stage.SCHEDULED, Stage.RUNNING):
            done = True
        elif stage == Stage.READY:
            done = kind not in (TaskKind.PUBLIC, TaskKind.POSTER) or rng.random() < 0.3
        elif stage == Stage.IN_PREPARATION:
            done = kind == TaskKind.MEET or rng.random() < 0.35
        else:
            done = False
        assignee = rng.choice(team) if rng.random() < 0.85 else None
        done_by = assignee or team[0]
        tasks.append(Task(
            proposal=proposal, kind=kind, assignee=assignee,
            due_on=accepted_on + timedelta(days=due[kind]),
            done_at=_at(min(accepted_on + timedelta(days=due[kind] - 2), today), 15)
            if done else None,
            done_by=done_by if done else None,
        ))
    Task.objects.bulk_create(tasks)
