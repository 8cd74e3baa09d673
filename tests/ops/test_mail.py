"""E-mails printed in the terminal (make run, make dev) read as typed."""

import io
import re

from django.core.mail import EmailMultiAlternatives

from interra.core.mail import ConsoleEmailBackend

SUBJECT = "Rappel : Pâtisserie d'Alep & thé <demain>"
BODY = "مرحبا سلمى،\nÀ demain à l'atelier « Pâtisserie d'Alep & thé ».\nДо зустрічі!"


def _printed(message) -> str:
    stream = io.StringIO()
    ConsoleEmailBackend(stream=stream).send_messages([message])
    return stream.getvalue()


def test_subject_and_body_are_printed_as_typed():
    message = EmailMultiAlternatives(SUBJECT, BODY, "Interra <bonjour@interra.example>",
                                     ["Salma Haddad <salma@example.org>"])
    printed = _printed(message)
    assert f"Subject: {SUBJECT}" in printed
    assert "To: Salma Haddad <salma@example.org>" in printed
    assert BODY in printed
    # Neither MIME encoding that Django's own console backend prints.
    assert "=?utf-8?" not in printed.lower()
    assert "Content-Transfer-Encoding" not in printed
    assert "2LHYrdio" not in printed  # "مرحبا" in base64


def test_html_twin_and_attachments_are_named_not_dumped():
    message = EmailMultiAlternatives(SUBJECT, BODY, "bonjour@interra.example",
                                     ["salma@example.org"])
    message.attach_alternative("<p>" + "x" * 500 + "</p>", "text/html")
    message.attach("attestation.pdf", b"%PDF-1.7 " + b"\0" * 100, "application/pdf")
    printed = _printed(message)
    assert BODY in printed
    assert re.search(r"\[text/html alternative, 50\d characters\]", printed)
    assert "[attachment: attestation.pdf, application/pdf, 109 bytes]" in printed
    assert "xxxxx" not in printed
