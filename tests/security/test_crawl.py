"""Crawl every URL of the project as an outsider and as an attacker would.

Every URL pattern (admin excepted) is filled with ids of objects of the other city or of
other people, with ids that do not exist and with absurd values, then requested by GET and
by POST (empty and garbage bodies) as anonymous, a participant, a leader, a volunteer and a
coordinator of Liège, a coordinator of Namur and a partner contact. No answer may be a 5xx;
pages seen by anonymous visitors, participants and Namur's coordinator never show Liège
people's full names, emails or phone numbers.
"""

import re
import traceback
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter, SlugConverter

from interra.accounts.models import User
from tests.conftest import force_staff_login, sign_in_staff

ROLES = ["anonymous", "participant", "leader", "volunteer", "partner", "namur_coordinator",
         "liege_coordinator"]
# Who must never see Liège people's personal data (themselves excepted).
OUTSIDERS = {"anonymous", "participant", "namur_coordinator"}

HUGE = "99999999999999999999"
ABSURD_INTS = [HUGE]
ABSURD_STRINGS = ["ü漢字🙂' OR 1=1 --<script>", "x" * 3000, "..%2F..%2Fetc%2Fpasswd%00"]
POST_ACTIONS = ["mark", "cancel", "move", "walk_in", "note", "confirm"]
GARBAGE = {
    "registration": "abc", "attended": "1", "seats": "-5", "name": "<script>x</script>" * 20,
    "email": "not-an-email", "phone": "☎" * 40, "stage": "nope", "reason": "x" * 5000,
    "assignee": HUGE, "due_on": "2024-13-45", "decision": "maybe", "starts_at": "yesterday",
    "ends_at": "\x00", "token": "'", "identifier": "x" * 300, "password": "x",
    "rating": "11", "comment": "x" * 10000, "city": HUGE, "workshop": "-1", "room": "abc",
    "capacity": "1e9", "repeat": "FREQ=SECONDLY;COUNT=999999999", "language": "zz",
    "next": "//evil.example/", "quantity": "-1", "year": "99999", "note": "n" * 5000,
    "text": "", "title": "", "description": "", "duration_minutes": HUGE, "date_from": "x",
    "step": "9", "group": "martian", "highlights": "h" * 100000, "confirm": "yes",
    "equipment": ["lasers", ""], "accessibility": "??", "rrule": "FREQ=BOGUS",
    "opens_at": "25:61", "closes_at": "", "message": "m", "stage_reason": "",
}

# (url name, parameter) -> which sampled ids of World.ids fill it.
PARAM_KINDS = {
    ("cities:person_detail", "pk"): "person",
    ("venues:detail", "pk"): "venue",
    ("notifications:resend", "pk"): "message",
    ("venues:booking_cancel", "pk"): "booking",
    ("venues:booking_new", "room_pk"): "room",
    ("venues:material_lend", "pk"): "material",
    ("venues:loan_return", "pk"): "loan",
    ("venues:portal_decide", "pk"): "booking",
    ("venues:portal_closure", "venue_pk"): "venue",
    ("venues:portal_features", "room_pk"): "room",
    ("venues:portal_opening_add", "room_pk"): "room",
    ("venues:portal_opening_delete", "pk"): "opening",
    ("agenda:feed_leader", "leader_id"): "leader",
    ("api:booking_cancel", "booking_id"): "booking",
    ("api:get_session", "session_id"): "session",
    ("api:create_registration", "session_id"): "session",
    ("planning:plan", "pk"): "plan",
    ("planning:accept", "pk"): "plan",
    ("credentials:skill_remove", "pk"): "skill",
    ("credentials:staff_skill_decide", "pk"): "skill",
    ("credentials:staff_leader", "person_id"): "leader",
    ("credentials:public_portfolio", "slug"): "portfolio",
    ("autonomy:next_session", "pk"): "workshop",
    ("federation:event", "session_id"): "session",
    ("employers:leader", "listing_id"): "listing",
    ("employers:sent", "request_id"): "contact_request",
    ("employers:request", "request_id"): "contact_request",
    ("employers:staff_employer", "pk"): "employer",
}
PREFIX_KINDS = {"proposals:task": "task", "proposals:": "proposal", "agenda:": "session",
                "credentials:": "credential", "api:verify": "credential"}
NAMED_VALUES = {
    "city_slug": ["liege", "namur", "nowhere"],
    "theme": ["cooking", "not-a-theme"],
    "year": ["2026", "1999", "2101"],
    "month": ["1", "12", "13"],
    "step": ["1", "2", "3", "4"],
    "key": ["cooking_leader", "attestation", "nonsense"],
    "thumbprint": ["not-a-key"],
}
# A credential's verification page names its holder to whoever has the link: the id is
# unguessable and the holder hands it out with the credential (to an employer), like a
# private link. A revoked credential's page names nobody (tests/credentials).
CAPABILITY_PAGES = {"credentials:verify", "api:verify"}
SLOW = re.compile(r"\.(pdf|xlsx)$")
CONVERTER_RE = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def url_patterns():
    """(route, url name, converters) of every pattern, includes followed; no admin."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            else:
                yield (prefix + str(pattern.pattern), namespace + (pattern.name or ""),
                       getattr(pattern.pattern, "converters", {}))

    return [p for p in walk(get_resolver().url_patterns)
            if not p[0].startswith(("admin/", "static/", "media/", "^"))]


def _kind(name, param):
    if (name, param) in PARAM_KINDS:
        return PARAM_KINDS[(name, param)]
    return next((kind for prefix, kind in PREFIX_KINDS.items() if name.startswith(prefix)),
                None)


def parameter_values(world, name, param, converter) -> tuple[list[str], list[str]]:
    """Values of real objects (of both cities, of several people), then absurd ones."""
    if param in NAMED_VALUES:
        good = list(NAMED_VALUES[param])
    elif param == "token":
        good = list(world.tokens["registration"])
    else:
        kind = _kind(name, param)
        good = ([str(i) for i in world.ids.get(kind) or world.tokens.get(kind, [])]
                if kind else ["1"])
    if isinstance(converter, IntConverter) or param.endswith(("_id", "pk")):
        return good, [str(world.ids["max"] + 1000), *ABSURD_INTS]
    if isinstance(converter, SlugConverter):
        return good, ["x" * 3000]
    return good, ABSURD_STRINGS


def build_urls(world, route, name, converters) -> list[tuple[str, bool]]:
    """(url, made of real objects only) for each combination of parameter values."""
    params = [m.group("name") for m in CONVERTER_RE.finditer(route)]
    if not params:
        return [("/" + route, True)]
    choices = {p: parameter_values(world, name, p, converters.get(p)) for p in params}
    urls = []
    for real in (True, False):
        lists = {p: choices[p][0] if real else choices[p][1] for p in params}
        for i in range(max(len(v) for v in lists.values())):
            values = {p: lists[p][i % len(lists[p])] for p in params}
            urls.append(("/" + CONVERTER_RE.sub(
                lambda m, values=values: quote(values[m.group("name")], safe="%"), route), real))
    return urls


def client_for(role, world) -> tuple[Client, User | None]:
    client = Client(raise_request_exception=True)
    person = {
        "anonymous": None, "participant": world.participant, "leader": world.leader,
        "volunteer": world.volunteer, "partner": world.partner_contact,
        "namur_coordinator": world.namur_coordinator,
        "liege_coordinator": world.liege_coordinator,
    }[role]
    if role.endswith("coordinator"):
        sign_in_staff(client, person)
    elif role == "volunteer":
        force_staff_login(client, person)  # staff pages need the second factor
    elif person is not None:
        client.force_login(person, backend="interra.accounts.backends.EmailOrPhoneBackend")
    return client, person


class Needles:
    """Liège people's full names, emails and phone numbers, found in text quickly."""

    WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
    EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
    PHONE = re.compile(r"\+?\d[\d ./]{7,}\d")

    def __init__(self, people, exclude=None):
        exclude_pk = exclude.pk if exclude is not None else None
        self.names, self.emails, self.phones = {}, {}, {}
        for person in people:
            if person.pk == exclude_pk:
                continue
            if person.display_name and " " in person.display_name.strip():
                self.names[person.display_name.strip().casefold()] = person
            if person.email:
                self.emails[person.email.casefold()] = person
            if person.phone:
                digits = re.sub(r"\D", "", person.phone)
                self.phones[digits] = person
                if digits.startswith("32"):
                    self.phones["0" + digits[2:]] = person

    def found(self, text: str) -> list[str]:
        hits = []
        words = [w.casefold() for w in self.WORD.findall(text)]
        for first, second in zip(words, words[1:], strict=False):
            if f"{first} {second}" in self.names:
                hits.append(f"name {first} {second}")
        hits += [f"email {e}" for e in self.EMAIL.findall(text) if e.casefold() in self.emails]
        hits += [f"phone {p}" for p in self.PHONE.findall(text)
                 if re.sub(r"\D", "", p) in self.phones]
        return hits


def liege_only_people(world):
    """Liège members with no link to Namur (a Namur membership, proposal, workshop or
    registration would rightly make them visible to Namur's coordinator)."""
    from interra.agenda.models import Registration
    from interra.proposals.models import Proposal, Workshop

    linked = set(User.objects.filter(memberships__city=world.namur).values_list("pk", flat=True))
    linked |= set(Proposal.objects.filter(city=world.namur).values_list("leader_id", flat=True))
    linked |= set(Workshop.objects.filter(city=world.namur).values_list("leader_id", flat=True))
    linked |= set(Registration.objects.filter(session__city=world.namur, person__isnull=False)
                  .values_list("person_id", flat=True))
    liege = User.objects.filter(memberships__city=world.liege).distinct()
    # Namesakes of the linked people are not leaks either.
    namesakes = set(User.objects.filter(pk__in=linked).values_list("display_name", flat=True))
    return liege.exclude(pk__in=linked).exclude(display_name__in=namesakes)


def _where(exc) -> str:
    """The project's innermost frame of a crash, to point at the line to fix."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/interra/" in f.filename]
    return f"{frames[-1].filename.split('/interra/')[-1]}:{frames[-1].lineno}" if frames else "?"


def _body_text(response) -> str:
    content_type = response.get("Content-Type", "")
    if response.streaming or not content_type.startswith(
            ("text/", "application/json", "application/javascript")):
        return ""
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("role", ROLES)
def test_crawl_every_url_as(role, world, db):
    from django.db.models import Max

    from interra.accounts.models import User as Person

    world.ids["max"] = max(
        Person.objects.aggregate(m=Max("pk"))["m"] or 0,
        *(max(v) for k, v in world.ids.items() if k != "max" and v),
    )
    client, person = client_for(role, world)
    needles = None
    if role in OUTSIDERS:
        liege_people = liege_only_people(world)
        needles = Needles(liege_people, exclude=person)

    failures, leaks, requests = [], [], 0
    for route, name, converters in url_patterns():
        if name in {"accounts:sign_out", "accounts:erase"}:
            continue  # would end the session the crawl runs in; tested below
        slow = SLOW.search(route)
        for index, (url, real) in enumerate(build_urls(world, route, name, converters)):
            if slow and real and (index > 0 or (name.startswith("agenda:")
                                                and role != "anonymous")):
                continue  # a PDF is slow to make and the same for everyone: once is enough
            attempts = [("GET", None)]
            if not slow:
                attempts += [("POST", {**GARBAGE, "action": POST_ACTIONS[index % 6]})]
                if real:
                    attempts.append(("POST", {}))
            for method, data in attempts:
                requests += 1
                try:
                    if method == "GET":
                        response = client.get(url)
                    else:
                        response = client.post(url, data)
                except Exception as exc:  # noqa: BLE001 - every crash is a finding
                    failures.append(f"{role} {method} {url[:120]}: {exc!r} at {_where(exc)}")
                    continue
                if response.status_code >= 500:
                    failures.append(f"{role} {method} {url[:120]}: {response.status_code}")
                    continue
                if (needles is not None and response.status_code == 200
                        and name not in CAPABILITY_PAGES):
                    hits = needles.found(_body_text(response))
                    if hits:
                        leaks.append(f"{role} {method} {url[:120]}: {sorted(set(hits))[:5]}")
    assert requests > 300
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:30])
    assert not leaks, f"{len(leaks)} pages leak Liège people's data:\n" + "\n".join(leaks[:30])


@pytest.mark.parametrize("role", ["participant", "leader", "volunteer", "partner"])
def test_sign_out_and_erase_with_garbage_never_crash(role, world, db):
    client, person = client_for(role, world)
    assert client.get("/accounts/me/erase/").status_code == 405
    garbage = {k: v for k, v in GARBAGE.items() if k != "confirm"}
    response = client.post("/accounts/me/erase/", garbage)
    assert response.status_code == 400  # the confirmation is missing: nothing erased
    person.refresh_from_db()
    assert person.display_name
    assert client.get("/accounts/sign-out/").status_code == 405
    assert client.post("/accounts/sign-out/", GARBAGE).status_code == 302


def test_every_pattern_is_crawled(world, db):
    """The crawl knows how to fill each parameter: no id-taking URL is left to chance."""
    unknown = []
    for route, name, _converters in url_patterns():
        for match in CONVERTER_RE.finditer(route):
            param = match.group("name")
            if param in NAMED_VALUES or param == "token":
                continue
            if not _kind(name, param):
                unknown.append(f"{name}: {param}")
    assert not unknown, "Teach the crawl which objects fill: " + ", ".join(unknown)


QUERY_GARBAGE = [
    {"page": HUGE}, {"page": "-1"}, {"week": "2024-02-30"}, {"week": "9999-12-31"},
    {"week": "0001-01-01"}, {"view": "week", "week": "0001-01-01"},
    {"view": "week", "week": "9999-12-31"}, {"date": "x" * 500},
    {"city": "namur"}, {"city": "<script>"}, {"city": ["liege", "namur"]},
    {"capacity": HUGE, "duration": HUGE, "date_from": "2020-01-01", "date_to": "9999-12-31"},
    {"period": "custom", "start": "0001-01-01", "end": "9999-12-31"}, {"year": HUGE},
    {"status": "\x00"}, {"q": "%" * 100}, {"language": "zz"}, {"format": "json"},
    {"start": "9999-12-31T23:59", "minutes": HUGE}, {"lang": ["xx", "ar"] * 20},
    {"next": "//evil.example/"}, {"waiting_days": HUGE}, {"assignee": HUGE},
]
LIST_PAGES = ["/agenda/", "/proposals/board/", "/venues/", "/venues/bookings/",
              "/venues/finder/", "/staff/people/", "/agenda/staff/", "/impact/",
              "/impact/export.csv", "/accounts/me/data/", "/api/v1/sessions",
              "/accounts/staff/verify/"]


@pytest.mark.parametrize("role", ["anonymous", "liege_coordinator"])
def test_garbage_query_strings_never_crash(role, world, db):
    client, _person = client_for(role, world)
    failures = []
    session = world.ids["session"][0]
    room = world.ids["room"][0]
    pages = [*LIST_PAGES, f"/venues/rooms/{room}/book/"]
    if role == "anonymous":
        pages.append(f"/agenda/{session}/poster.pdf")  # the same PDF for everyone
    for url in pages:
        for query in QUERY_GARBAGE:
            if url.startswith("/impact/") and not {"period", "city", "year", "page"} & set(query):
                continue  # the dashboard is slow to compute; only its own filters matter
            try:
                response = client.get(url, query)
            except Exception as exc:  # noqa: BLE001 - every crash is a finding
                failures.append(f"{url} {query}: {exc!r} at {_where(exc)}")
                continue
            if response.status_code >= 500:
                failures.append(f"{url} {query}: {response.status_code}")
    assert not failures, "\n".join(failures[:30])
