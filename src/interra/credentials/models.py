"""A leader's portfolio, their skills, and the verifiable credentials issued to them.

Nothing here is public by default: a portfolio is shown to others only after its owner
turns it on, part by part. A credential is a signed Open Badges 3.0 document (VC-JWT);
its public verification page is reached only through its unguessable id, which the
leader hands out with it.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_public_slug() -> str:
    return secrets.token_urlsafe(12)


class Portfolio(models.Model):
    """What the leader chooses to show others (all off until they say otherwise)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portfolio",
        verbose_name=_("person"),
    )
    # The holder's identifier inside their credentials (credentialSubject.id): random,
    # so it says nothing about the person and links only their own credentials.
    subject_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    public_slug = models.CharField(max_length=32, unique=True, default=new_public_slug,
                                   editable=False)
    is_public = models.BooleanField(_("show my portfolio to others"), default=False)
    show_figures = models.BooleanField(_("my figures (sessions, hours, people)"),
                                       default=False)
    show_workshops = models.BooleanField(_("the titles of my workshops"), default=False)
    show_skills = models.BooleanField(_("my confirmed skills"), default=False)
    show_badges = models.BooleanField(_("my badges"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")

    def __str__(self):
        return f"#{self.person_id}"

    @property
    def shows_anything(self) -> bool:
        return self.is_public and (
            self.show_figures or self.show_workshops or self.show_skills or self.show_badges
            or self.quotes.filter(is_public=True, feedback__quote_consent=True).exists())


class PortfolioQuote(models.Model):
    """A participant's comment the leader chose to show on their portfolio.

    Only a comment whose author said yes (``agenda.Feedback.quote_consent``) can be
    chosen, and it is shown only while that yes stands (read every time): withdrawing it,
    or erasing the participant, removes the quote. A quote never carries a name.
    """

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="quotes",
                                  verbose_name=_("portfolio"))
    feedback = models.ForeignKey("agenda.Feedback", on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("feedback"))
    is_public = models.BooleanField(_("shown to others"), default=False)
    created_at = models.DateTimeField(_("chosen"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("portfolio quote")
        verbose_name_plural = _("portfolio quotes")
        constraints = [
            models.UniqueConstraint(fields=["portfolio", "feedback"],
                                    name="portfolioquote_once_per_portfolio"),
        ]

    def __str__(self):
        return f"#{self.portfolio_id} · {self.feedback_id}"


class LeaderSkill(models.Model):
    """A skill a leader claims: from the ESCO list (``esco_uri``) or in their own words
    (``label``); a coordinator confirms it before it appears on an attestation."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("waiting for a coordinator")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("not confirmed")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="skills", verbose_name=_("person"))
    esco_uri = models.CharField(_("ESCO concept"), max_length=120, blank=True)
    label = models.CharField(_("skill in your own words"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("leader's skill")
        verbose_name_plural = _("leaders' skills")
        constraints = [
            models.CheckConstraint(condition=~Q(esco_uri="") | ~Q(label=""),
                                   name="leaderskill_esco_or_label"),
            models.UniqueConstraint(fields=["person", "esco_uri"], condition=~Q(esco_uri=""),
                                    name="leaderskill_one_per_esco_concept"),
        ]

    def __str__(self):
        return self.esco_uri or self.label


class IssuerKey(models.Model):
    """One signing key of the organisation. The private half is stored encrypted (see
    keys.py) and never leaves the server; the public half stays published after a
    rotation, so that credentials signed with it still verify."""

    kid = models.CharField(max_length=300, unique=True)
    thumbprint = models.CharField(max_length=64, unique=True)  # RFC 7638
    algorithm = models.CharField(max_length=10, default="RS256")
    public_jwk = models.JSONField()
    private_jwk_encrypted = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # The key that signs now; exactly one at a time (constraint below).
    is_current = models.BooleanField(default=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True),
                                    name="issuerkey_one_current"),
        ]

    def __str__(self):
        return self.kid


class Achievement(models.TextChoices):
    SESSIONS_10 = "sessions_10", _("Led 10 sessions")
    COOKING_LEADER = "cooking_leader", _("Cooking workshop leader")
    CO_LEADER = "co_leader", _("Co-led a workshop")
    ATTESTATION = "attestation", _("Workshop leader at Interra")


class Credential(models.Model):
    """One OpenBadgeCredential issued to a leader, as signed (``jwt``).

    ``status_index`` is the credential's bit in the revocation status list; it is never
    reused. Erasing the person revokes the credential and empties everything personal
    (the signed document included); the row stays so that the bit stays set.
    """

    class Revocation(models.TextChoices):
        COORDINATOR = "coordinator", _("withdrawn by a coordinator")
        ERASED = "erased", _("the holder erased their account")
        REPLACED = "replaced", _("replaced by a newer attestation")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="credentials", verbose_name=_("holder"))
    achievement = models.CharField(_("achievement"), max_length=20,
                                   choices=Achievement.choices)
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("awarded by"))
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="credentials")
    status_index = models.PositiveIntegerField(unique=True)
    issued_at = models.DateTimeField(_("issued"))
    subject_name = models.CharField(_("holder's name as issued"), max_length=80, blank=True)
    # The figures and skills the credential states, as signed (shown on the
    # verification page and the attestation).
    facts = models.JSONField(default=dict, blank=True)
    jwt = models.TextField(blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation = models.CharField(_("why revoked"), max_length=12,
                                  choices=Revocation.choices, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        constraints = [
            # An achievement is held once (an attestation is renewed: the old one is
            # revoked as "replaced" before the new one is issued).
            models.UniqueConstraint(fields=["person", "achievement"],
                                    condition=Q(revoked_at__isnull=True),
                                    name="credential_one_valid_per_achievement"),
        ]

    def __str__(self):
        return f"{self.achievement} · {self.id}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
