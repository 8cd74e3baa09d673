"""Content-Security-Policy and Permissions-Policy on every page; no inline script that
the policy would block."""

import re
from pathlib import Path

import pytest

from tests.factories import SessionFactory

SRC = Path(__file__).resolve().parents[2] / "src" / "interra"
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def _policy(response) -> dict:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_no_template_has_an_inline_script_or_event_handler():
    problems = []
    templates = sorted(SRC.rglob("templates/**/*.html"))
    assert len(templates) > 50
    for template in templates:
        text = template.read_text()
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, re.compile(r"javascript:", re.I)):
            problems += [f"{template.relative_to(SRC)}: {m.group(0)[:80]}"
                         for m in pattern.finditer(text)]
    assert problems == [], "\n".join(problems)


def test_the_template_scan_would_see_one():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>')
    assert not INLINE_SCRIPT.search('<script nonce="{{ csp_nonce }}">x</script>')
    assert EVENT_HANDLER.search('<button class="a" onclick="go()">')
    assert not EVENT_HANDLER.search('<button data-copy="x">')


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/agenda/", "/proposals/new/", "/accounts/sign-in/",
                                  "/privacy/", "/nope/", "/health/"])
def test_every_answer_carries_both_policies(client, path):
    response = client.get(path)
    policy = _policy(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"].startswith("'self'") and "unsafe" not in policy["script-src"]
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert "clipboard-write=(self)" in permissions  # "Copy the link"


@pytest.mark.django_db
def test_a_page_with_inline_data_gives_it_the_request_nonce(client, city):
    session = SessionFactory(workshop__city=city)
    response = client.get(f"/agenda/{session.pk}/")
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", _policy(response)["script-src"]).group(1)
    assert f'<script type="application/ld+json" nonce="{nonce}">' in response.content.decode()
    # A new nonce for every answer.
    again = client.get(f"/agenda/{session.pk}/")
    assert nonce not in again["Content-Security-Policy"]
