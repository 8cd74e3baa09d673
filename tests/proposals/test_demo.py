import pytest
from django.db.models import Count

from interra.accounts import demo as accounts_demo
from interra.cities import demo as cities_demo
from interra.demo.registry import DemoContext
from interra.proposals import demo as proposals_demo
from interra.proposals.models import Proposal, Stage, Task, Workshop

pytestmark = pytest.mark.django_db


def _seed():
    ctx = DemoContext(seed=2026)
    for module in (accounts_demo, cities_demo, proposals_demo):
        module.seed(ctx)
    return ctx


def test_demo_has_every_stage_tasks_notes_and_forty_workshops():
    ctx = _seed()
    stages = dict(Proposal.objects.values_list("stage").annotate(n=Count("pk")))
    assert set(stages) == set(Stage.values)
    assert len(ctx["workshops"]) == 40
    assert {w.city_id for w in ctx["workshops"]} == {ctx["city"].pk}
    assert len({w.theme for w in ctx["workshops"]}) >= 10
    assert Workshop.objects.filter(title__has_key="fr").count() >= 30
    assert Task.objects.filter(done_at__isnull=True).exists()
    assert Task.objects.filter(done_at__isnull=False).exists()
    assert all(p.history.exists() for p in Proposal.objects.all())
    assert Proposal.objects.filter(city=ctx["other_city"]).exists()
    assert proposals_demo.ORDER == 30


def test_demo_is_deterministic():
    _seed()
    first = list(Proposal.objects.order_by("pk").values_list("title", "stage", "leader__phone"))
    Task.objects.all().delete()
    Proposal.objects.all().delete()
    Workshop.objects.all().delete()
    from interra.accounts.models import User
    from interra.cities.models import City

    City.objects.all().delete()
    User.objects.all().delete()
    _seed()
    second = list(Proposal.objects.order_by("pk").values_list("title", "stage", "leader__phone"))
    assert first == second
