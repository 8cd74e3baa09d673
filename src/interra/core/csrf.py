"""Django's CSRF strings, drawn with one system call instead of one per character.

Django draws each character of a CSRF string with ``secrets.choice``: a system call per
character, 64 for a first-time visitor's token (the secret and its mask). That was a
tenth of the time of an agenda page served from the cache, for every visitor arriving
from a shared link. The strings drawn here are the same: Django's alphabet and length,
from the operating system's random source, every character equally likely (bytes that
would favour the first characters are drawn again). Only the drawing changes, so
Django's checks of tokens and cookies are untouched.
"""

import os

from django.middleware import csrf

_ALPHABET = csrf.CSRF_ALLOWED_CHARS
_BELOW = 256 - 256 % len(_ALPHABET)  # bytes under this map evenly onto the alphabet


def new_csrf_string() -> str:
    chars: list[str] = []
    while len(chars) < csrf.CSRF_SECRET_LENGTH:
        chars.extend(_ALPHABET[byte % len(_ALPHABET)]
                     for byte in os.urandom(2 * csrf.CSRF_SECRET_LENGTH) if byte < _BELOW)
    return "".join(chars[:csrf.CSRF_SECRET_LENGTH])


def install() -> None:
    """Django's middleware and ``get_token`` call the module's function by name."""
    csrf._get_new_csrf_string = new_csrf_string
