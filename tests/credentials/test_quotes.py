"""Issue 13: participants' quotes on a leader's portfolio (only with the participant's
explicit consent, never with a name, gone when the consent goes) and returning
participants among the figures."""

import io

import pytest
from django.conf import settings

from interra.agenda.models import Feedback
from interra.cities.models import Membership, Role
from interra.core.errors import DomainError
from interra.credentials import selectors, services
from interra.credentials.models import Achievement, PortfolioQuote
from tests.factories import RegistrationFactory, UserFactory, member

from .factories import held_sessions, leader

pytestmark = pytest.mark.django_db

ESCO_SKILL = "http://data.europa.eu/esco/skill/c10d5d87-36cf-42f5-8a12-e560fb5f4af8"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def comment(session, text, *, consent, name="Yasmin Participante"):
    person = UserFactory(display_name=name)
    registration = RegistrationFactory(session=session, person=person, attended=True)
    return Feedback.objects.create(registration=registration, rating=5, comment=text,
                                   quote_consent=consent)


@pytest.fixture
def amira(city):
    person = leader(preferred_language="en")
    Membership.objects.create(person=person, city=city, role=Role.LEADER)
    return person


@pytest.fixture
def sessions(amira, city):
    _workshop, sessions = held_sessions(amira, 2, city=city, present=0)
    return sessions


# --- The participant's consent -------------------------------------------------------------

def test_the_feedback_form_asks_for_consent_unticked_and_stores_only_an_explicit_yes(
        client, sessions):
    came = RegistrationFactory(session=sessions[0], attended=True)
    page = english(client).get(f"/agenda/r/{came.token}/feedback/").content.decode()
    assert 'name="quote_consent"' in page
    box = page.split('name="quote_consent"', 1)[1].split(">", 1)[0]
    assert "checked" not in box  # never ticked for them
    assert "without my name" in page
    response = client.post(f"/agenda/r/{came.token}/feedback/",
                           {"rating": "5", "comment": "Super atelier"})
    assert response.status_code == 302
    assert Feedback.objects.get(registration=came).quote_consent is False

    other = RegistrationFactory(session=sessions[0], attended=True)
    client.post(f"/agenda/r/{other.token}/feedback/",
                {"rating": "4", "comment": "J'ai appris à cuisiner", "quote_consent": "on"})
    assert Feedback.objects.get(registration=other).quote_consent is True
    # A yes without any comment quotes nothing: it is not kept.
    third = RegistrationFactory(session=sessions[0], attended=True)
    client.post(f"/agenda/r/{third.token}/feedback/", {"rating": "4", "quote_consent": "on"})
    assert Feedback.objects.get(registration=third).quote_consent is False


# --- The leader's choice -------------------------------------------------------------------

def test_the_leader_quotes_only_consented_comments_and_chooses_which_are_public(
        client, amira, sessions):
    yes = comment(sessions[0], "Une super soirée, merci !", consent=True)
    shy = comment(sessions[1], "Private words", consent=False, name="Karim Discret")
    also = comment(sessions[1], "I will come back", consent=True, name="Lena Autre")
    english(client).force_login(amira)
    page = client.get("/credentials/mine/").content.decode()
    assert "Une super soirée" in page and "I will come back" in page
    assert "Private words" not in page  # no consent: the leader cannot pick it here
    assert "Yasmin" not in page and "Lena" not in page  # quotes carry no name

    # A comment without consent, or on another leader's session, is refused whole.
    stranger = comment(held_sessions(leader(display_name="Other Leader"), 1)[1][0],
                       "Not yours", consent=True)
    for forbidden in (shy, stranger):
        with pytest.raises(DomainError):
            services.portfolio_quotes_update(person=amira, chosen=[yes.pk, forbidden.pk],
                                             public=[])
        assert not PortfolioQuote.objects.exists()

    response = client.post("/credentials/mine/quotes/",
                           {"chosen": [yes.pk, also.pk], "public": [yes.pk]})
    assert response.status_code == 302
    quotes = {q.feedback_id: q.is_public for q in selectors.quotes_of(amira.portfolio)}
    assert quotes == {yes.pk: True, also.pk: False}

    # Others see only the public quote, once the portfolio is public.
    services.portfolio_update(person=amira, is_public=True)
    client.logout()
    public = client.get(f"/credentials/p/{amira.portfolio.public_slug}/").content.decode()
    assert "Une super soirée, merci !" in public
    assert "I will come back" not in public and "Private words" not in public
    assert "Yasmin" not in public and "Lena" not in public
    # Unticked again: gone from the portfolio, and nothing public is left.
    client.force_login(amira)
    client.post("/credentials/mine/quotes/", {"chosen": [also.pk]})
    client.logout()
    assert client.get(f"/credentials/p/{amira.portfolio.public_slug}/").status_code == 404


def test_withdrawing_consent_from_my_data_removes_the_quote_everywhere(client, amira, sessions):
    yes = comment(sessions[0], "Merci pour la recette", consent=True)
    author = yes.registration.person
    services.portfolio_quotes_update(person=amira, chosen=[yes.pk], public=[yes.pk])
    services.portfolio_update(person=amira, is_public=True, show_figures=True)
    slug = amira.portfolio.public_slug
    assert "Merci pour la recette" in client.get(f"/credentials/p/{slug}/").content.decode()

    # Nobody else can withdraw it (the leader included): 404, and nothing moves.
    english(client).force_login(amira)
    assert client.post(f"/agenda/my-quotes/{yes.pk}/withdraw/").status_code == 404
    client.force_login(author)
    page = client.get("/accounts/me/data/").content.decode()
    assert "Merci pour la recette" in page and "Withdraw my consent" in page
    response = client.post(f"/agenda/my-quotes/{yes.pk}/withdraw/")
    assert response.status_code == 302 and response["Location"] == "/accounts/me/data/"
    yes.refresh_from_db()
    assert yes.quote_consent is False
    assert not PortfolioQuote.objects.filter(feedback=yes).exists()
    assert "Merci pour la recette" not in client.get(f"/credentials/p/{slug}/").content.decode()
    client.force_login(amira)
    assert "Merci pour la recette" not in client.get("/credentials/mine/").content.decode()


def test_a_withdrawn_consent_hides_the_quote_even_if_its_row_stayed(amira, sessions):
    """The portfolio reads the consent each time: a quote row the signal missed (or a
    consent changed by hand) is never shown."""
    yes = comment(sessions[0], "Tout était bien", consent=True)
    services.portfolio_quotes_update(person=amira, chosen=[yes.pk], public=[yes.pk])
    Feedback.objects.filter(pk=yes.pk).update(quote_consent=False)
    assert PortfolioQuote.objects.filter(feedback=yes).exists()
    assert not selectors.quotes_of(amira.portfolio).exists()
    services.portfolio_update(person=amira, is_public=True)
    amira.portfolio.refresh_from_db()
    assert not amira.portfolio.shows_anything


def test_erasing_the_participant_removes_their_quote(client, amira, sessions):
    from interra.accounts.services import person_erase

    yes = comment(sessions[0], "Je reviendrai", consent=True)
    services.portfolio_quotes_update(person=amira, chosen=[yes.pk], public=[yes.pk])
    person_erase(person=yes.registration.person)
    yes.refresh_from_db()
    assert yes.quote_consent is False and yes.comment == ""
    assert not PortfolioQuote.objects.exists()


def test_erasing_the_leader_removes_their_quotes(amira, sessions):
    from interra.accounts.services import person_erase

    yes = comment(sessions[0], "Bravo", consent=True)
    services.portfolio_quotes_update(person=amira, chosen=[yes.pk], public=[])
    person_erase(person=amira)
    assert not PortfolioQuote.objects.exists()
    yes.refresh_from_db()
    assert yes.comment == "Bravo"  # the participant's own words stay theirs


# --- Returning participants ----------------------------------------------------------------

def test_returning_participants_are_people_present_at_two_sessions_or_more(amira, city):
    workshop, sessions = held_sessions(amira, 3, city=city, present=0)
    loyal, twice, once, absent = (UserFactory() for _ in range(4))
    for session in sessions:
        RegistrationFactory(session=session, person=loyal, attended=True)
    RegistrationFactory(session=sessions[0], person=twice, attended=True)
    RegistrationFactory(session=sessions[2], person=twice, attended=True)
    RegistrationFactory(session=sessions[1], person=once, attended=True)
    RegistrationFactory(session=sessions[0], person=absent, attended=False)
    RegistrationFactory(session=sessions[1], person=absent, attended=False)
    # Walk-ins have no person to follow.
    for session in sessions[:2]:
        RegistrationFactory(session=session, person=None, attended=True)
    # Another leader's sessions do not count for Amira.
    _other, theirs = held_sessions(leader(display_name="Other Leader"), 1, present=0)
    RegistrationFactory(session=theirs[0], person=once, attended=True)
    figures = selectors.leader_figures(amira)
    assert figures.returning_participants == 2
    assert figures.as_facts()["returning_participants"] == 2


def test_returning_participants_on_the_portfolio_attestation_and_verification_page(
        client, amira, city):
    from pypdf import PdfReader

    workshop, sessions = held_sessions(amira, 2, city=city, present=0)
    for _ in range(3):
        person = UserFactory()
        for session in sessions:
            RegistrationFactory(session=session, person=person, attended=True)
    english(client).force_login(amira)
    page = client.get("/credentials/mine/").content.decode()
    assert 'data-figure="returning_participants">3<' in page
    response = client.post("/credentials/mine/attestation.pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(
        io.BytesIO(response.content)).pages).split())
    assert "3 participants came back for another session" in text
    attestation = amira.credentials.get(achievement=Achievement.ATTESTATION)
    assert attestation.facts["returning_participants"] == 3
    verify = client.get(f"/credentials/verify/{attestation.pk}/").content.decode()
    assert "3 participants came back for another session" in verify  # signed, in English

    # Public only with the figures.
    client.logout()
    slug = amira.portfolio.public_slug
    services.portfolio_update(person=amira, is_public=True, show_workshops=True)
    assert "returning_participants" not in client.get(f"/credentials/p/{slug}/").content.decode()
    services.portfolio_update(person=amira, show_figures=True)
    assert ('data-figure="returning_participants">3<'
            in client.get(f"/credentials/p/{slug}/").content.decode())


# --- What others may see -------------------------------------------------------------------

def test_others_see_only_the_public_parts_whoever_they_are(client, amira, sessions, city,
                                                          other_city):
    """Anonymous visitors, employers (verified or not, of this city or another) and
    another city's staff see the same public page: never a part the leader left off."""
    from tests.conftest import force_staff_login
    from tests.factories import coordinator

    secret = comment(sessions[0], "Chosen but not public", consent=True)
    shown = comment(sessions[1], "Chosen and public", consent=True, name="Lena Autre")
    services.portfolio_quotes_update(person=amira, chosen=[secret.pk, shown.pk],
                                     public=[shown.pk])
    services.skill_propose(person=amira, label="Cuisine persane")
    services.portfolio_update(person=amira, is_public=True, show_figures=True)
    slug = amira.portfolio.public_slug
    title = amira.workshops_led.get().title["fr"]
    visitors = [None, member(city, Role.EMPLOYER), member(other_city, Role.EMPLOYER),
                UserFactory(), coordinator(other_city)]
    for visitor in visitors:
        client.logout()
        if visitor is not None and visitor.memberships.filter(role=Role.COORDINATOR).exists():
            force_staff_login(client, visitor)
        elif visitor is not None:
            client.force_login(visitor)
        response = client.get(f"/credentials/p/{slug}/")
        page = response.content.decode()
        assert response.status_code == 200, visitor
        assert "Chosen and public" in page
        assert "Chosen but not public" not in page
        assert "Cuisine persane" not in page and title not in page
        assert "Yasmin" not in page and "Lena" not in page
