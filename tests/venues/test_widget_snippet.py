"""The partner portal gives the agenda widget's code for the partner's website."""

import html

import pytest
from django.test import Client

from interra.cities.models import Role
from tests.factories import CityFactory, PartnerFactory, member

from .test_views import sign_in_with_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(city):
    CityFactory(name="Namur", slug="namur")
    contact = member(city, Role.PARTNER, email="host@partner.example", preferred_language="fr")
    PartnerFactory(city=city, contacts=[contact])
    return sign_in_with_link(Client(), contact)


def _code(page: str) -> str:
    start = page.index('<textarea id="widget-code"')
    return html.unescape(page[page.index(">", start) + 1:page.index("</textarea>", start)])


def test_the_portal_gives_the_code_for_the_partners_city_in_its_language(partner, settings):
    page = partner.get("/venues/portal/").content.decode()
    code = _code(page)
    assert code.startswith('<interra-agenda city="liege" lang="fr" limit="5">')
    assert f'<script src="{settings.SITE_URL}/static/agenda/widget.js" async></script>' in code
    # The copy button copies exactly the code shown; a preview runs the same widget.
    assert f'data-copy="{html.escape(code)}"' in page
    assert '<interra-agenda city="liege" lang="fr" limit="3" heading-level="4">' in page
    assert '<option value="namur">Namur</option>' in page


def test_the_partner_chooses_another_city_and_language(partner):
    page = partner.get("/venues/portal/", {"city": "namur", "language": "ar"}).content.decode()
    code = _code(page)
    assert code.startswith('<interra-agenda city="namur" lang="ar" limit="5">')
    assert "المواعيد" in code  # the plain link for browsers without JavaScript, in Arabic
    assert '<option value="ar" selected>' in page


def test_unknown_choices_fall_back_to_the_partners_city(partner):
    page = partner.get("/venues/portal/", {"city": "atlantis", "language": "xx"})
    assert page.status_code == 200
    assert _code(page.content.decode()).startswith('<interra-agenda city="liege" lang="fr"')
