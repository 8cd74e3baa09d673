"""The same proposal sent twice at once (a double tap, two tabs) is saved once; the second
gets the friendly "we already have it" answer, never a 500."""

import threading

import pytest
from django.db import connection
from django.utils import translation
from django.utils.html import escape

from interra.cities.models import Membership
from interra.core.errors import Conflict
from interra.notifications.models import Message
from interra.proposals import services
from interra.proposals.models import Proposal

from .factories import submit
from .test_views import STEP1, STEP2, STEP3

DUPLICATE = ("You already sent a proposal with this title. We have it: no need to send it "
             "again.")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_make_one_proposal(city):
    """Two threads, two database connections, really committing, started together."""
    start = threading.Barrier(2, timeout=30)
    outcomes = []

    def send():
        try:
            start.wait()
            outcomes.append(submit(city, title="Cuisine syrienne"))
        except Exception as exc:  # noqa: BLE001 - the test looks at what each one got
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 2
    sent = [o for o in outcomes if isinstance(o, Proposal)]
    refused = [o for o in outcomes if not isinstance(o, Proposal)]
    assert len(sent) == 1, outcomes
    assert len(refused) == 1 and isinstance(refused[0], Conflict), outcomes
    assert refused[0].code == "duplicate"
    assert Proposal.objects.count() == 1
    # One person, one leader membership, one confirmation: nothing half-saved.
    assert Proposal.objects.get().leader.memberships.count() == 1
    assert Message.objects.filter(template="proposal_received").count() == 1


def _race(monkeypatch, city_title: str):
    """Commit a twin of the proposal right after the service's duplicate check, as another
    request would between that check and the insert (possible on PostgreSQL): only the
    database constraint stops the second one."""

    class RacingMembership:
        class objects:  # noqa: N801 - stands in for the manager
            @staticmethod
            def get_or_create(*, person, city, role):
                Proposal.objects.create(city=city, leader=person, language="ar",
                                        theme="cooking", title={"ar": city_title})
                return Membership.objects.get_or_create(person=person, city=city, role=role)

    monkeypatch.setattr(services, "Membership", RacingMembership)


@pytest.mark.django_db
def test_the_database_constraint_becomes_the_duplicate_error(city, monkeypatch):
    _race(monkeypatch, "Cuisine syrienne")
    with translation.override("en"), pytest.raises(Conflict) as error:
        submit(city, title="Cuisine syrienne")
    assert error.value.code == "duplicate" and error.value.status_code == 409
    assert error.value.message == DUPLICATE
    # The refused call left nothing behind, and the connection still works (on PostgreSQL
    # an IntegrityError outside a savepoint would have aborted the whole transaction).
    # The twin went too: here it was written in the refused call's own transaction.
    assert Proposal.objects.count() == 0
    assert not Message.objects.filter(template="proposal_received").exists()
    # Without the race, the same call goes through.
    monkeypatch.undo()
    assert submit(city, title="Cuisine syrienne").pk


@pytest.mark.django_db
def test_the_form_shows_the_duplicate_error_not_a_500(client, city, monkeypatch):
    assert client.post("/proposals/new/", {**STEP1, "city": city.pk}).status_code == 302
    assert client.post("/proposals/new/2/", STEP2).status_code == 302
    _race(monkeypatch, STEP2["title"])
    response = client.post("/proposals/new/3/", STEP3)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="form-errors"' in html
    with translation.override("fr"):
        assert escape(translation.gettext(DUPLICATE)) in html
    assert Proposal.objects.count() == 0
    # What was typed is still there: the screen is shown again, filled in.
    assert "proposal_draft" in client.session
