"""People: anyone who proposes, leads, registers, coordinates or hosts.

A person has an email address, a phone number, or both: many newcomers have a phone and
WhatsApp but rarely read email, so a phone-only person is first-class. We never store
nationality, residence status or origin; the newcomer/local mark is self-declared,
optional and offers "prefer not to say".
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interra.notifications.models import Channel


class Group(models.TextChoices):
    """Self-declared, optional; shown to coordinators of the person's city only."""

    NEWCOMER = "newcomer", _("Newcomer to Belgium")
    LOCAL = "local", _("Local")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, phone, password, **extra):
        from .normalize import normalize_email, normalize_phone

        email = normalize_email(email) if email else None
        phone = normalize_phone(phone) if phone else None
        if not email and not phone:
            raise ValueError("A person needs an email address or a phone number.")
        user = self.model(email=email, phone=phone, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, *, phone=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, phone, password, **extra)

    def create_superuser(self, email=None, password=None, *, phone=None, **extra):
        extra.update(is_staff=True, is_superuser=True, is_network_admin=True)
        return self._create(email, phone, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(Q(email__iexact=username) | Q(phone=username))


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    phone = models.CharField(
        _("phone number"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text=_("With the country code, e.g. +32 470 12 34 56."),
    )
    display_name = models.CharField(_("name"), max_length=80)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    spoken_languages = models.JSONField(
        _("languages spoken"), default=list, blank=True,
        help_text=_("Language codes, e.g. [\"ar\", \"fr\"]."),
    )
    group = models.CharField(
        _("newcomer or local"), max_length=16, choices=Group.choices, blank=True, default=""
    )
    preferred_channel = models.CharField(
        _("how to reach me"), max_length=8, choices=Channel.choices, default=Channel.EMAIL
    )
    is_staff = models.BooleanField(
        _("staff (admin site)"), default=False,
        help_text=_("Can open the admin site; always with two-factor authentication."),
    )
    is_network_admin = models.BooleanField(
        _("network admin"), default=False, help_text=_("Sees every city of the network.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    photo = models.ImageField(
        _("photo"), upload_to="people/", blank=True,
        help_text=_("JPEG, PNG or WebP, up to 5 MB."),
    )
    photo_public = models.BooleanField(
        _("Show my photo on the public pages of my workshops"), default=False
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(email__isnull=False) | Q(phone__isnull=False) | Q(erased_at__isnull=False)
                ),
                name="user_has_email_or_phone",
            ),
        ]

    def __str__(self):
        return self.display_name or self.email or self.phone or f"#{self.pk}"

    @property
    def first_name(self) -> str:
        """What a leader sees on an attendance list: the first word of the name."""
        return (self.display_name or "").split(" ")[0]

    @property
    def public_photo_url(self) -> str:
        """The photo's address for public pages, only if the person agreed; else ""."""
        return self.photo.url if self.photo_public and self.photo else ""

    @property
    def contact_channel(self) -> str:
        """The channel we can actually use: the preferred one if its address exists
        (push: a device that accepts notifications)."""
        if self.preferred_channel == Channel.PUSH and self.pk and \
                self.push_subscriptions.exists():
            return Channel.PUSH
        # Push without a device falls back to SMS (people without data), then e-mail.
        if self.preferred_channel in (Channel.SMS, Channel.PUSH) and self.phone:
            return Channel.SMS
        if self.email:
            return Channel.EMAIL
        return Channel.SMS if self.phone else ""

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.first_name


class StaffInvitation(models.Model):
    """A one-time link a network admin hands to a new coordinator or volunteer.

    Opening it is the only way to enrol a first second-factor device: a password alone
    never does. Only a hash of the token is stored, so the database never holds a
    usable link.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_invitations",
        verbose_name=_("person"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("invited by"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")

    def __str__(self):
        return f"#{self.pk} · {self.person_id}"
