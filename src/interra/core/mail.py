"""A console e-mail backend that prints messages as people will read them.

Django's own console backend prints the raw MIME message: any accent turns the body into
base64 or quoted-printable and the subject into ``=?utf-8?...?=``, so the demo's
e-mails (French, Arabic, Ukrainian...) are unreadable in the terminal. This one prints the
decoded headers and every text part as UTF-8 text, and names the attachments.
"""

import sys

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend

HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Subject", "Date")


class ConsoleEmailBackend(DjangoConsoleBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A terminal or a log file may not be UTF-8 by default (LANG=C in a service).
        if self.stream is sys.stdout and hasattr(self.stream, "reconfigure"):
            try:
                self.stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a stream that refuses
                pass

    def write_message(self, message):
        self.stream.write(render_readable(message))
        self.stream.write("-" * 79 + "\n")


def render_readable(message) -> str:
    """The message as text: decoded headers, then each text part, then attachment names."""
    mime = message.message()
    lines = [f"{name}: {mime[name]}" for name in HEADERS if mime[name]]
    # Bcc never appears in the MIME headers; show it as an operator would want to see it.
    bcc = getattr(message, "bcc", None)
    if bcc and not mime["Bcc"]:
        lines.append("Bcc: " + ", ".join(bcc))
    lines.append("")
    for part in mime.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        content_type = part.get_content_type()
        if filename or not content_type.startswith("text/"):
            size = len(part.get_payload(decode=True) or b"")
            lines.append(f"[attachment: {filename or '(unnamed)'}, {content_type}, "
                         f"{size} bytes]")
            continue
        text = part.get_content()
        if content_type != "text/plain":
            # The HTML twin of the text part: its markup would drown the message.
            lines.append(f"[{content_type} alternative, {len(text)} characters]")
            continue
        lines.append(text.rstrip("\n"))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
