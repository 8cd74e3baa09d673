"""The role x URL x object matrix (issue 10): every URL, as every role, on objects of
one's own, of another person of the same city, of the other city, and with ids and
tokens that do not exist; each answer is compared with the one written in matrix.py.

A cell that answers otherwise fails the test, an unexpected 200 first among them; a 200
must also never show a person of the other city (their name, e-mail or phone), nor, to
anyone but staff signed in with the second factor, any other person's. Every
request runs in a savepoint rolled back after it, so that a POST (cancelling a booking,
withdrawing a proposal, signing out) changes nothing for the next cell.
"""

import re
from http.cookies import SimpleCookie

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver

from .matrix import ATTACKS, ROLES, ROWS, A, L, R, S
from .matrix_world import build_world, sign_in

PARAMETER = re.compile(r"\{([\w:.]+)(?:@(\w+))?\}")
PHONE = re.compile(r"\+?\d[\d ./]{7,}\d")
# Who may see people of both cities: the network admin, on the site and the admin site.
SEES_EVERY_CITY = {"admin"}
STRONG_STAFF = {"vol", "coord", "namur", "admin"}


def url_patterns() -> list[str]:
    """Every pattern of the resolver, includes followed (the admin site, the API, media)."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return list(walk(get_resolver().url_patterns))


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """The world built once for the module (rolled back at the end), and one signed-in
    session cookie per role."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            world.cookies = {}
            for role in ROLES:
                client = Client()
                sign_in(client, role, world.people[role])
                world.cookies[role] = client.cookies.output(header="", sep=";")
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _no_pdf_layout(monkeypatch):
    """Posters, programmes and the report are built (their HTML, who may ask for them)
    but not laid out: WeasyPrint takes about 2 s a page, the same for every role."""
    from weasyprint import HTML

    monkeypatch.setattr(HTML, "write_pdf", lambda self, *args, **kwargs: b"%PDF-1.7\n%%EOF")


def test_every_url_pattern_has_a_row_and_every_row_a_pattern():
    patterns = set(url_patterns())
    rows = [row.route for row in ROWS]
    assert len(rows) == len(set(rows)), "a URL pattern has two rows in matrix.py"
    missing = sorted(patterns - set(rows))
    assert not missing, ("URL patterns without a row in tests/security/matrix.py (write who "
                         "may open them):\n" + "\n".join(missing))
    stale = sorted(set(rows) - patterns)
    assert not stale, "rows of matrix.py for patterns that no longer exist:\n" + "\n".join(stale)


def test_every_row_names_objects_the_world_has(matrix, db):
    for row in ROWS + ATTACKS:
        kinds = [m.group(1) for m in PARAMETER.finditer(row.path)]
        for table in (row.get, row.post or {}):
            for variant in table:
                if not kinds:
                    assert variant == "none", row.route
                for kind in kinds:
                    assert variant in matrix.args[kind], f"{row.route}: no {variant} {kind}"
                for value in row.body.values():
                    for m in PARAMETER.finditer(value):
                        assert (m.group(2) or variant) in matrix.args[m.group(1)], row.route


def _fill(text: str, args: dict, variant: str) -> str:
    """{kind}: that kind's object of ``variant``; {kind@other}: of the variant named."""
    return PARAMETER.sub(lambda m: args[m.group(1)][m.group(2) or variant], text)


def _answer(response):
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        for prefix, name in (("/accounts/staff/sign-in/", S), ("/accounts/sign-in/", L),
                             ("/admin/login/", A)):
            if location.startswith(prefix):
                return name
        return R
    return response.status_code


def _body(response) -> str:
    if response.streaming:
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(("text/", "application/json", "application/javascript")):
        return ""
    return content.decode("utf-8", "replace")


def _needles(matrix, role, shown=()):
    """Names, e-mails and phones of the people ``role`` must never see in a page: the
    other city's people; for everybody but strongly signed-in staff, also every other
    person of Liège (a participant, a leader, a partner and staff holding only a password
    or a magic link see nobody else's full name or contacts)."""
    if role in SEES_EVERY_CITY:
        return set(), set()
    other = "liege" if role == "namur" else "namur"
    needles = list(matrix.needles[other])
    if role not in STRONG_STAFF:
        me = getattr(matrix.people[role], "pk", None)
        needles += [needle for needle in matrix.needles["liege"] if needle[0] != me]
    needles = [n for n in needles if not (n[0] in shown and n[1] == "name")]
    texts = {text.casefold() for _pk, label, text in needles if label != "phone"}
    phones = {re.sub(r"\D", "", text) for _pk, label, text in needles if label == "phone"}
    return texts, phones


def _leaks(body: str, texts: set, phones: set) -> list[str]:
    folded = body.casefold()
    found = [text for text in texts if text in folded]
    found += [p for p in PHONE.findall(body) if re.sub(r"\D", "", p) in phones]
    return found


@pytest.mark.parametrize("role", ROLES)
def test_matrix(role, matrix, db):
    client = Client(REMOTE_ADDR=f"10.0.{ROLES.index(role)}.1")
    failures, leaks, requests = [], [], 0
    for row in ROWS + ATTACKS:
        for method, table in (("GET", row.get), ("POST", row.post or {})):
            for variant, line in table.items():
                url = _fill(row.path, matrix.args, variant)
                data = {key: _fill(value, matrix.args, variant)
                        for key, value in row.body.items()}
                expected = line[role]
                client.cookies = SimpleCookie(matrix.cookies[role])
                requests += 1
                with transaction.atomic():
                    try:
                        if method == "GET":
                            response = client.get(url)
                        elif row.json:
                            response = client.post(url, {key: int(value) if value.isdigit()
                                                         else value
                                                         for key, value in data.items()},
                                                   content_type="application/json")
                        else:
                            response = client.post(url, data)
                        got, body = _answer(response), _body(response)
                    except Exception as exc:  # noqa: BLE001 - a crash is a failed cell
                        got, body = f"exception {exc!r}", ""
                    transaction.set_rollback(True)
                if got != expected:
                    alarm = "UNEXPECTED 200 " if got == 200 else ""
                    where = f" to {response['Location']}" if got == R else ""
                    failures.append(f"{alarm}{role} {method} {url} {data or ''} [{variant}]: "
                                    f"expected {expected}, got {got}{where}")
                if got == 200 and body:
                    shown = ({matrix.holders[row.holder].get(variant)} if row.holder
                             else set())
                    found = _leaks(body, *_needles(matrix, role, shown))
                    if found:
                        leaks.append(f"{role} {method} {url} [{variant}]: shows {found[:4]}")
    assert requests > 150
    failures.sort(key=lambda line: not line.startswith("UNEXPECTED"))
    assert not (failures or leaks), (
        f"{len(failures)} cells differ from tests/security/matrix.py:\n" + "\n".join(failures)
        + f"\n{len(leaks)} pages show the other city's people:\n" + "\n".join(leaks))


def test_the_leak_search_finds_a_person_on_a_page_that_shows_them(matrix, db):
    """The search of bodies for the other city's people is not blind: the network admin's
    page of a Namur participant shows what a Liège role's search looks for."""
    client = Client()
    client.cookies = SimpleCookie(matrix.cookies["admin"])
    body = _body(client.get(f"/staff/people/{matrix.args['person']['namur']}/"))
    found = _leaks(body, *_needles(matrix, "coord"))
    assert "lgpart duparticipant" in _needles(matrix, "lead")[0]
    assert "lgpart duparticipant" not in _needles(matrix, "part")[0]
    assert {"nmpart duparticipant", "part@namur.example"} <= set(found)
    assert any(re.sub(r"\D", "", hit).endswith("472000031") for hit in found)
