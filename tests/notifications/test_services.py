import pytest
from django.core import mail

from interra.accounts.models import Channel
from interra.notifications import sms
from interra.notifications.models import Message
from interra.notifications.services import notify
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_message_goes_by_email_in_the_recipients_language():
    person = UserFactory(email="a@example.org", preferred_language="ar")
    notify(person=person, template="magic_link", context={"link": "https://x.example/l"})
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["a@example.org"]
    assert email.extra_headers["Content-Language"] == "ar"
    assert any("\u0600" <= ch <= "\u06ff" for ch in email.subject), email.subject
    assert "https://x.example/l" in email.body
    assert Message.objects.get().status == Message.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_message_goes_by_sms_when_that_is_the_channel():
    person = UserFactory(email=None, phone="+32470111222", preferred_channel=Channel.SMS,
                         preferred_language="uk")
    notify(person=person, template="magic_link", context={"link": "https://x.example/l"})
    assert mail.outbox == []
    assert sms.outbox[0].to == "+32470111222"
    assert "https://x.example/l" in sms.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back():
    from django.db import transaction

    person = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(person=person, template="magic_link", context={"link": "x"})
        raise RuntimeError
    assert mail.outbox == [] and not Message.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_erased_person_gets_nothing():
    person = UserFactory(is_active=False)
    notify(person=person, template="magic_link", context={"link": "x"})
    assert mail.outbox == []
    assert Message.objects.get().status == Message.Status.SKIPPED
