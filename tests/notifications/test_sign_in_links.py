"""Sign-in links are credentials: minted when the message is sent, never stored."""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from interra.accounts.models import Channel
from interra.notifications import sms
from interra.notifications.models import Message
from interra.notifications.services import messages_purge_old, notify
from tests.factories import UserFactory
from tests.proposals.factories import submit


def _every_text_value():
    """Every value of every column of every table, as text (the whole database)."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if value is not None:
                        yield table, value if isinstance(value, str) else str(value)


@pytest.mark.django_db(transaction=True)
def test_no_sign_in_token_is_anywhere_in_the_database_after_sending(city):
    proposal = submit(city, title="Pâtisserie d'Alep & thé")
    text = sms.outbox[0].body
    token = re.search(r"sesame=([^&\s]+)", text).group(1)
    assert len(token) > 20
    message = Message.objects.get(template="proposal_received")
    assert message.status == Message.Status.SENT
    assert message.context["sign_in_next"] == "/proposals/mine/"
    assert proposal.leader_id == message.recipient_id
    hits = [table for table, value in _every_text_value() if token in value]
    assert hits == []
    if connection.vendor == "sqlite":  # and the database files themselves, WAL included
        from pathlib import Path

        name = connection.settings_dict["NAME"]
        files = [Path(name), Path(f"{name}-wal")]
        assert files[0].exists()
        for path in files:
            if path.exists():
                assert token.encode() not in path.read_bytes(), path
    # The stored context still lets the message be sent again, with a fresh link.
    assert "link" not in message.context


@pytest.mark.django_db
def test_notify_refuses_a_context_holding_a_sign_in_link():
    person = UserFactory()
    with pytest.raises(ValueError):
        notify(person=person, template="magic_link",
               context={"link": "https://x.example/accounts/link/?sesame=abc"})


@pytest.mark.django_db
def test_migration_replaces_stored_links_by_where_they_led():
    migration = importlib.import_module(
        "interra.notifications.migrations.0003_forget_stored_sign_in_links")
    person = UserFactory(email=None, phone="+32470111222", preferred_channel=Channel.SMS)
    old = Message.objects.create(
        recipient=person, template="proposal_received", channel="sms", status="sent",
        context={"title": "x", "link": "http://127.0.0.1:8000/accounts/link/?sesame=SECRET"
                                       "TOKEN&next=/proposals/mine/"})
    plain = Message.objects.create(
        recipient=person, template="registration_confirmed", channel="sms", status="sent",
        context={"link": "http://127.0.0.1:8000/agenda/r/abc/"})
    migration.forget_links(apps, None)
    old.refresh_from_db()
    plain.refresh_from_db()
    assert old.context == {"title": "x", "sign_in_next": "/proposals/mine/"}
    assert plain.context == {"link": "http://127.0.0.1:8000/agenda/r/abc/"}  # not a credential
    assert not any("SECRETTOKEN" in value for _table, value in _every_text_value())


@pytest.mark.django_db
def test_old_messages_are_purged_after_the_retention_period(settings):
    settings.MESSAGE_RETENTION_DAYS = 90
    person = UserFactory()
    old = Message.objects.create(recipient=person, template="magic_link", status="sent")
    recent = Message.objects.create(recipient=person, template="magic_link", status="sent")
    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    Message.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=89))
    assert messages_purge_old() == 1
    assert list(Message.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_the_scheduler_purges_old_messages_and_retries_due_ones():
    from django.core.management import call_command

    person = UserFactory()
    old = Message.objects.create(recipient=person, template="magic_link", status="sent")
    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    call_command("run_scheduler", "--once")
    assert not Message.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_a_persons_messages_are_in_their_export_and_go_with_erasure():
    from interra.accounts.services import person_erase, person_export

    person = UserFactory(email="amira@example.org")
    other = UserFactory()
    notify(person=person, template="magic_link", context={"sign_in_next": "/"})
    notify(person=other, template="magic_link", context={"sign_in_next": "/"})
    exported = person_export(person=person)
    assert [m["template"] for m in str_keys(exported)["messages"]] == ["magic_link"]
    person_erase(person=person)
    # The row stays for the counts (messages by channel), without anything it said.
    assert list(Message.objects.filter(recipient=person).values_list("context", flat=True)) \
        == [{}]
    assert Message.objects.filter(recipient=other).count() == 1


def str_keys(exported):
    """The export nests app sections somewhere; find the "messages" one."""
    if "messages" in exported:
        return exported
    for value in exported.values():
        if isinstance(value, dict) and "messages" in value:
            return value
    raise AssertionError(f"no messages section in {list(exported)}")
