"""CSRF strings drawn by interra.core.csrf: Django's format, unpredictable, every
character equally likely, and used by Django's own middleware."""

from collections import Counter

from django.middleware import csrf as django_csrf
from django.test import Client

from interra.core.csrf import new_csrf_string


def test_django_draws_its_csrf_strings_here():
    assert django_csrf._get_new_csrf_string is new_csrf_string


def test_strings_have_djangos_length_and_alphabet_and_never_repeat():
    drawn = [new_csrf_string() for _ in range(2000)]
    assert {len(value) for value in drawn} == {django_csrf.CSRF_SECRET_LENGTH}
    assert set("".join(drawn)) <= set(django_csrf.CSRF_ALLOWED_CHARS)
    assert len(set(drawn)) == len(drawn)


def test_every_character_is_equally_likely():
    counts = Counter("".join(new_csrf_string() for _ in range(20_000)))
    expected = 20_000 * django_csrf.CSRF_SECRET_LENGTH / len(django_csrf.CSRF_ALLOWED_CHARS)
    assert len(counts) == len(django_csrf.CSRF_ALLOWED_CHARS)
    # A modulo bias would put the first 8 characters ~25 % above the others.
    assert max(abs(count - expected) / expected for count in counts.values()) < 0.05


def test_a_token_drawn_here_passes_djangos_check(db):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/proposals/new/")
    token = page.context["csrf_token"] if page.context else None
    cookie = client.cookies["csrftoken"].value
    assert len(cookie) == django_csrf.CSRF_SECRET_LENGTH
    token = str(token) if token else django_csrf._mask_cipher_secret(cookie)
    assert django_csrf._unmask_cipher_token(token) == cookie
    contact = {"identifier": "nobody@example.org"}
    refused = Client(enforce_csrf_checks=True).post("/agenda/my-link/", contact)
    assert refused.status_code == 403
    accepted = client.post("/agenda/my-link/", {**contact, "csrfmiddlewaretoken": token})
    assert accepted.status_code in (200, 302)
