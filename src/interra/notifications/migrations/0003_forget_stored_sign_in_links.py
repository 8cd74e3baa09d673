"""Messages used to store a working sign-in link in their context. Links are credentials:
replace each stored one by where it led ("sign_in_next"), so the worker mints a fresh
link if the message is ever sent again, and no link stays in the database."""

from urllib.parse import parse_qs, urlsplit

from django.db import migrations

SIGN_IN_PATH = "/accounts/link/"


def _is_sign_in_link(value) -> bool:
    return isinstance(value, str) and "sesame=" in value


def forget_links(apps, schema_editor):
    Message = apps.get_model("notifications", "Message")
    for message in Message.objects.filter(context__has_key="link").iterator():
        context = dict(message.context or {})
        link = context.get("link")
        if not _is_sign_in_link(link):
            continue
        parts = urlsplit(link)
        next_url = parse_qs(parts.query.replace("&amp;", "&")).get("next", ["/"])[0]
        if not next_url.startswith("/") or next_url.startswith("//"):
            next_url = "/"
        del context["link"]
        context["sign_in_next"] = next_url
        message.context = context
        message.save(update_fields=["context"])


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0002_attempts_city_delivery"),
    ]

    operations = [
        migrations.RunPython(forget_links, migrations.RunPython.noop, elidable=True),
    ]
