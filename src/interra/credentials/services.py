"""Writes: the portfolio's choices, skills, and issuing or revoking credentials."""

import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from interra.core.errors import Conflict, DomainError, PermissionDenied
from interra.core.text import forbidden_characters
from interra.notifications.services import notify

from . import documents, keys, selectors
from .models import Achievement, Credential, LeaderSkill, Portfolio, PortfolioQuote
from .skills import esco_skill, skill_label

PORTFOLIO_PARTS = ("is_public", "show_figures", "show_workshops", "show_skills",
                   "show_badges")
AUTOMATIC = (Achievement.SESSIONS_10, Achievement.COOKING_LEADER, Achievement.CO_LEADER)


# --- The portfolio -----------------------------------------------------------------------

@transaction.atomic
def portfolio_update(*, person, **parts: bool) -> Portfolio:
    """Save what the leader shows others; unknown parts are refused, nothing else moves."""
    unknown = set(parts) - set(PORTFOLIO_PARTS)
    if unknown:
        raise DomainError(_("Unknown part of the portfolio."), code="part")
    portfolio = selectors.portfolio_of(person)
    for name, value in parts.items():
        setattr(portfolio, name, bool(value))
    portfolio.save()
    return portfolio


@transaction.atomic
def portfolio_quotes_update(*, person, chosen, public) -> list[PortfolioQuote]:
    """The leader picks which participants' comments their portfolio quotes (``chosen``,
    Feedback ids) and which of those others may see (``public``; public means chosen).
    Only comments whose authors consented, on the leader's own sessions, can be picked:
    any other id is refused, and nothing moves."""
    chosen = {int(pk) for pk in chosen} | {int(pk) for pk in public}
    public = {int(pk) for pk in public}
    quotable = set(selectors.quotable_feedback(person).filter(pk__in=chosen)
                   .values_list("pk", flat=True))
    if chosen - quotable:
        raise DomainError(_("Choose among the comments their authors let you quote."),
                          code="feedback")
    portfolio = selectors.portfolio_of(person)
    Portfolio.objects.select_for_update().filter(pk=portfolio.pk).first()
    PortfolioQuote.objects.filter(portfolio=portfolio).exclude(feedback__in=chosen).delete()
    existing = {quote.feedback_id: quote
                for quote in PortfolioQuote.objects.filter(portfolio=portfolio)}
    for feedback_id in chosen:
        quote = existing.get(feedback_id)
        if quote is None:
            PortfolioQuote.objects.create(portfolio=portfolio, feedback_id=feedback_id,
                                          is_public=feedback_id in public)
        elif quote.is_public != (feedback_id in public):
            quote.is_public = feedback_id in public
            quote.save(update_fields=["is_public"])
    return list(selectors.quotes_of(portfolio))


def quotes_drop(*, feedback_ids) -> int:
    """A participant withdrew their consent (or was erased): no portfolio keeps the
    quote (connected to agenda.signals.quote_consent_withdrawn)."""
    deleted, _rows = PortfolioQuote.objects.filter(feedback__in=list(feedback_ids)).delete()
    return deleted


# --- Skills ------------------------------------------------------------------------------

@transaction.atomic
def skill_propose(*, person, esco_uri: str = "", label: str = "") -> LeaderSkill:
    """A leader adds a skill from the ESCO list or in their own words; a coordinator
    confirms it later. Refuses an unknown ESCO concept, an empty or too long label, and a
    skill already on the list."""
    esco_uri = (esco_uri or "").strip()
    label = " ".join((label or "").split())
    if esco_uri:
        if esco_skill(esco_uri) is None:
            raise DomainError(_("Choose a skill from the list."), code="esco_uri")
        label = ""
    elif not label:
        raise DomainError(_("Choose a skill from the list or write one."), code="label")
    elif len(label) > 120:
        raise DomainError(_("Write the skill in at most 120 characters."), code="label")
    elif forbidden_characters(label):
        raise DomainError(_("Remove the invisible control or text-direction characters "
                            "from this text."), code="control_characters")
    existing = LeaderSkill.objects.filter(person=person)
    if (esco_uri and existing.filter(esco_uri=esco_uri).exists()) or (
            label and existing.filter(label__iexact=label).exists()):
        raise Conflict(_("This skill is already on your list."), code="duplicate")
    try:
        with transaction.atomic():
            return LeaderSkill.objects.create(person=person, esco_uri=esco_uri, label=label)
    except IntegrityError as exc:
        raise Conflict(_("This skill is already on your list."), code="duplicate") from exc


def skill_remove(*, skill: LeaderSkill) -> None:
    skill.delete()


@transaction.atomic
def skill_decide(*, skill: LeaderSkill, by, confirm: bool) -> LeaderSkill:
    """A coordinator confirms (or does not confirm) a leader's skill; confirmed skills
    appear on the attestation and, if the leader wants, on the public portfolio."""
    skill.status = LeaderSkill.Status.CONFIRMED if confirm else LeaderSkill.Status.DECLINED
    skill.decided_by = by
    skill.decided_at = timezone.now()
    skill.save(update_fields=["status", "decided_by", "decided_at"])
    return skill


# --- Credentials -------------------------------------------------------------------------

def _free_status_index() -> int:
    """A random unused bit of the status list (random, so that neighbouring bits do not
    tell which credentials were issued together)."""
    used = set(Credential.objects.values_list("status_index", flat=True))
    if len(used) >= documents.STATUS_LIST_SIZE:
        raise DomainError(_("The revocation list is full."), code="status_list_full")
    while True:
        index = secrets.randbelow(documents.STATUS_LIST_SIZE)
        if index not in used:
            return index


def _issue(*, person, achievement: str, awarded_by=None, facts: dict | None = None,
           extra_esco=()) -> Credential:
    portfolio = selectors.portfolio_of(person)
    figures = selectors.leader_figures(person)
    facts = facts if facts is not None else figures.as_facts()
    issuer_key = keys.current_key()
    for _attempt in range(5):
        credential = Credential(
            person=person, achievement=achievement, awarded_by=awarded_by, key=issuer_key,
            status_index=_free_status_index(), issued_at=timezone.now(),
            subject_name=person.display_name, facts=facts)
        credential.person.portfolio = portfolio
        document = documents.credential_document(
            credential=credential, language=person.preferred_language or "fr",
            extra_esco=extra_esco)
        credential.jwt = documents.signed_credential(document, issuer_key)
        try:
            with transaction.atomic():
                credential.save(force_insert=True)
            return credential
        except IntegrityError:
            # Either the achievement is already held (the constraint) or, rarely, two
            # issues took the same random bit: tell the first apart, retry the second.
            if Credential.objects.filter(person=person, achievement=achievement,
                                         revoked_at__isnull=True).exists():
                raise Conflict(_("This person already holds this badge."),
                               code="already_held") from None
    raise DomainError(_("The badge could not be issued; try again."), code="status_index")


def _tell_holder(credential: Credential) -> None:
    notify(person=credential.person, template="badge_earned",
           context={"achievement": credential.achievement,
                    "sign_in_next": reverse("credentials:portfolio")})


@transaction.atomic
def credentials_award_earned(*, person, tell: bool = True) -> list[Credential]:
    """Issue every automatic badge ``person`` has earned and does not hold yet.

    Safe to call as often as wanted: the portfolio row is locked first, and a badge held
    (not revoked) is never issued twice (a database constraint behind it). A revoked
    badge is not issued again automatically: a coordinator revoked it on purpose.
    """
    if person.erased_at is not None:
        return []
    portfolio = selectors.portfolio_of(person)
    Portfolio.objects.select_for_update().filter(pk=portfolio.pk).first()
    figures = selectors.leader_figures(person)
    ever = set(Credential.objects.filter(person=person).values_list("achievement", flat=True))
    issued = []
    for achievement in documents.earned(figures):
        if achievement in ever:
            continue
        credential = _issue(person=person, achievement=achievement,
                            facts=figures.as_facts())
        if tell:
            _tell_holder(credential)
        issued.append(credential)
    return issued


def credentials_award_for_session(*, session_id: int) -> list[Credential]:
    """After a session took place or attendance changed: check its leaders' badges."""
    from interra.agenda.models import Session

    session = Session.objects.select_related("workshop__leader").filter(pk=session_id).first()
    if session is None:
        return []
    people = [session.workshop.leader, *session.workshop.co_leaders.all()]
    issued = []
    for person in people:
        issued += credentials_award_earned(person=person)
    return issued


@transaction.atomic
def credential_award(*, person, achievement: str, by) -> Credential:
    """A coordinator awards a badge by hand (e.g. for work done before the platform).
    Refuses the attestation (the leader asks for it) and a badge already held."""
    if achievement not in AUTOMATIC:
        raise DomainError(_("Choose a badge from the list."), code="achievement")
    if person.erased_at is not None:
        raise DomainError(_("This person erased their account."), code="erased")
    Portfolio.objects.select_for_update().filter(pk=selectors.portfolio_of(person).pk).first()
    if Credential.objects.filter(person=person, achievement=achievement,
                                 revoked_at__isnull=True).exists():
        raise Conflict(_("This person already holds this badge."), code="already_held")
    credential = _issue(person=person, achievement=achievement, awarded_by=by)
    _tell_holder(credential)
    return credential


@transaction.atomic
def credential_revoke(*, credential: Credential,
                      reason: str = Credential.Revocation.COORDINATOR) -> Credential:
    """Set the credential's bit in the status list: every verifier sees it revoked from
    now on. Revoking twice changes nothing."""
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at is None:
        credential.revoked_at = timezone.now()
        credential.revocation = reason
        credential.save(update_fields=["revoked_at", "revocation"])
    return credential


@transaction.atomic
def attestation_issue(*, person) -> Credential:
    """The leader's attestation as a signed credential: their figures and confirmed skills
    today. The same facts give the same attestation back; new facts replace it (the old
    one is revoked as replaced, so a verifier sees only the latest one as valid)."""
    if not selectors.workshops_of(person).exists():
        # "Workshop leader at Interra", signed: never for someone who led nothing.
        raise PermissionDenied(_("The attestation is for workshop leaders."),
                               code="not_a_leader")
    portfolio = selectors.portfolio_of(person)
    Portfolio.objects.select_for_update().filter(pk=portfolio.pk).first()
    skills = list(selectors.skills_of(person, confirmed_only=True))
    facts = selectors.leader_figures(person).as_facts()
    facts["skills"] = [skill_label(skill, person.preferred_language) for skill in skills]
    facts["skills_fr"] = [skill_label(skill, "fr") for skill in skills]
    confirmers = [skill.decided_by for skill in skills if skill.decided_by_id]
    facts["coordinator"] = confirmers[-1].display_name if confirmers else ""
    current = Credential.objects.filter(person=person, achievement=Achievement.ATTESTATION,
                                        revoked_at__isnull=True).first()
    if current is not None and current.facts == facts:
        return current
    if current is not None:
        credential_revoke(credential=current, reason=Credential.Revocation.REPLACED)
    return _issue(person=person, achievement=Achievement.ATTESTATION, facts=facts,
                  extra_esco=[skill.esco_uri for skill in skills if skill.esco_uri])


def revoked_status_indexes() -> list[int]:
    return list(Credential.objects.filter(revoked_at__isnull=False)
                .values_list("status_index", flat=True))


# --- Personal data (registered in CredentialsConfig.ready) -------------------------------

def personal_data_export(person) -> dict:
    portfolio = Portfolio.objects.filter(person=person).first()
    return {
        "portfolio": {part: getattr(portfolio, part) for part in PORTFOLIO_PARTS}
        if portfolio else None,
        # Which participants' comments their portfolio quotes (by id: the words are the
        # participants'; they see and withdraw them from their own "My data").
        "quotes": [{"feedback": quote.feedback_id, "is_public": quote.is_public}
                   for quote in PortfolioQuote.objects.filter(portfolio__person=person)],
        "skills": [{"esco_uri": skill.esco_uri, "label": skill.label, "status": skill.status}
                   for skill in LeaderSkill.objects.filter(person=person)],
        "credentials": [{"id": str(c.pk), "achievement": c.achievement,
                         "issued_at": c.issued_at.isoformat(),
                         "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None}
                        for c in Credential.objects.filter(person=person)],
    }


def personal_data_erase(person) -> None:
    """Revoke every credential (verifiers then read "revoked") and empty what names the
    person (the signed document, the name, the facts); delete the portfolio and skills.
    The credential rows stay, holding only their status bit, so the bit stays set."""
    for credential in Credential.objects.filter(person=person, revoked_at__isnull=True):
        credential_revoke(credential=credential, reason=Credential.Revocation.ERASED)
    Credential.objects.filter(person=person).update(jwt="", subject_name="", facts={},
                                                    awarded_by=None)
    LeaderSkill.objects.filter(person=person).delete()
    Portfolio.objects.filter(person=person).delete()  # its quotes with it
    # As a participant: their comments leave every portfolio (the agenda's eraser
    # withdraws the consent itself).
    PortfolioQuote.objects.filter(feedback__registration__person=person).delete()
    # Skills this person confirmed as a coordinator stay confirmed, without their name.
    LeaderSkill.objects.filter(decided_by=person).update(decided_by=None)
    Credential.objects.filter(awarded_by=person).update(awarded_by=None)
    # Attestations name the coordinator who confirmed the skills (not in the signed part).
    if person.display_name:
        for credential in Credential.objects.filter(facts__coordinator=person.display_name):
            credential.facts["coordinator"] = ""
            credential.save(update_fields=["facts"])
