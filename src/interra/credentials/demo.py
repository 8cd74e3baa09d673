"""Demo badges and portfolios: the agenda demo records attendance with bulk_create (no
signal), so the badges leaders have earned are issued once everything is seeded, without
messages. The first leader has two skills confirmed, a badge a coordinator gave for work
done before the platform, an attestation, quotes from participants who consented (two
of them public), and shows part of their portfolio."""

from . import services

ORDER = 95
DEMO_SKILLS = ("http://data.europa.eu/esco/skill/8bb1e784-f54f-48dd-aedd-23723e171898",
               "http://data.europa.eu/esco/skill/c10d5d87-36cf-42f5-8a12-e560fb5f4af8")


def seed(ctx):
    leaders = list(ctx.get("leaders", []))
    for leader in leaders:
        services.credentials_award_earned(person=leader, tell=False)
    if not leaders:
        return
    first = leaders[0]
    julie = ctx["coordinators"][0]
    for uri in DEMO_SKILLS:
        skill = services.skill_propose(person=first, esco_uri=uri)
        services.skill_decide(skill=skill, by=julie, confirm=True)
    services.skill_propose(person=first, label="Pâtisserie")
    if not first.credentials.filter(achievement="co_leader").exists():
        services.credential_award(person=first, achievement="co_leader", by=julie)
    services.attestation_issue(person=first)
    from . import selectors

    quotable = list(selectors.quotable_feedback(first).values_list("pk", flat=True)[:3])
    if quotable:
        services.portfolio_quotes_update(person=first, chosen=quotable, public=quotable[:2])
    services.portfolio_update(person=first, is_public=True, show_figures=True,
                              show_skills=True, show_badges=True)
