"""Figures that apps above impact add to the dashboard and its exports (employers: contact
requests and gigs), without impact importing them.

A provider is ``provider(*, city_ids, period) -> list[ExtraFigure]``. Its figures go
through the same disclosure control as the rest (``people=True``: rounded down to a block
of five, "< 5" below five), so that a provider cannot publish a small count.
"""

from dataclasses import dataclass

_providers: list = []


@dataclass(frozen=True)
class ExtraFigure:
    key: str        # a stable machine name (data-figure on the page)
    section: str    # the heading, in the active language
    label: str      # in the active language
    value: int
    people: bool = True  # a count about people: published as a block of five


def add_figure_provider(provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def extra_figures(*, city_ids, period, small_count) -> list[dict]:
    rows = []
    for provider in _providers:
        for figure in provider(city_ids=city_ids, period=period):
            rows.append({"key": figure.key, "section": figure.section, "label": figure.label,
                         "value": small_count(figure.value) if figure.people
                         else figure.value})
    return rows
