"""Render message templates as text: nothing is HTML-escaped, links are minted here.

E-mails and SMS are plain text, so "Pâtisserie d'Alep & thé" must stay as typed and a link
with ``&next=`` must keep its ``&``. Every ``notifications/<template>/*.txt`` goes through
one template engine whose autoescaping is off, instead of each file remembering
``{% autoescape off %}``.
"""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.backends.django import get_installed_libraries
from django.utils import translation


@cache
def text_engine() -> Engine:
    """The project's templates and tag libraries, with autoescaping off."""
    dirs = [str(d) for backend in settings.TEMPLATES for d in backend.get("DIRS", [])]
    return Engine(dirs=dirs, app_dirs=True, autoescape=False, debug=False,
                  libraries=get_installed_libraries())


def render_text(template_name: str, context: dict) -> str:
    template = text_engine().get_template(template_name)
    return template.render(Context(context, autoescape=False))


# Accounts (above notifications) gives its link maker in AccountsConfig.ready.
_sign_in_link_maker = None


def set_sign_in_link_maker(maker) -> None:
    """``maker(person, *, next_url) -> str``: an absolute sign-in link."""
    global _sign_in_link_maker
    _sign_in_link_maker = maker


def sign_in_link(person, next_url: str) -> str:
    """A fresh sign-in link, minted now: it exists only in the message that is sent."""
    if _sign_in_link_maker is None:
        raise ImproperlyConfigured("No sign-in link maker: interra.accounts is not ready.")
    return _sign_in_link_maker(person, next_url=next_url)


def render_message(message) -> dict[str, str]:
    """The subject, text body, SMS text, push text and push address of ``message`` in
    its language.

    A context with ``sign_in_next`` gets a ``link`` that signs the recipient in and opens
    that page; the link is never written back to the message.
    """
    context = {
        **message.context,
        "recipient": message.recipient,
        "site_url": settings.SITE_URL,
    }
    next_url = message.context.get("sign_in_next")
    if next_url is not None and message.recipient is not None:
        context["link"] = sign_in_link(message.recipient, next_url)
    base = f"notifications/{message.template}"
    with translation.override(message.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_text(f"{base}/subject.txt", context).split())
        body = render_text(f"{base}/body.txt", context).strip()
        try:
            sms = render_text(f"{base}/sms.txt", context).strip()
        except TemplateDoesNotExist:
            sms = f"{subject}\n{body}"
        try:
            push = render_text(f"{base}/push.txt", context).strip()
        except TemplateDoesNotExist:
            # The SMS text without its link: the notification opens the link when tapped.
            push = sms.replace(context.get("link") or "\0", "").strip()
    return {"subject": subject, "body": body, "sms": sms, "push": push,
            "url": _target_url(context)}


def _target_url(context: dict) -> str:
    """Where tapping a notification leads: the sign-in link, else the message's page."""
    if context.get("link"):
        return context["link"]
    url = context.get("url") or "/"
    return url if url.startswith(("https://", "http://")) else settings.SITE_URL + url
