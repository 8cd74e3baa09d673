"""Employers and job-support partners, and what they ask leaders through the platform.

An organisation (``Employer``) belongs to one city and acts through its contact people;
it searches nothing until a coordinator of that city verified it. Leaders are found only
when they said so (``LeaderListing.findable``, off by default). A request carries no
contact detail: the leader's phone or e-mail is shown to the organisation only once the
leader accepted, and only the one they chose (``ContactRequest.shared_channel``, read
from the leader's account at display time, so it is never copied).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Employer(models.Model):
    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        JOB_SUPPORT = "job_support", _("Job-support organisation")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a coordinator")
        VERIFIED = "verified", _("verified")
        SUSPENDED = "suspended", _("suspended")

    city = models.ForeignKey("cities.City", on_delete=models.PROTECT,
                             related_name="employers", verbose_name=_("city"))
    name = models.CharField(_("organisation"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices,
                            default=Kind.EMPLOYER)
    website = models.URLField(_("website"), blank=True)
    description = models.CharField(_("what the organisation does"), max_length=500,
                                   blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self):
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED


class EmployerContact(models.Model):
    """A person who acts for the organisation. ``confirmed_at`` is set when that person,
    signed in through a link sent to their own contact, says they act for it: a form
    typed by someone else never makes anybody an employer's contact by itself."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts",
                                 verbose_name=_("employer"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="employer_contacts", verbose_name=_("person"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("employer's contact person")
        verbose_name_plural = _("employers' contact people")
        constraints = [models.UniqueConstraint(fields=["employer", "person"],
                                               name="employercontact_unique")]

    def __str__(self):
        return f"{self.employer_id} · {self.person_id}"


class EmployerStatusChange(models.Model):
    """Who verified or suspended an organisation, when, and why."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    from_status = models.CharField(max_length=10, choices=Employer.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Employer.Status.choices)
    reason = models.CharField(_("why"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.employer_id}: {self.from_status} → {self.to_status}"


class LeaderListing(models.Model):
    """A leader's choice to be found by verified employers of their cities (off by
    default). ``id`` is what an employer's page names the leader by: it says nothing
    about the person and is useless once the leader turns the choice off."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="employer_listing", verbose_name=_("person"))
    findable = models.BooleanField(_("employers may find me"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.person_id} · {self.findable}"


class ContactRequest(models.Model):
    """A contact request or a paid-gig offer from an organisation to a leader."""

    class Kind(models.TextChoices):
        CONTACT = "contact", _("Contact request")
        GIG = "gig", _("Paid gig")

    class GigKind(models.TextChoices):
        CATERING = "catering", _("Catering for an event")
        WORKSHOP = "workshop", _("A paid workshop (school, company…)")
        TRANSLATION = "translation", _("Interpreting or translation")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    class Channel(models.TextChoices):
        PHONE = "phone", _("my phone number")
        EMAIL = "email", _("my e-mail address")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE,
                                 related_name="requests", verbose_name=_("employer"))
    city = models.ForeignKey("cities.City", on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("sent by"))
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="employer_requests", verbose_name=_("leader"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    message = models.TextField(_("message"), max_length=1000, blank=True)
    gig_kind = models.CharField(_("kind of gig"), max_length=12, choices=GigKind.choices,
                                blank=True)
    gig_date = models.DateField(_("date"), null=True, blank=True)
    gig_place = models.CharField(_("place"), max_length=200, blank=True)
    gig_pay = models.CharField(_("pay"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    shared_channel = models.CharField(_("contact shared"), max_length=8,
                                      choices=Channel.choices, blank=True)
    sent_at = models.DateTimeField(_("sent"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    done_at = models.DateTimeField(_("gig done"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "pk"]
        verbose_name = _("request to a leader")
        verbose_name_plural = _("requests to leaders")
        constraints = [
            # One open question at a time from an organisation to a person.
            models.UniqueConstraint(fields=["employer", "leader"],
                                    condition=Q(status="pending"),
                                    name="contactrequest_one_pending"),
        ]

    def __str__(self):
        return f"{self.kind} · {self.employer_id} → {self.leader_id}"

    @property
    def is_gig(self) -> bool:
        return self.kind == self.Kind.GIG

    def shared_contact(self) -> str:
        """The one contact the leader chose to share, once they accepted; else nothing."""
        if self.status != self.Status.ACCEPTED or self.leader.erased_at is not None:
            return ""
        if self.shared_channel == self.Channel.PHONE:
            return self.leader.phone or ""
        if self.shared_channel == self.Channel.EMAIL:
            return self.leader.email or ""
        return ""


class RequestEvent(models.Model):
    """The log of a request: who did what, when (sent, accepted, declined, gig done)."""

    class Action(models.TextChoices):
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        BLOCKED = "blocked", _("declined and blocked")
        DONE = "done", _("gig marked as done")

    request = models.ForeignKey(ContactRequest, on_delete=models.CASCADE,
                                related_name="events")
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    action = models.CharField(_("what"), max_length=10, choices=Action.choices)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.request_id}: {self.action}"


class EmployerBlock(models.Model):
    """A leader blocked an organisation: it cannot send them anything again, and is told
    only the neutral refusal any unreachable person gives."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["leader", "employer"],
                                               name="employerblock_unique")]

    def __str__(self):
        return f"{self.leader_id} ⊘ {self.employer_id}"
