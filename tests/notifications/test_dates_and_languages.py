"""Dates in every language (CLDR through Babel), and Django's own messages in the
languages Django does not ship (Tigrinya, Pashto)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from interra.accounts.models import Channel
from interra.notifications import sms
from interra.notifications.models import Message
from interra.notifications.rendering import render_message
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
# Wednesday 1 December 2027, 18:30 in Brussels.
STARTS = datetime(2027, 12, 1, 18, 30, tzinfo=BRUSSELS)

FRENCH = ["janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre", "déc", "lundi", "mardi", "mercredi", "jeudi",
          "vendredi", "samedi", "dimanche", "matin", "après-midi"]
ENGLISH = ["January", "February", "March", "April", "June", "July", "August", "September",
           "October", "November", "December", "Dec", "Monday", "Tuesday", "Wednesday",
           "Thursday", "Friday", "Saturday", "Sunday", "Wed", "a.m.", "p.m."]


def date_words_in(text: str) -> list[str]:
    return [word for word in FRENCH + ENGLISH
            if re.search(rf"(?<![\w.]){re.escape(word)}(?!\w)", text, re.IGNORECASE)]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def _message(language, template="registration_confirmed", **context):
    person = UserFactory(display_name="Hana Tesfay", preferred_language=language,
                         email=None, phone="+32470111222", preferred_channel=Channel.SMS)
    return Message(recipient=person, template=template, language=language, context={
        "title": {"fr": "Cuisine"}, "starts_at": STARTS.isoformat(), "place": "Liège",
        "seats": 1, "link": "https://x.example/r/1/", **context})


@pytest.mark.parametrize("language", ["ti", "ps"])
def test_messages_in_tigrinya_and_pashto_have_no_french_or_english_date_words(language):
    rendered = render_message(_message(language))
    for part in ("subject", "body", "sms"):
        assert date_words_in(rendered[part]) == [], (part, rendered[part])
    month = {"ti": "ታሕሳስ", "ps": "دسمبر"}[language]
    assert month in rendered["sms"] and "2027" in rendered["sms"]


def test_arabic_sms_puts_the_day_before_the_month():
    text = render_message(_message("ar"))["sms"]
    assert "1 ديسمبر 2027" in text, text
    assert "ديسمبر 1," not in text


def test_ukrainian_uses_the_genitive_month():
    rendered = render_message(_message("uk"))
    assert "1 грудня 2027" in rendered["body"]
    assert "грудень" not in rendered["body"].lower()


def test_partner_messages_greet_by_name_and_show_local_dates():
    partner = UserFactory(display_name="Nadia Lambert", preferred_language="fr")
    message = Message(recipient=partner, template="booking_requested", language="fr", context={
        "room": "Salle 1", "venue": "Maison", "workshop": "Cuisine",
        "starts_at": STARTS.isoformat(), "ends_at": STARTS.replace(hour=20).isoformat(),
        "portal_path": "/venues/portal/"})
    with translation.override("en"):
        message.language = "en"
        rendered = render_message(message)
    assert rendered["body"].startswith("Hello Nadia Lambert,")
    assert "Wednesday, December 1, 2027" in rendered["body"]
    assert "2027-12-01" not in rendered["body"] + rendered["subject"] + rendered["sms"]
    assert "6:30" in rendered["body"] and "8:30" in rendered["body"]


def test_a_real_booking_message_uses_local_dates_not_iso(city):
    from interra.cities.models import Role
    from interra.venues.services import booking_request
    from tests.factories import RoomFactory, WorkshopFactory, coordinator, member

    room = RoomFactory(venue__partner__city=city, venue__city=city)
    contact = member(city, Role.PARTNER, display_name="Nadia Lambert", email="n@example.org",
                     preferred_language="fr")
    room.venue.partner.contacts.add(contact)
    boss = coordinator(city)
    workshop = WorkshopFactory(city=city)
    booking_request(room=room, workshop=workshop, starts_at=STARTS,
                    ends_at=STARTS.replace(hour=20), requested_by=boss)
    message = Message.objects.get(template="booking_requested", recipient=contact)
    body = render_message(message)["body"]
    assert "Nadia Lambert" in body.split("\n")[0]
    assert "2027-12-01" not in body
    assert "décembre 2027" in body


@pytest.mark.parametrize("language", ["ti", "ps"])
def test_pages_in_tigrinya_and_pashto_have_no_french_or_english_date_words(client, language):
    session = SessionFactory(starts_at=STARTS, ends_at=STARTS.replace(hour=20))
    client.cookies["django_language"] = language
    page = client.get(f"/agenda/{session.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert date_words_in(text) == [], date_words_in(text)
    assert {"ti": "ታሕሳስ", "ps": "دسمبر"}[language] in text
    listing = client.get("/agenda/?view=week&week=2027-11-29", HTTP_ACCEPT_LANGUAGE=language)
    assert listing.status_code == 200
    assert date_words_in(visible_text(listing.content.decode())) == []


@pytest.mark.parametrize("language", ["ti", "ps"])
def test_django_date_filter_speaks_tigrinya_and_pashto(language):
    """The global fix: Django's own |date (every page still using it) gets month and day
    names and formats from CLDR for the languages it does not ship."""
    template = Template('{{ d|date:"l j F Y" }} {{ d|date:"D j M, H:i" }} '
                        '{{ d|date:"SHORT_DATETIME_FORMAT" }} {{ d|date:"DATE_FORMAT" }}')
    with translation.override(language):
        text = template.render(Context({"d": STARTS}))
    assert date_words_in(text) == [], text
    assert {"ti": "ረቡዕ", "ps": "چهارشنبه"}[language] in text


@pytest.mark.parametrize("language", ["ti", "ps"])
def test_django_form_errors_are_not_french_in_tigrinya_and_pashto(language):
    with translation.override(language):
        errors = []
        for field, value in [(forms.CharField(), ""), (forms.EmailField(), "x"),
                             (forms.IntegerField(), "x"),
                             (forms.CharField(max_length=3), "abcd"),
                             (forms.DateField(), "x")]:
            try:
                field.clean(value)
            except forms.ValidationError as error:
                errors.extend(error.messages)
    assert len(errors) == 5
    with translation.override("fr"):
        try:
            forms.CharField().clean("")
        except forms.ValidationError as error:
            french_required = error.messages[0]
    assert french_required not in errors
    script = {"ti": r"[\u1200-\u137f]", "ps": r"[\u0600-\u06ff]"}[language]
    for message in errors:
        assert re.search(script, message), message
        assert "Ce champ" not in message and "Assurez-vous" not in message
        assert "Saisissez" not in message and "This field" not in message


def test_a_tigrinya_page_shows_the_form_error_in_tigrinya(client):
    client.cookies["django_language"] = "ti"
    response = client.post("/accounts/sign-in/", {"identifier": ""},
                           HTTP_ACCEPT_LANGUAGE="ti")
    text = response.content.decode()
    assert "Ce champ est obligatoire" not in text
    assert "እዚ ቦታ ክምላእ ኣለዎ።" in text


def test_tigrinya_sms_for_a_real_registration(city):
    from interra.agenda.services import registration_create

    session = SessionFactory(starts_at=STARTS, ends_at=STARTS.replace(hour=20),
                             workshop__city=city)
    person = UserFactory(email=None, phone="+32470999888", preferred_channel=Channel.SMS,
                         preferred_language="ti")
    registration_create(session=session, person=person)
    [text] = [s.body for s in sms.outbox]
    assert date_words_in(text) == [], text
    assert "ታሕሳስ" in text
