import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from interra.agenda.models import Session
from interra.federation import keys, views
from interra.federation.models import ActorKey, Delivery, Follower
from tests.factories import SessionFactory, UserFactory

ACTIVITY = {"HTTP_ACCEPT": "application/activity+json"}
INBOX = "/federation/liege/inbox"


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://interra.example"
    return settings.SITE_URL


# --- WebFinger and NodeInfo --------------------------------------------------------------

@pytest.mark.django_db
def test_webfinger_finds_a_city_by_its_account_name(client, city, site):
    response = client.get("/.well-known/webfinger",
                          {"resource": "acct:liege@interra.example"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/jrd+json")
    data = response.json()
    assert data["subject"] == "acct:liege@interra.example"
    assert {"rel": "self", "type": "application/activity+json",
            "href": "https://interra.example/federation/liege"} in data["links"]
    # The actor's address works as a resource too (Mastodon asks both ways).
    by_url = client.get("/.well-known/webfinger",
                        {"resource": "https://interra.example/federation/liege"})
    assert by_url.json()["subject"] == data["subject"]


@pytest.mark.django_db
@pytest.mark.parametrize("resource", ["acct:liege@elsewhere.example",
                                      "acct:namur@interra.example", "liege", ""])
def test_webfinger_answers_404_for_what_is_not_here(client, city, site, resource):
    assert client.get("/.well-known/webfinger", {"resource": resource}).status_code == 404


@pytest.mark.django_db
def test_nodeinfo_names_the_software_and_counts_no_person(client, city, site):
    leader = UserFactory(display_name="Samira Haddad", email="samira@example.org")
    SessionFactory(workshop__city=city, workshop__leader=leader)
    SessionFactory(workshop__city=city, status=Session.Status.CANCELLED)
    links = client.get("/.well-known/nodeinfo").json()["links"]
    assert links == [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                      "href": "https://interra.example/nodeinfo/2.1"}]
    response = client.get("/nodeinfo/2.1")
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == "2.1"
    assert data["software"]["name"] == "interra" and data["software"]["version"]
    assert data["protocols"] == ["activitypub"]
    assert data["openRegistrations"] is False
    # The "users" are the cities' agendas; the posts, the sessions not cancelled.
    assert data["usage"] == {"users": {"total": 1, "activeMonth": 1, "activeHalfyear": 1},
                             "localPosts": 1}
    assert b"Samira" not in response.content and b"samira@" not in response.content


# --- The actor ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_actor_is_a_group_with_a_key_and_its_addresses(client, city, site):
    response = client.get("/federation/liege", **ACTIVITY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/activity+json"
    assert "Accept" in response["Vary"]
    actor = response.json()
    base = "https://interra.example/federation/liege"
    assert actor["id"] == base and actor["type"] == "Group"
    assert actor["preferredUsername"] == "liege"
    assert (actor["inbox"], actor["outbox"], actor["followers"]) == (
        base + "/inbox", base + "/outbox", base + "/followers")
    assert actor["url"] == "https://interra.example/agenda/?city=liege"
    assert actor["icon"]["url"].startswith("https://interra.example/static/")
    assert {"fr", "en", "ar", "uk"} <= actor["nameMap"].keys() <= actor["summaryMap"].keys() | {
        "fr"}
    assert "Liège" in actor["name"] and actor["summary"]
    assert actor["publicKey"]["id"] == base + "#main-key"
    assert actor["publicKey"]["owner"] == base
    public = serialization.load_pem_public_key(actor["publicKey"]["publicKeyPem"].encode())
    assert isinstance(public, rsa.RSAPublicKey) and public.key_size == 2048
    # The key is made once and kept.
    again = client.get("/federation/liege", HTTP_ACCEPT="application/ld+json").json()
    assert again["publicKey"] == actor["publicKey"]
    assert ActorKey.objects.count() == 1


@pytest.mark.django_db
def test_a_browser_opening_the_actor_gets_the_citys_agenda(client, city, site):
    response = client.get("/federation/liege", HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert response.status_code == 302
    assert response["Location"] == "https://interra.example/agenda/?city=liege"
    assert client.get("/federation/nowhere", **ACTIVITY).status_code == 404


@pytest.mark.django_db
def test_the_private_key_is_encrypted_at_rest(city):
    key = keys.actor_key(city)
    assert "PRIVATE KEY" not in key.private_pem_encrypted
    private = keys.private_key(key)
    assert private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode() == key.public_pem


@pytest.mark.django_db
def test_the_followers_collection_counts_and_never_lists(client, city, site):
    for n in range(3):
        Follower.objects.create(city=city, actor_uri=f"https://m.example/users/{n}",
                                inbox=f"https://m.example/users/{n}/inbox")
    data = client.get("/federation/liege/followers", **ACTIVITY).json()
    assert data["totalItems"] == 3 and data["type"] == "OrderedCollection"
    assert "orderedItems" not in data and "first" not in data
    assert "m.example" not in json.dumps(data)


@pytest.mark.django_db
def test_the_outbox_pages_the_created_events_newest_first(client, city, other_city, site,
                                                           monkeypatch):
    monkeypatch.setattr("interra.federation.selectors.OUTBOX_PAGE_SIZE", 2)
    sessions = [SessionFactory(workshop__city=city) for _n in range(3)]
    SessionFactory(workshop__city=city, status=Session.Status.CANCELLED)
    SessionFactory(workshop__city=other_city)
    outbox = client.get("/federation/liege/outbox", **ACTIVITY).json()
    assert outbox["type"] == "OrderedCollection" and outbox["totalItems"] == 3
    first = client.get(outbox["first"].replace(site, ""), **ACTIVITY).json()
    assert first["type"] == "OrderedCollectionPage"
    assert [item["type"] for item in first["orderedItems"]] == ["Create", "Create"]
    assert [item["object"]["url"] for item in first["orderedItems"]] == [
        s.absolute_url for s in sessions[::-1][:2]]
    second = client.get(first["next"].replace(site, ""), **ACTIVITY).json()
    assert [item["object"]["url"] for item in second["orderedItems"]] == [
        sessions[0].absolute_url]
    assert "next" not in second
    assert client.get("/federation/liege/outbox?page=9", **ACTIVITY).status_code == 404
    assert client.get("/federation/liege/outbox?page=x", **ACTIVITY).status_code == 404


@pytest.mark.django_db
def test_an_event_is_schema_complete_and_tells_nothing_personal(client, city, other_city,
                                                                 site):
    leader = UserFactory(display_name="Samira Haddad",
                         email="samira@example.org")
    session = SessionFactory(workshop__city=city, workshop__leader=leader,
                             workshop__theme="music", workshop__languages=["ar", "fr"],
                             starts_at=datetime(2026, 7, 1, 16, 0, tzinfo=UTC),
                             ends_at=datetime(2026, 7, 1, 18, 0, tzinfo=UTC))
    response = client.get(f"/federation/liege/events/{session.pk}", **ACTIVITY)
    assert response["Content-Type"] == "application/activity+json"
    event = response.json()
    assert event["type"] == "Event"
    assert event["startTime"] == "2026-07-01T18:00:00+02:00"
    assert event["endTime"] == "2026-07-01T20:00:00+02:00"
    assert event["timezone"] == "Europe/Brussels"
    assert event["inLanguage"] == "ar"
    assert event["category"] == "MUSIC"
    assert event["tag"][0]["name"] == "#music"
    assert event["joinMode"] == "external"
    assert event["externalParticipationUrl"] == event["url"] == session.absolute_url
    assert event["anonymousParticipationEnabled"] is False
    place = event["location"]
    assert place["type"] == "Place" and place["address"]["type"] == "PostalAddress"
    assert place["address"]["addressLocality"] == "Liège"
    assert place["address"]["addressCountry"] == "BE"
    assert isinstance(place["latitude"], float)
    text = response.content.decode()
    assert "Samira" not in text and "Haddad" not in text and "samira@" not in text
    # HTML readers get the session page; another city's address answers 404.
    html = client.get(f"/federation/liege/events/{session.pk}")
    assert html.status_code == 302 and html["Location"] == session.absolute_url
    elsewhere = SessionFactory(workshop__city=other_city)
    assert client.get(f"/federation/liege/events/{elsewhere.pk}",
                      **ACTIVITY).status_code == 404


# --- The inbox ---------------------------------------------------------------------------

def _follow(mastodon, site):
    return {"@context": "https://www.w3.org/ns/activitystreams",
            "id": mastodon.actor_id + "#follows/9", "type": "Follow",
            "actor": mastodon.actor_id, "object": site + "/federation/liege"}


def _post(client, body: bytes, headers: dict):
    extra = {k: v for k, v in headers.items() if k != "Content-Type"}
    return client.post(INBOX, data=body, content_type="application/activity+json",
                       headers=extra)


@pytest.mark.django_db
def test_a_signed_follow_is_accepted_and_answered(client, city, site, fediverse):
    body = json.dumps(_follow(fediverse, site)).encode()
    response = _post(client, body, fediverse.signed_headers("http://testserver" + INBOX,
                                                           body))
    assert response.status_code == 202
    follower = Follower.objects.get(city=city)
    assert follower.actor_uri == fediverse.actor_id
    assert follower.delivery_inbox == fediverse.shared_inbox
    [accept] = fediverse.wait_for(1)
    assert accept["path"] == "/users/alice/inbox"
    assert json.loads(accept["body"])["type"] == "Accept"
    assert Delivery.objects.get().status == Delivery.Status.SENT


@pytest.mark.django_db
def test_unsigned_and_badly_signed_requests_are_refused(client, city, site, fediverse):
    follow = _follow(fediverse, site)
    body = json.dumps(follow).encode()
    url = "http://testserver" + INBOX
    good = fediverse.signed_headers(url, body)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    refused = {
        "unsigned": {k: v for k, v in good.items() if k != "Signature"},
        "another key": fediverse.signed_headers(url, body, key=other_key),
        "old date": fediverse.signed_headers(
            url, body, date=datetime.now(UTC) - timedelta(hours=13)),
        "digest of another body": {**good, "Digest": fediverse.signed_headers(
            url, b"{}")["Digest"]},
        "someone else's key": fediverse.signed_headers(
            url, body, key_id="http://127.0.0.1:9/users/bob#main-key"),
        "no digest signed": {**good, "Signature": good["Signature"].replace(
            "host date digest", "host date")},
    }
    for why, headers in refused.items():
        assert _post(client, body, headers).status_code == 401, why
    # A server vouching for an actor of another host.
    impostor = json.dumps({**follow, "actor": "https://elsewhere.example/users/alice"}).encode()
    assert _post(client, impostor, fediverse.signed_headers(
        url, impostor, key_id=fediverse.base + "/impostor#main-key")).status_code == 401
    # Signed by alice, but claiming to be bob.
    forged = json.dumps({**follow, "actor": "http://127.0.0.1:9/users/bob"}).encode()
    assert _post(client, forged, fediverse.signed_headers(url, forged)).status_code == 401
    assert not Follower.objects.exists()
    assert fediverse.received == []


@pytest.mark.django_db
def test_the_inbox_refuses_what_it_cannot_take(client, city, site, fediverse, settings,
                                               monkeypatch):
    url = "http://testserver" + INBOX
    assert client.get(INBOX).status_code == 405
    settings.FEDERATION_MAX_BYTES = 1000
    big = json.dumps({**_follow(fediverse, site), "padding": "x" * 2000}).encode()
    assert _post(client, big, fediverse.signed_headers(url, big)).status_code == 413
    assert _post(client, b"{not json", {"Signature": 'keyId="x"'}).status_code == 400
    # A Follow of someone else, even signed, is refused.
    other = json.dumps({**_follow(fediverse, site),
                        "object": site + "/federation/namur"}).encode()
    assert _post(client, other, fediverse.signed_headers(url, other)).status_code == 400
    monkeypatch.setattr(views, "INBOX_LIMIT_PER_MINUTE", 2)
    answers = [_post(client, b"{}", {}).status_code for _n in range(4)]
    assert answers[-1] == 429
    assert not Follower.objects.exists()


@pytest.mark.django_db
def test_in_production_a_key_on_a_private_address_is_never_fetched(client, city, site,
                                                                    mastodon):
    # No FEDERATION_ALLOW_PRIVATE_ADDRESSES: the fake instance on 127.0.0.1 is refused.
    body = json.dumps(_follow(mastodon, site)).encode()
    headers = mastodon.signed_headers("http://testserver" + INBOX, body)
    assert _post(client, body, headers).status_code == 401
    assert not Follower.objects.exists()


@pytest.mark.django_db
def test_undo_follow_removes_only_the_signer(client, city, site, fediverse):
    Follower.objects.create(city=city, actor_uri=fediverse.actor_id, inbox=fediverse.inbox)
    Follower.objects.create(city=city, actor_uri="https://m.example/users/bob",
                            inbox="https://m.example/users/bob/inbox")
    undo = json.dumps({"id": fediverse.actor_id + "#undo", "type": "Undo",
                       "actor": fediverse.actor_id,
                       "object": _follow(fediverse, site)}).encode()
    response = _post(client, undo, fediverse.signed_headers("http://testserver" + INBOX, undo))
    assert response.status_code == 202
    assert list(Follower.objects.values_list("actor_uri", flat=True)) == [
        "https://m.example/users/bob"]


@pytest.mark.django_db
def test_the_team_page_shows_each_citys_fediverse_address_and_followers(client, city,
                                                                        other_city, site):
    from django.conf import settings as django_settings

    from tests.conftest import force_staff_login
    from tests.factories import coordinator

    for n in range(2):
        Follower.objects.create(city=city, actor_uri=f"https://m.example/users/{n}",
                                inbox=f"https://m.example/users/{n}/inbox")
    Follower.objects.create(city=other_city, actor_uri="https://m.example/users/9",
                            inbox="https://m.example/users/9/inbox")
    force_staff_login(client, coordinator(city))
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/staff/").content.decode()
    assert "On the fediverse: @liege@interra.example, 2 followers" in page
    assert "namur@" not in page and "m.example" not in page
