"""WhatsApp links in pages and in text messages (see ``interra.core.whatsapp``).

The arguments reach the tags raw (never HTML-escaped, whatever the template), and the
links they return hold only percent-encoded text, so a page's autoescaping leaves them
as they are and a text message shows them as made.
"""

from django import template

from interra.core import whatsapp

register = template.Library()


@register.simple_tag
def whatsapp_question(number, subject, link=""):
    """{% whatsapp_question city.whatsapp_number title session_link %}: click to chat with
    the antenna, a question about ``subject`` begun in the active language ("" without
    a number)."""
    return whatsapp.question_url(number or "", str(subject or ""), str(link or ""))


@register.simple_tag
def whatsapp_share(text):
    return whatsapp.share_url(str(text or ""))


@register.simple_tag
def whatsapp_chat(number):
    """{% whatsapp_chat number %}: the bare click-to-chat link (short enough for an SMS)."""
    return whatsapp.chat_url(number or "")
