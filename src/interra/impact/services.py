"""Writes of the impact app: only the coordinator's highlights for the yearly report."""

from django.db import transaction

from .models import ReportHighlight


@transaction.atomic
def report_highlight_save(*, city, year: int, author, highlights: str = "",
                          partnerships: str = "", outlook: str = "", signatory_name: str = "",
                          signatory_role: str = "", signed_at_place: str = "",
                          ) -> ReportHighlight:
    """Create or replace the highlights of ``city`` for ``year`` (one row per city and year).

    The caller has checked that ``author`` coordinates ``city``. The texts and the
    signatory go into the yearly report PDF as they are written.
    """
    highlight, _created = ReportHighlight.objects.select_for_update().get_or_create(
        city=city, year=year,
    )
    highlight.highlights = highlights.strip()
    highlight.partnerships = partnerships.strip()
    highlight.outlook = outlook.strip()
    highlight.signatory_name = signatory_name.strip()
    highlight.signatory_role = signatory_role.strip()
    highlight.signed_at_place = signed_at_place.strip()
    highlight.updated_by = author
    highlight.save()
    return highlight
