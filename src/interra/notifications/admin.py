from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "template", "recipient", "channel", "language", "status"]
    list_filter = ["status", "channel", "template"]
    readonly_fields = [f.name for f in Message._meta.fields]
