import pytest
from django.core.management import CommandError, call_command

from interra.accounts.models import User
from interra.cities.models import City, Membership, Role
from interra.credentials.models import Portfolio


@pytest.mark.django_db
def test_demo_seeds_liege_and_refuses_to_seed_twice(capsys):
    call_command("seed_demo")
    liege = City.objects.get(slug="liege")
    assert Membership.objects.filter(city=liege, role=Role.LEADER).count() == 25
    assert Membership.objects.filter(city=liege, role=Role.PARTICIPANT).count() == 300
    assert Membership.objects.filter(city=liege, role=Role.COORDINATOR).count() == 1
    assert User.objects.filter(is_network_admin=True).count() == 1
    leaders = User.objects.filter(memberships__role=Role.LEADER)
    assert leaders.filter(group="newcomer").exists() and leaders.filter(group="local").exists()
    assert len(set(leaders.values_list("preferred_language", flat=True))) >= 4
    # The first leader's portfolio quotes participants who consented, two of them publicly.
    from interra.credentials import selectors as credentials

    quoting = [p for p in Portfolio.objects.all() if credentials.quotes_of(p).exists()]
    assert quoting and all(q.feedback.quote_consent for q in credentials.quotes_of(quoting[0]))
    assert credentials.quotes_of(quoting[0], public_only=True).count() == 2
    # Phone-only people exist, as in real life.
    assert User.objects.filter(email__isnull=True, phone__isnull=False).exists()
    with pytest.raises(CommandError):
        call_command("seed_demo")
    call_command("seed_demo", "--if-empty")
    assert City.objects.count() == 2
    call_command("demo_links")
    out = capsys.readouterr().out
    assert out.count("/accounts/link/?sesame=") >= 4
