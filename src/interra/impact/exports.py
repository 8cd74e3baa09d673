"""CSV, XLSX and PDF renderings of the aggregates: figures only, never a name or contact."""

import csv
import io

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from . import charts
from .selectors import ImpactFigures, highlights_for, partners_for_report


def _header(figures: ImpactFigures) -> list[list[str]]:
    return [
        [gettext("Period"), f"{figures.period.start:%Y-%m-%d}",
         f"{figures.period.last_day:%Y-%m-%d}"],
        [gettext("Cities"), ", ".join(figures.city_names)],
        [gettext("Section"), gettext("Figure"), gettext("Value")],
    ]


def _cell(value):
    if value is None:
        return ""
    return value


def figures_csv(figures: ImpactFigures) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(_header(figures))
    for section, label, value in figures.rows():
        writer.writerow([section, label, _cell(value)])
    return buffer.getvalue()


def figures_xlsx(figures: ImpactFigures) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Impact")[:31]
    for row in _header(figures):
        sheet.append(row)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for section, label, value in figures.rows():
        sheet.append([section, label, _cell(value)])
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 48
    sheet.column_dimensions["C"].width = 14
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_html(figures: ImpactFigures, *, cities) -> str:
    """The yearly activity report, always in French (the Region reads French)."""
    with translation.override("fr"):
        return render_to_string("impact/report.html", {
            "figures": figures,
            "charts": charts.all_charts(figures),
            "partners": partners_for_report(cities=cities, period=figures.period),
            "highlights": highlights_for(cities=cities, year=figures.period.start.year),
        })


def report_pdf(figures: ImpactFigures, *, cities) -> bytes:
    from weasyprint import HTML

    return HTML(string=report_html(figures, cities=cities)).write_pdf()
