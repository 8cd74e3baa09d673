from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: what went out. Contexts hold no sign-in link (minted when sent)."""

    list_display = ["created_at", "template", "recipient", "city", "channel", "language",
                    "status", "attempts"]
    list_filter = ["status", "channel", "template", "city"]
    readonly_fields = [f.name for f in Message._meta.fields]
