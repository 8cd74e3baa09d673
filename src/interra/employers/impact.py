"""The employers' outcomes on the impact page (connected in EmployersConfig.ready)."""

from django.utils.translation import gettext

from interra.impact.extra import ExtraFigure

from . import selectors


def outcome_figures(*, city_ids, period) -> list[ExtraFigure]:
    """Requests sent in the period, how many were accepted and were gig offers, and the
    gigs marked done in the period. Each is about people (a leader and an organisation's
    contact), so the impact page publishes it as a block of five."""
    counts = selectors.outcome_counts(city_ids=city_ids, start_at=period.start_at,
                                      end_at=period.end_at)
    section = gettext("Employers")
    return [
        ExtraFigure("employer_requests", section, gettext("Contact requests and gig offers"),
                    counts["contact_requests"]),
        ExtraFigure("employer_accepted", section, gettext("Requests accepted"),
                    counts["accepted"]),
        ExtraFigure("employer_gigs_offered", section, gettext("Paid gigs offered"),
                    counts["gigs_offered"]),
        ExtraFigure("employer_gigs_done", section, gettext("Paid gigs done"),
                    counts["gigs_done"]),
    ]
