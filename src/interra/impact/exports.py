"""CSV, XLSX and PDF renderings of the aggregates: figures only, never a name or contact."""

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from . import charts
from .selectors import CitiesTable, ImpactFigures, highlights_for, organisation, partners_for_report


def _header(figures: ImpactFigures) -> list[list[str]]:
    return [
        [gettext("Period"), f"{figures.period.start:%Y-%m-%d}",
         f"{figures.period.last_day:%Y-%m-%d}"],
        [gettext("Cities"), ", ".join(figures.city_names)],
        [gettext("Section"), gettext("Figure"), gettext("Value")],
    ]


# A spreadsheet runs a cell that begins with one of these as a formula (or, for tab and
# carriage return, shifts it into one): such text is written with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """Text as a spreadsheet must show it, never run it (a workshop titled "=HYPERLINK(…)")."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return _text(value)
    return value


def _row(values) -> list:
    return [_cell(value) for value in values]


def _csv(rows) -> bytes:
    """Rows as CSV for a spreadsheet in Belgium: UTF-8 with a byte order mark (so that
    accents survive) and ``;`` between cells (Excel's separator where the decimal mark is
    a comma). Numbers are written as machine-readable values, never localised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow(_row(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def figures_csv(figures: ImpactFigures) -> bytes:
    return _csv([*_header(figures),
                 *([section, label, value] for section, label, value in figures.rows())])


def cities_csv(table: CitiesTable) -> bytes:
    """The cities side by side: one column per city (and the network), as on the page."""
    return _csv([
        [gettext("Period"), f"{table.period.start:%Y-%m-%d}", f"{table.period.last_day:%Y-%m-%d}"],
        [gettext("Figure"), *(column["name"] for column in table.columns)],
        *([row["label"], *row["values"]] for row in table.rows),
    ])


def figures_xlsx(figures: ImpactFigures) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Impact")[:31]
    for row in _header(figures):
        sheet.append(_row(row))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for section, label, value in figures.rows():
        sheet.append(_row([section, label, value]))
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, even if it looks like a formula
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 48
    sheet.column_dimensions["C"].width = 14
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_html(figures: ImpactFigures, *, cities) -> str:
    """The yearly activity report, always in French (the Region reads French)."""
    highlights = highlights_for(cities=cities, year=figures.period.start.year)
    with translation.override("fr"):
        return render_to_string("impact/report.html", {
            "figures": figures,
            "charts": charts.all_charts(figures),
            "partners": partners_for_report(cities=cities, period=figures.period),
            "highlights": highlights,
            # A section is printed only when staff wrote it: never an empty heading.
            "has_highlights": any(h.highlights for h in highlights),
            "has_outlook": any(h.outlook for h in highlights),
            "organisation": organisation(),
            "today": timezone.localdate(),
        })


def report_pdf(figures: ImpactFigures, *, cities) -> bytes:
    from weasyprint import HTML

    return HTML(string=report_html(figures, cities=cities)).write_pdf()
