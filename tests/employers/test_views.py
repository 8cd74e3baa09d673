import pytest
from django.conf import settings

from interra.employers.models import ContactRequest, Employer
from interra.notifications.models import Message
from interra.notifications.rendering import render_message
from tests.conftest import force_staff_login
from tests.factories import CityFactory, coordinator

from .factories import COOK, employer, findable_leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(city):
    organisation, marc = employer(city)
    amira, listing = findable_leader(city)
    return organisation, marc, amira, listing


def test_a_verified_employer_finds_asks_and_sees_only_the_shared_contact(client, world):
    organisation, marc, amira, listing = world
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(marc)
    page = client.get("/employers/search/", {"skill": COOK}).content.decode()
    assert "Amira" in page and "Haddad" not in page  # first name only
    assert "+32470111222" not in page and "amira@example.org" not in page
    response = client.post(f"/employers/leaders/{listing.pk}/", {
        "kind": "contact", "message": "Bonjour & bienvenue <b>", "employer": organisation.pk})
    request = ContactRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/employers/sent/{request.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "+32470111222" not in page and 'id="shared-contact"' not in page

    # The leader is told in their channel, with a sign-in link to the request page.
    message = Message.objects.get(template="employer_request_received")
    text = render_message(message)
    assert "Traiteur du Monde" in text["body"] and "/accounts/link/" in text["body"]
    client.force_login(amira)
    page = client.get(f"/employers/requests/{request.pk}/").content.decode()
    assert "Bonjour &amp; bienvenue &lt;b&gt;" in page and "Lejeune" not in page
    client.post(f"/employers/requests/{request.pk}/", {"answer": "accept", "channel": "phone"})

    client.force_login(marc)
    page = client.get(f"/employers/sent/{request.pk}/").content.decode()
    assert "+32470111222" in page and "amira@example.org" not in page
    assert Message.objects.filter(template="employer_request_answered",
                                  recipient=marc).exists()


def test_unverified_other_city_and_anonymous_see_no_leader(client, city, world):
    organisation, marc, amira, listing = world
    pending, paula = employer(city, name="En attente", status=Employer.Status.PENDING,
                              display_name="Paula Pending")
    _namur_org, nadia = employer(CityFactory(name="Namur", slug="namur"), name="Namur SA",
                                 display_name="Nadia Namur")
    for person, search, profile in ((paula, 403, 403), (nadia, 200, 404), (amira, 403, 403)):
        client.force_login(person)
        response = client.get("/employers/search/")
        assert response.status_code == search, person
        assert "Amira" not in response.content.decode()
        assert client.get(f"/employers/leaders/{listing.pk}/").status_code == profile
    client.logout()
    assert client.get("/employers/search/").status_code == 302
    assert client.get(f"/employers/leaders/{listing.pk}/").status_code == 302


def test_the_leader_opts_in_on_the_portfolio_page(client, city):
    amira, listing = findable_leader(city, findable=False)
    client.force_login(amira)
    page = client.get("/credentials/mine/").content.decode()
    assert 'name="findable"' in page and "checked" not in page.split('id="id_findable"')[1][:20]
    client.post("/employers/findable/", {"findable": "on"})
    listing.refresh_from_db()
    assert listing.findable


def test_a_coordinator_verifies_a_sign_up_and_sees_its_log(client, city):
    client.post("/employers/sign-up/", {
        "name": "Mission locale", "kind": "job_support", "city": city.pk,
        "contact_name": "Sofia Martin", "email": "sofia@mission.example"})
    organisation = Employer.objects.get()
    julie = coordinator(city)
    force_staff_login(client, julie)
    page = client.get("/employers/staff/").content.decode()
    assert "Mission locale" in page and "Sofia Martin" in page
    client.post(f"/employers/staff/{organisation.pk}/", {"status": "verified"})
    organisation.refresh_from_db()
    assert organisation.status == Employer.Status.VERIFIED
    namur_coordinator = coordinator(CityFactory(name="Namur", slug="namur"))
    force_staff_login(client, namur_coordinator)
    assert client.get(f"/employers/staff/{organisation.pk}/").status_code == 404


def test_outcomes_show_on_the_impact_page(client, city, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    force_staff_login(client, coordinator(city))
    page = client.get("/impact/").content.decode()
    assert 'data-figure="employer_requests"' in page and "Paid gigs done" in page


def test_the_search_takes_a_handful_of_queries_whatever_the_number_of_leaders(
        client, city, django_assert_max_num_queries):
    organisation, marc = employer(city)
    for n in range(8):
        findable_leader(city, display_name=f"Leader{n} X", email=f"l{n}@example.org",
                        phone=f"+3247012340{n}")
    client.force_login(marc)
    with django_assert_max_num_queries(12):
        page = client.get("/employers/search/", {"skill": COOK}).content.decode()
    assert page.count("data-listing=") == 8


def test_forged_ids_in_forms_answer_404_not_500(client, city, world):
    organisation, marc, amira, listing = world
    client.force_login(marc)
    assert client.post("/employers/", {"employer": "abc"}).status_code == 404
    force_staff_login(client, coordinator(city))
    assert client.post(f"/employers/staff/{organisation.pk}/",
                       {"done": "not-a-uuid"}).status_code == 404
