"""WhatsApp links (share, click to chat) in pages and messages: each link is decoded and
compared with what a person must read, in French, Arabic and Tigrinya."""

import html
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from interra.agenda.services import send_due_reminders
from interra.core import whatsapp
from interra.notifications.models import Message
from interra.notifications.rendering import render_message
from tests.factories import (
    CityFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db

TITLE = "Pâtisserie d'Alep & thé <3"
ARABIC = "حلويات حلب & شاي"
NUMBER = "+32470123456"
# Large enough that a number formatted for French ("12 345", "12.345") would show.
PK = 123456


def _wa_links(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="(https://wa\.me/[^"]*)"', page)]


def _decoded(link: str) -> tuple[str, str]:
    """(the number, or "" for a share link; the text once decoded)."""
    parts = urlsplit(link)
    assert parts.scheme == "https" and parts.netloc == "wa.me"
    assert "+" not in parts.query  # spaces as %20: a "+" would show as a plus
    [text] = parse_qs(parts.query, strict_parsing=True)["text"]
    return parts.path.strip("/"), text


@pytest.fixture
def session(db):
    city = CityFactory(name="Liège", slug="liege", whatsapp_number=NUMBER)
    workshop = WorkshopFactory(city=city, title={"fr": TITLE, "ar": ARABIC})
    return SessionFactory(pk=PK, workshop=workshop)


def test_the_number_is_stored_in_international_form_whatever_its_spaces():
    city = CityFactory.build(name="Verviers", slug="verviers",
                             whatsapp_number="0032 (0)470 12.34-56")
    city.full_clean()
    assert city.whatsapp_number == NUMBER
    for wrong in ("0470 12 34 56", "+0470123456", "+32 470 abc", "+3247012345678901"):
        city.whatsapp_number = wrong
        with pytest.raises(ValidationError) as refused:
            city.full_clean()
        assert "whatsapp_number" in refused.value.message_dict
    city.whatsapp_number = ""
    city.full_clean()  # optional


def test_links_encode_every_character_once():
    assert whatsapp.chat_url(NUMBER) == "https://wa.me/32470123456"
    assert whatsapp.chat_url("0470123456") == ""
    link = whatsapp.share_url(f"{TITLE}\nhttps://x.example/?a=1&b=2")
    assert link == ("https://wa.me/?text=P%C3%A2tisserie%20d%27Alep%20%26%20th%C3%A9%20%3C3"
                    "%0Ahttps%3A%2F%2Fx.example%2F%3Fa%3D1%26b%3D2")
    assert _decoded(link) == ("", f"{TITLE}\nhttps://x.example/?a=1&b=2")


@pytest.mark.parametrize("language,title", [("fr", TITLE), ("ar", ARABIC), ("ti", TITLE)])
def test_session_page_shares_its_absolute_address_and_asks_the_antenna(
        client, session, language, title):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(f"/agenda/{PK}/").content.decode()
    address = f"{settings.SITE_URL}/agenda/{PK}/"
    share, ask = _wa_links(page)
    number, text = _decoded(share)
    assert number == "" and title in text and text.endswith(address)
    number, text = _decoded(ask)
    assert number == "32470123456"
    assert title in text and text.endswith("\n" + address)


def test_without_a_number_the_page_offers_no_chat(client, session):
    session.city.whatsapp_number = ""
    session.city.save()
    page = client.get(f"/agenda/{PK}/").content.decode()
    assert [_decoded(link)[0] for link in _wa_links(page)] == [""]  # the share link only


@pytest.mark.parametrize("language,title", [("fr", TITLE), ("ar", ARABIC), ("ti", TITLE)])
def test_agenda_cards_share_each_session_in_the_visitors_language(
        client, session, language, title):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/agenda/").content.decode()
    [share] = _wa_links(page)
    number, text = _decoded(share)
    assert number == "" and title in text
    assert text.endswith(f"{settings.SITE_URL}/agenda/{PK}/")


def test_registration_page_asks_about_the_session_never_with_the_private_link(
        client, session):
    registration = RegistrationFactory(session=session)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(registration.get_absolute_url()).content.decode()
    [ask] = _wa_links(page)
    number, text = _decoded(ask)
    assert number == "32470123456" and TITLE in text
    assert text.endswith(f"{settings.SITE_URL}/agenda/{PK}/")
    assert registration.token not in ask


def test_leader_page_asks_about_the_proposal(client, session):
    from tests.proposals.factories import submit

    proposal = submit(session.city, title=TITLE, language="fr", ui_language="fr")
    client.force_login(proposal.leader, backend="sesame.backends.ModelBackend")
    page = client.get("/proposals/mine/").content.decode()
    [ask] = _wa_links(page)
    number, text = _decoded(ask)
    assert number == "32470123456" and TITLE in text


@pytest.mark.parametrize("language", ["fr", "ar", "ti"])
def test_reminder_offers_to_write_to_the_antenna_as_text(session, language):
    person = UserFactory(preferred_language=language, display_name="Zoë O'Neil & co")
    RegistrationFactory(session=session, person=person)
    send_due_reminders(now=session.starts_at - timedelta(hours=2))
    message = Message.objects.get(template="session_reminder", recipient=person)
    rendered = render_message(message)
    title = ARABIC if language == "ar" else TITLE
    [ask] = [link for link in re.findall(r"https://wa\.me/\S+", rendered["body"])]
    number, text = _decoded(ask)  # no HTML escaping: "&amp;" would decode as is
    assert number == "32470123456" and title in text and "&amp;" not in text
    assert text.endswith(f"\n{settings.SITE_URL}/agenda/{PK}/")
    # The SMS stays short: the bare link.
    assert "https://wa.me/32470123456" in rendered["sms"]
    assert "wa.me/32470123456?" not in rendered["sms"]


def test_no_number_no_whatsapp_in_messages(session):
    session.city.whatsapp_number = ""
    session.city.save()
    RegistrationFactory(session=session)
    send_due_reminders(now=session.starts_at - timedelta(hours=2))
    rendered = render_message(Message.objects.get(template="session_reminder"))
    assert "wa.me" not in rendered["body"] + rendered["sms"]
    assert "\n\n\n" not in rendered["body"]


def test_past_sessions_keep_their_links_valid(client, session):
    session.starts_at = timezone.now() - timedelta(days=1)
    session.ends_at = session.starts_at + timedelta(hours=2)
    session.save()
    page = client.get(f"/agenda/{PK}/").content.decode()
    [ask] = _wa_links(page)  # no share link once it took place; questions still welcome
    assert _decoded(ask)[0] == "32470123456"
