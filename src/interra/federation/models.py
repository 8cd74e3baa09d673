"""Each city's agenda as an ActivityPub actor: its signing key, who follows it, and the
activities on their way to the followers' inboxes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorKey(models.Model):
    """The RSA key that signs what a city's actor sends. The private half is stored
    encrypted (see keys.py): a database dump alone cannot sign in the city's name."""

    city = models.OneToOneField("cities.City", on_delete=models.CASCADE,
                                related_name="actor_key", verbose_name=_("city"))
    public_pem = models.TextField(_("public key (PEM)"))
    private_pem_encrypted = models.TextField(_("private key, encrypted"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("actor key")
        verbose_name_plural = _("actor keys")

    def __str__(self):
        return f"{self.city} key"


class Follower(models.Model):
    """A fediverse account (a Mastodon user, a Mobilizon instance...) that follows a
    city's agenda. Only its public addresses are kept: no name, no picture."""

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE,
                             related_name="fediverse_followers", verbose_name=_("city"))
    actor_uri = models.URLField(_("actor"), max_length=500)
    inbox = models.URLField(_("inbox"), max_length=500)
    shared_inbox = models.URLField(_("shared inbox"), max_length=500, blank=True)
    follow_id = models.URLField(_("follow activity"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [models.UniqueConstraint(fields=["city", "actor_uri"],
                                               name="federation_one_follow_per_actor")]

    def __str__(self):
        return self.actor_uri

    @property
    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox


class Delivery(models.Model):
    """One signed activity to one inbox; tried again with back-off until it is accepted
    or the attempts run out (then it stays here as failed)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        RETRYING = "retrying", _("will be tried again")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE,
                             related_name="fediverse_deliveries", verbose_name=_("city"))
    inbox = models.URLField(_("inbox"), max_length=500)
    activity = models.JSONField(_("activity"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.activity.get('type')} → {self.inbox} ({self.status})"
