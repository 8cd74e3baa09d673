"""Shared model pieces: timestamps and the staff audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditLogEntry(models.Model):
    """One access by a staff member to somebody's personal data (DESIGN: data protection).

    Written by `core.audit.audit_personal_data_access`; never edited, never shown to
    anyone but network admins.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        EXPORT = "export", _("exported")
        CHANGE = "change", _("changed")
        ERASE = "erase", _("erased")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    # What was looked at: "accounts.user:42", "agenda.session:7:registrations"...
    subject = models.CharField(_("subject"), max_length=200, db_index=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.subject}"
