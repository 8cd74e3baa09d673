"""Server-side SVG charts (pygal): the same markup goes into the page and the PDF.

Charts never draw a hidden figure ("< 5"): such a value is left out of the chart, and the
data table beside it says "< 5".

An SVG scales with its box, and its text with it: a 640-unit chart squeezed into 200 px
showed 4 px labels. Each chart is therefore drawn twice, at the widths it is shown at:
``wide`` (a desktop column, about 900 px, and the PDF's text width) and ``narrow`` (a
phone, about 360 px, drawn as horizontal bars whose height grows with the rows). The page
shows one of them by a media query; both have their text at least 12 px once scaled.
Legends go below the plot, one entry per line, never truncated.
"""

import re
from dataclasses import dataclass

import pygal
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from pygal.style import Style

from .selectors import ImpactFigures, is_hidden

COLORS = ("#1f5f8b", "#b35c00", "#4d7a2a", "#8e4a9c", "#b03a48")


@dataclass(frozen=True)
class Size:
    width: int
    font: int
    row: int  # height per bar in horizontal charts


WIDE = Size(width=900, font=16, row=34)
NARROW = Size(width=360, font=13, row=30)


def _style(size: Size) -> Style:
    return Style(
        background="white", plot_background="white", foreground="#222",
        foreground_strong="#111", foreground_subtle="#555", colors=COLORS,
        font_family="DejaVu Sans, Noto Sans, sans-serif", label_font_size=size.font,
        major_label_font_size=size.font, value_font_size=size.font,
        value_label_font_size=size.font, title_font_size=size.font + 2,
        legend_font_size=size.font, tooltip_font_size=size.font, no_data_font_size=size.font,
    )


def _config(size: Size, *, height: int, legend: bool = False, **extra) -> dict:
    return dict(
        style=_style(size), width=size.width, height=height, js=[],
        disable_xml_declaration=True, show_legend=legend, legend_at_bottom=True,
        legend_at_bottom_columns=1, legend_box_size=size.font, truncate_legend=-1,
        truncate_label=-1, print_values=True, margin=8, spacing=8, explicit_size=False,
        **extra,
    )


def _render(chart, *, variant: str) -> str:
    # Inline SVG, no script: pygal's tooltips need JS, the data table carries the values.
    svg = chart.render(is_unicode=True)
    # pygal still writes its config as an inline <script> (window.pygal...), which the
    # Content-Security-Policy refuses and nothing here uses: drop it.
    svg = re.sub(r"<script\b[^>]*>.*?</script>", "", svg, flags=re.S)
    # For screen readers the chart is one image named by its title (the table beside it
    # reads the values); the legend's ids are made unique, as a page holds several charts.
    chart_id = re.search(r'<svg [^>]*\bid="([^"]+)"', svg).group(1)
    name = escape(chart.config.title or "")
    svg = svg.replace(
        "<svg ", f'<svg role="img" aria-label="{name}" class="chart-{variant}" '
                 f'data-width="{chart.config.width}" ', 1)
    svg = svg.replace('id="activate-serie-', f'id="{chart_id}-serie-')
    return svg


def _shown(value):
    return None if is_hidden(value) else value


def _legend_height(size: Size, entries: int) -> int:
    return entries * (size.font + 10) + 12


def _bar_height(size: Size, rows: int, *, legend_entries: int = 0) -> int:
    return 60 + size.font * 2 + max(rows, 1) * size.row + _legend_height(size, legend_entries)


def _mix(figures: ImpactFigures, size: Size, variant: str) -> str:
    rows = [row for row in figures.mix if _shown(row["people"])]
    height = (300 if size is WIDE else 260) + _legend_height(size, len(figures.mix))
    chart = pygal.Pie(**_config(size, height=height, legend=True, inner_radius=0.45,
                                title=gettext("Who came: newcomer / local mix")))
    for row in rows:
        chart.add(str(row["label"]), _shown(row["people"]))
    return _render(chart, variant=variant)


def _horizontal(title: str, labels: list[str], series: list[tuple[str, list]], size: Size,
                variant: str) -> str:
    legend = len(series) > 1
    # Horizontal bars list their rows from the bottom: reversed, they read top-down.
    height = _bar_height(size, len(labels) * len(series),
                         legend_entries=len(series) if legend else 0)
    chart = pygal.HorizontalBar(**_config(size, height=height, legend=legend, title=title))
    chart.x_labels = list(reversed(labels))
    for name, values in series:
        chart.add(name, list(reversed(values)))
    return _render(chart, variant=variant)


def _month_label(row: dict, size: Size) -> str:
    return date_format(row["month"], "M Y" if size is NARROW else "M y")


def _months(figures: ImpactFigures, size: Size, variant: str) -> str:
    title = gettext("Sessions and visits by month")
    sessions = [row["sessions"] for row in figures.months]
    visits = [_shown(row["visits"]) for row in figures.months]
    if size is NARROW or len(figures.months) > 18:
        labels = [_month_label(row, NARROW) for row in figures.months]
        return _horizontal(title, labels, [(gettext("Sessions held"), sessions),
                                           (gettext("Visits"), visits)], size, variant)
    chart = pygal.Bar(**_config(size, height=420 + _legend_height(size, 2), legend=True,
                                title=title, x_label_rotation=0 if len(sessions) <= 12 else 45))
    chart.x_labels = [_month_label(row, size) for row in figures.months]
    chart.add(gettext("Sessions held"), sessions)
    chart.add(gettext("Visits"), visits)
    return _render(chart, variant=variant)


def _both(draw, figures: ImpactFigures) -> str:
    """The wide and the narrow drawing of one chart; the page's CSS shows one."""
    return mark_safe(draw(figures, WIDE, "wide") + draw(figures, NARROW, "narrow"))  # noqa: S308


def mix_chart(figures: ImpactFigures) -> str:
    return _both(_mix, figures)


def themes_chart(figures: ImpactFigures) -> str:
    return _both(lambda f, size, variant: _horizontal(
        gettext("Sessions held by theme"), [row["label"] for row in f.themes],
        [(gettext("Sessions held"), [row["sessions"] for row in f.themes])], size, variant),
        figures)


def neighbourhoods_chart(figures: ImpactFigures) -> str:
    return _both(lambda f, size, variant: _horizontal(
        gettext("Sessions held by neighbourhood"), [row["label"] for row in f.neighbourhoods],
        [(gettext("Sessions held"), [row["sessions"] for row in f.neighbourhoods])],
        size, variant), figures)


def months_chart(figures: ImpactFigures) -> str:
    return _both(_months, figures)


def all_charts(figures: ImpactFigures) -> dict[str, str]:
    return {
        "mix": mix_chart(figures),
        "themes": themes_chart(figures),
        "neighbourhoods": neighbourhoods_chart(figures),
        "months": months_chart(figures),
    }
