"""Server-side SVG charts (pygal): the same markup goes into the page and the PDF.

Charts never draw a hidden figure ("< 5"): such a value is left out of the chart, and the
data table beside it says "< 5".
"""

import re

import pygal
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from pygal.style import Style

from .selectors import ImpactFigures, is_hidden

STYLE = Style(
    background="white", plot_background="white", foreground="#222", foreground_strong="#111",
    foreground_subtle="#666", colors=("#1f5f8b", "#d9822b", "#6a9f3a", "#8e4a9c", "#b03a48"),
    font_family="DejaVu Sans, sans-serif", label_font_size=12, major_label_font_size=12,
    value_font_size=12, title_font_size=15, legend_font_size=12, tooltip_font_size=12,
)


def _config(**extra) -> dict:
    return dict(
        style=STYLE, width=640, height=320, js=[], disable_xml_declaration=True,
        show_legend=extra.pop("show_legend", False), print_values=True, margin=12,
        explicit_size=False, **extra,
    )


def _render(chart) -> str:
    # Inline SVG, no script: pygal's tooltips need JS, the data table carries the values.
    svg = chart.render(is_unicode=True)
    # pygal still writes its config as an inline <script> (window.pygal...), which the
    # Content-Security-Policy refuses and nothing here uses: drop it.
    svg = re.sub(r"<script\b[^>]*>.*?</script>", "", svg, flags=re.S)
    # For screen readers the chart is one image named by its title (the table beside it
    # reads the values); the legend's ids are made unique, as a page holds several charts.
    chart_id = re.search(r'<svg [^>]*\bid="([^"]+)"', svg).group(1)
    name = escape(chart.config.title or "")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{name}" ', 1)
    svg = svg.replace('id="activate-serie-', f'id="{chart_id}-serie-')
    return mark_safe(svg)  # noqa: S308 (our own generated markup)


def _shown(value):
    return None if is_hidden(value) else value


def mix_chart(figures: ImpactFigures) -> str:
    chart = pygal.Pie(**_config(show_legend=True, inner_radius=0.45,
                                title=gettext("Who came: newcomer / local mix")))
    for row in figures.mix:
        value = _shown(row["people"])
        if value:
            chart.add(str(row["label"]), value)
    return _render(chart)


def _bar(title: str, rows: list[dict], key: str) -> str:
    chart = pygal.HorizontalBar(**_config(title=title))
    chart.x_labels = [row["label"] for row in rows]
    chart.add(title, [_shown(row[key]) for row in rows])
    return _render(chart)


def themes_chart(figures: ImpactFigures) -> str:
    return _bar(gettext("Sessions held by theme"), figures.themes, "sessions")


def neighbourhoods_chart(figures: ImpactFigures) -> str:
    return _bar(gettext("Sessions held by neighbourhood"), figures.neighbourhoods, "sessions")


def months_chart(figures: ImpactFigures) -> str:
    chart = pygal.Bar(**_config(show_legend=True, title=gettext("Sessions and visits by month"),
                                x_label_rotation=0))
    chart.x_labels = [row["label"] for row in figures.months]
    chart.add(gettext("Sessions held"), [row["sessions"] for row in figures.months])
    chart.add(gettext("Visits"), [_shown(row["visits"]) for row in figures.months])
    return _render(chart)


def all_charts(figures: ImpactFigures) -> dict[str, str]:
    return {
        "mix": mix_chart(figures),
        "themes": themes_chart(figures),
        "neighbourhoods": neighbourhoods_chart(figures),
        "months": months_chart(figures),
    }
