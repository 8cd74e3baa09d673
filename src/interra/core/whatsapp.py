"""WhatsApp links without a WhatsApp account of our own: "click to chat" and "share".

Participants and leaders live on WhatsApp; an antenna with a WhatsApp number gets
questions there, and a session is shared as a message. Both are plain ``https://wa.me/``
links (https://faq.whatsapp.com/5913398998672934): no API, no cookie, nothing sent by us.

The text of a link is percent-encoded here, once (spaces as ``%20``, which every WhatsApp
client reads; ``+`` shows as a plus in some). Callers pass the text as people read it,
never HTML: a title such as "Pâtisserie d'Alep & thé" goes in raw and comes out of the
link exactly so. The numbers that a machine reads (the phone number, the session's id in
its address) are never formatted for a language.
"""

import re
import unicodedata
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

WA_ME = "https://wa.me/"
# E.164: a plus, a country code that does not start with 0, at most 15 digits in all.
# ASCII digits only: ``\d`` would take Arabic-Indic digits, which no wa.me link reads.
E164_RE = re.compile(r"\+[1-9][0-9]{6,14}")
# What people type between digits: "+32 470 12.34.56", "+32 (0)470-12 34 56".
_SEPARATORS_RE = re.compile(r"[\s.\-/()]")


def normalise_number(value: str) -> str:
    """A typed international number as E.164 (``+32470123456``): separators dropped, a
    leading ``00`` read as ``+``, the trunk ``(0)`` of Belgian habits dropped. What is not
    a number is returned as typed, for the validator to refuse."""
    value = (value or "").strip()
    if not value:
        return ""
    compact = _SEPARATORS_RE.sub("", value.replace("(0)", ""))
    # A number typed with Arabic-Indic or Persian digits is the same number.
    compact = "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char
                      for char in compact)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    return compact


def validate_e164(value: str) -> None:
    if value and not E164_RE.fullmatch(value):
        raise ValidationError(
            _("Write the number in international form, with its country code, for example "
              "+32 470 12 34 56."), code="invalid")


class WhatsAppNumberField(models.CharField):
    """An optional WhatsApp number, stored in E.164 whatever the spaces it was typed with."""

    default_validators = [validate_e164]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalise_number(super().to_python(value) or "")


def chat_url(number: str, text: str = "") -> str:
    """The "click to chat" link to ``number`` (E.164), with ``text`` written in the message
    box; "" when there is no valid number (callers then show no link)."""
    if not number or not E164_RE.fullmatch(number):
        return ""
    url = WA_ME + number[1:]
    return f"{url}?text={quote(text, safe='')}" if text else url


def share_url(text: str) -> str:
    """A link that opens WhatsApp with ``text`` ready to send to anyone the person picks."""
    return f"{WA_ME}?text={quote(text, safe='')}"


def question_url(number: str, subject: str, link: str = "") -> str:
    """Click to chat with the first words of a question about ``subject`` (a workshop's
    title, a proposal's) in the active language, and ``link`` so the team knows which."""
    if not number:
        return ""
    text = gettext("Hello, I have a question about “%(subject)s”.") % {"subject": subject}
    if link:
        text = f"{text}\n{link}"
    return chat_url(number, text)
