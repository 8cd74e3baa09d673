"""Reads: a leader's figures, their skills and credentials, always for one person.

Figures about participants are counts only: no name of anybody else ever leaves here.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from interra.agenda.models import Feedback, Registration, Session
from interra.cities.selectors import coordinated_cities
from interra.proposals.models import Workshop

from .models import Credential, LeaderSkill, Portfolio, PortfolioQuote

# An average of fewer ratings would let a leader, who knows who came, read one person's
# rating (the platform's "at least 5" rule for anything said about people).
MIN_RATINGS_FOR_AVERAGE = 5


@dataclass(frozen=True)
class LeaderFigures:
    workshops_led: int = 0
    workshops_co_led: int = 0
    sessions_held: int = 0
    hours: float = 0.0
    participants_reached: int = 0
    returning_participants: int = 0
    ratings: int = 0
    average_rating: float | None = None
    cooking_sessions: int = 0
    co_led_sessions: int = 0
    first_session: datetime | None = None
    last_session: datetime | None = None
    languages: list = field(default_factory=list)

    def as_facts(self) -> dict:
        """JSON-able, as a credential or an attestation states them."""
        return {
            "workshops_led": self.workshops_led,
            "workshops_co_led": self.workshops_co_led,
            "sessions_held": self.sessions_held,
            "hours": self.hours,
            "participants_reached": self.participants_reached,
            "returning_participants": self.returning_participants,
            "average_rating": self.average_rating,
            "ratings": self.ratings if self.average_rating is not None else None,
            "first_session": self.first_session.date().isoformat()
            if self.first_session else None,
            "last_session": self.last_session.date().isoformat() if self.last_session else None,
            "languages": self.languages,
        }


def workshops_of(person) -> QuerySet[Workshop]:
    return Workshop.objects.filter(Q(leader=person) | Q(co_leaders=person)).distinct()


def held_sessions_of(person) -> QuerySet[Session]:
    """Sessions of the person's workshops (led or co-led) that took place: marked held,
    or someone was marked present. Cancelled ones never count."""
    someone_came = Registration.objects.filter(session=OuterRef("pk"), attended=True)
    return (Session.objects.filter(workshop__in=workshops_of(person).values("pk"))
            .exclude(status=Session.Status.CANCELLED)
            .filter(Q(status=Session.Status.HELD) | Exists(someone_came)))


def leader_figures(person) -> LeaderFigures:
    sessions = held_sessions_of(person)
    rows = list(sessions.select_related("workshop").only(
        "starts_at", "ends_at", "workshop__leader_id", "workshop__theme",
        "workshop__languages", "workshop_id"))
    if not rows:
        return LeaderFigures()
    workshop_ids = {session.workshop_id for session in rows}
    led = {s.workshop_id for s in rows if s.workshop.leader_id == person.pk}
    co_led_workshops = set(Workshop.co_leaders.through.objects.filter(
        workshop_id__in=workshop_ids).values_list("workshop_id", flat=True))
    hours = sum(((s.ends_at - s.starts_at) for s in rows), timedelta()).total_seconds() / 3600
    present = (Registration.objects.filter(session__in=[s.pk for s in rows], attended=True)
               .aggregate(total=Sum(Coalesce("attended_seats", "seats")))["total"] or 0)
    ratings = Feedback.objects.filter(registration__session__in=[s.pk for s in rows]).aggregate(
        count=Count("pk"), average=Avg("rating"))
    languages = sorted({code for s in rows for code in (s.workshop.languages or [])})
    return LeaderFigures(
        returning_participants=_returning(person, [s.pk for s in rows]),
        workshops_led=len(led),
        workshops_co_led=len(workshop_ids - led),
        sessions_held=len(rows),
        hours=round(hours, 1),
        participants_reached=present,
        ratings=ratings["count"],
        average_rating=(round(ratings["average"], 1)
                        if ratings["count"] >= MIN_RATINGS_FOR_AVERAGE else None),
        cooking_sessions=sum(1 for s in rows if s.workshop.theme == "cooking"),
        # A session with two leaders or more: the person led it with someone else.
        co_led_sessions=sum(1 for s in rows if s.workshop_id in co_led_workshops),
        first_session=min(s.starts_at for s in rows),
        last_session=max(s.starts_at for s in rows),
        languages=languages,
    )


def _returning(person, session_ids: list[int]) -> int:
    """People who came back: registered people (walk-ins have no person to follow) marked
    present at 2 or more distinct held sessions of this leader's workshops. The leader
    is not their own participant."""
    return (Registration.objects.filter(session__in=session_ids, attended=True,
                                        person__isnull=False)
            .exclude(person=person)
            .values("person").order_by()
            .annotate(sessions=Count("session", distinct=True))
            .filter(sessions__gte=2).count())


def portfolio_of(person) -> Portfolio:
    portfolio, _created = Portfolio.objects.get_or_create(person=person)
    return portfolio


def public_portfolio(slug: str) -> Portfolio:
    """Only a portfolio its owner made public, with at least one part shown; else 404."""
    portfolio = (Portfolio.objects.select_related("person")
                 .filter(public_slug=slug, is_public=True, person__erased_at__isnull=True)
                 .first())
    if portfolio is None or not portfolio.shows_anything:
        raise Http404
    return portfolio


# --- Quotes: participants' comments, only with their consent ---------------------------

def quotable_feedback(person) -> QuerySet[Feedback]:
    """Comments on the person's held sessions whose authors let leaders quote them."""
    return (Feedback.objects.filter(quote_consent=True,
                                    registration__session__in=held_sessions_of(person))
            .exclude(comment="").exclude(registration__person=person)
            .order_by("-created_at", "-pk"))


def quotes_of(portfolio: Portfolio, *, public_only: bool = False) -> QuerySet[PortfolioQuote]:
    """The quotes the leader chose, while their authors' consent stands (read now, so a
    withdrawn consent hides the quote at once, even before its row is deleted)."""
    quotes = PortfolioQuote.objects.filter(
        portfolio=portfolio,
        feedback__in=quotable_feedback(portfolio.person).values("pk"))
    if public_only:
        quotes = quotes.filter(is_public=True)
    return quotes.select_related("feedback").order_by("-created_at", "-pk")


def skills_of(person, *, confirmed_only: bool = False) -> QuerySet[LeaderSkill]:
    skills = LeaderSkill.objects.filter(person=person)
    if confirmed_only:
        skills = skills.filter(status=LeaderSkill.Status.CONFIRMED)
    return skills.order_by("created_at", "pk")


def credentials_of(person) -> QuerySet[Credential]:
    return Credential.objects.filter(person=person).order_by("-issued_at")


def own_credential(person, credential_id) -> Credential:
    """The person's own credential; anybody else's id answers 404, as a missing one."""
    credential = Credential.objects.filter(pk=credential_id, person=person).first()
    if credential is None:
        raise Http404
    return credential


def public_credential(credential_id) -> Credential:
    credential = Credential.objects.select_related("key").filter(pk=credential_id).first()
    if credential is None:
        raise Http404
    return credential


# --- Coordinators ----------------------------------------------------------------------

def leaders_visible_to(user):
    """Leaders of workshops in the cities ``user`` coordinates."""
    from django.contrib.auth import get_user_model

    cities = coordinated_cities(user)
    workshops = Workshop.objects.filter(city__in=cities)
    return (get_user_model().objects.filter(
        Q(workshops_led__in=workshops) | Q(workshops_co_led__in=workshops),
        erased_at__isnull=True).distinct().order_by("display_name", "pk"))


def leader_for_coordinator(user, person_id):
    leader = leaders_visible_to(user).filter(pk=person_id).first()
    if leader is None:
        raise Http404
    return leader


def skills_waiting_for(user) -> QuerySet[LeaderSkill]:
    return (LeaderSkill.objects.filter(status=LeaderSkill.Status.PROPOSED,
                                       person__in=leaders_visible_to(user).values("pk"))
            .select_related("person").order_by("created_at", "pk"))
