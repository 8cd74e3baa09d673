"""Messages are text: titles arrive as typed, links open where they say."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.utils import translation

from interra.accounts.models import Channel
from interra.notifications import sms
from interra.notifications.models import Message
from interra.notifications.rendering import render_message
from interra.notifications.services import notify
from tests.factories import UserFactory
from tests.proposals.factories import submit

pytestmark = pytest.mark.django_db

TITLE = "Pâtisserie d'Alep & thé <3"
ARABIC = "حلويات حلب & شاي"


def _links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def _follow(client, link: str):
    parts = urlsplit(link)
    return client.get(f"{parts.path}?{parts.query}", follow=True)


def test_sms_shows_the_title_as_typed_and_its_link_opens_my_proposals(city, client):
    submit(city, title=TITLE, language="fr", ui_language="fr")
    assert len(sms.outbox) == 1
    text = sms.outbox[0].body
    assert TITLE in text, text
    for escaped in ("&amp;", "&#x27;", "&#39;", "&lt;", "&quot;"):
        assert escaped not in text
    [link] = _links(text)
    response = _follow(client, link)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/proposals/mine/")
    assert response.wsgi_request.path == "/proposals/mine/"
    assert response.wsgi_request.user.phone == "+32470123456"


def test_email_subject_and_body_are_not_escaped_in_arabic(city, client):
    proposal = submit(city, title=ARABIC, phone="", email="amira@example.org")
    [email] = mail.outbox
    assert ARABIC in email.body
    assert "&amp;" not in email.body and "&amp;" not in email.subject
    [link] = _links(email.body)
    assert "&next=/proposals/mine/" in link
    response = _follow(client, link)
    assert response.wsgi_request.path == "/proposals/mine/"
    assert response.wsgi_request.user == proposal.leader


def test_every_message_template_renders_text_unescaped():
    """All templates, all apps: a context full of HTML-special characters stays as typed."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "src" / "interra"
    names = sorted({p.parent.name for p in root.glob("*/templates/notifications/*/body.txt")})
    assert len(names) >= 15
    person = UserFactory(display_name="Zoë O'Neil & co", preferred_language="fr")
    nasty = "A&B <b> \"q\" l'été"
    whatsapp_links = []
    for name in names:
        message = Message(recipient=person, template=name, language="fr", context={
            "title": nasty, "workshop": nasty, "room": nasty, "venue": nasty,
            "place": nasty, "message": nasty, "reason": "", "stage": "new",
            "starts_at": "2026-12-02T17:00:00+00:00", "ends_at": "2026-12-02T19:00:00+00:00",
            "previous_starts_at": "2026-12-01T17:00:00+00:00", "seats": 1,
            "link": "https://x.example/r/1/?a=1&b=2", "portal_path": "/venues/portal/",
            "bookings_path": "/venues/bookings/", "leader": "Sam", "city": nasty,
            "whatsapp_number": "+32470123456",
            "session_link": "https://x.example/agenda/12345/",
            "organisation": nasty,
        })
        rendered = render_message(message)
        for part in ("subject", "body", "sms"):
            assert "&amp;" not in rendered[part] and "&lt;" not in rendered[part], (name, part)
            assert "&#x27;" not in rendered[part], (name, part)
            # A WhatsApp link's text, once decoded, is the title as typed (escaped before
            # encoding, it would hide "&amp;" as "%26amp%3B").
            for link in re.findall(r"https://wa\.me/\S+", rendered[part]):
                texts = parse_qs(urlsplit(link).query).get("text", [])
                assert all(nasty in text for text in texts), (name, part, link)
                whatsapp_links.append(name)
        assert "A&B" in rendered["subject"] + rendered["body"] or name in {
            "magic_link", "proposal_stage_changed", "session_cancelled", "feedback_request",
            "proposal_received", "proposal_co_leader",
            "registration_links",  # a list of links, no title
            "badge_earned"}, name  # a badge's name, nothing people typed
    assert {"session_reminder", "registration_confirmed"} <= set(whatsapp_links)


def test_a_sign_in_message_by_sms_has_a_working_link(client):
    person = UserFactory(email=None, phone="+32470111222", preferred_channel=Channel.SMS)
    with translation.override("fr"):
        notify(person=person, template="magic_link", context={"sign_in_next": "/accounts/me/"})
    [link] = _links(sms.outbox[0].body)
    response = _follow(client, link)
    assert response.wsgi_request.user == person
    assert response.wsgi_request.path == "/accounts/me/"


def test_every_link_in_every_message_opens_a_page(city, client):
    """Render every template with a real registration's context; tap every link."""
    from pathlib import Path

    from interra.agenda.services import _message_context
    from tests.factories import RegistrationFactory, SessionFactory

    registration = RegistrationFactory(session=SessionFactory(workshop__city=city))
    context = {**_message_context(registration), "stage": "new", "reason": "",
               "room": "Salle", "venue": "Maison", "workshop": "Cuisine",
               "portal_path": "/venues/portal/", "bookings_path": "/venues/bookings/",
               "leader": "Sam",
               "previous_starts_at": context_date(), "ends_at": context_date()}
    root = Path(__file__).resolve().parents[2] / "src" / "interra"
    names = sorted({p.parent.name for p in root.glob("*/templates/notifications/*/body.txt")})
    tapped = set()
    for name in names:
        signs_in = name == "magic_link" or name.startswith("proposal_")
        message = Message(recipient=registration.person, template=name, language="fr",
                          context={**context, "sign_in_next": "/proposals/mine/"}
                          if signs_in else context)
        rendered = render_message(message)
        for link in _links(rendered["body"] + " " + rendered["sms"]):
            link = link.rstrip(".,")
            if link in tapped:
                continue
            tapped.add(link)
            client.logout()
            response = _follow(client, link)
            assert response.status_code == 200, (name, link, response.status_code)
    assert len(tapped) >= 6


def context_date():
    return "2027-12-01T17:30:00+00:00"
