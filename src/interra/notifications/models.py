"""Every message the platform sends, so staff can see what went out and resend it.

A message stores what it is about (ids, titles, where a sign-in link should lead), never a
sign-in link: links are credentials, minted by the worker while it renders the message.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a message reaches a person (``User.preferred_channel`` offers these)."""

    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    PUSH = "push", _("Notification on my phone")


class Message(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("being sent")
        RETRYING = "retrying", _("will be tried again")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        UNDELIVERED = "undelivered", _("not delivered")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("no way to reach this person")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
        related_name="messages_received", verbose_name=_("recipient"),
    )
    # Which city's coordinators see the message when it fails (empty: the admin site only).
    city = models.ForeignKey(
        "cities.City", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("city"),
    )
    template = models.CharField(_("template"), max_length=80)
    context = models.JSONField(_("context"), default=dict, blank=True)
    channel = models.CharField(_("channel"), max_length=8, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # The provider's id for an SMS, to match its delivery reports.
    provider_id = models.CharField(_("provider reference"), max_length=64, blank=True,
                                   db_index=True)
    # SMS segments the provider bills for this message (0 for e-mail and push).
    segments = models.PositiveSmallIntegerField(_("SMS segments"), default=0)
    # The channel chosen first, when the message had to go another way (push gone: SMS).
    fallback_from = models.CharField(_("instead of"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["status", "next_attempt_at"],
                                name="message_due_idx")]

    def __str__(self):
        return f"{self.template} → {self.recipient_id} ({self.status})"


class PushSubscription(models.Model):
    """One browser or installed app that accepts web push for a person (RFC 8030).

    ``endpoint`` is the push service's address for that device; ``p256dh`` and ``auth`` are
    the keys the browser made to decrypt our messages (RFC 8291). A person may have
    several devices. The push service answering 404 or 410 deletes the row.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions",
        verbose_name=_("person"),
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(_("public key"), max_length=200)
    auth = models.CharField(_("authentication secret"), max_length=64)
    user_agent = models.CharField(_("device"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self):
        return f"{self.person_id}: {self.endpoint[:40]}"

    @property
    def info(self) -> dict:
        """What the sending library expects (the browser's PushSubscription.toJSON())."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
