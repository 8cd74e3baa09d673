"""The impact page a coordinator hands to the Region, at 1280 px and on a 390 px phone, in
French and right-to-left Arabic: tables never overlap, chart text is at least 12 px as
shown, legends are not cut, axe-core finds nothing serious; then the yearly report PDF.

Saves docs/screenshots/impact-page.png and docs/screenshots/report-page.png (French).
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from .conftest import PHONE, SCREENSHOTS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
COORDINATOR = ("julie@interra.example", "demo-coordinator")

# Every pair of visible tables or chart figures whose boxes intersect.
OVERLAPS = """() => {
    const boxes = [...document.querySelectorAll("main table, main figure")]
        .filter((el) => el.checkVisibility())
        .map((el) => [el.querySelector("caption")?.textContent || el.tagName,
                      el.getBoundingClientRect()]);
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
            const [a, r] = boxes[i], [b, s] = boxes[j];
            if (r.left < s.right - 1 && s.left < r.right - 1
                && r.top < s.bottom - 1 && s.top < r.bottom - 1) overlaps.push([a, b]);
        }
    }
    return overlaps;
}"""

# Each visible chart: its width, the smallest text as shown (font size times the scale of
# the drawing) and the texts that stick out of the drawing (a cut legend or label).
CHARTS = """() => [...document.querySelectorAll("main svg[role=img]")]
    .filter((svg) => svg.checkVisibility())
    .map((svg) => {
        const box = svg.getBoundingClientRect();
        const scale = box.width / svg.viewBox.baseVal.width;
        const texts = [...svg.querySelectorAll("text")]
            .filter((t) => t.textContent.trim() && t.getBoundingClientRect().width > 0);
        const sizes = texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
        const cut = texts.filter((t) => {
            const r = t.getBoundingClientRect();
            return r.left < box.left - 1 || r.right > box.right + 1
                || r.top < box.top - 1 || r.bottom > box.bottom + 1;
        }).map((t) => t.textContent.trim());
        return {name: svg.getAttribute("aria-label"), width: box.width,
                column: svg.closest("section").getBoundingClientRect().width,
                smallest: Math.min(...sizes), texts: texts.length, cut};
    })"""


def _signed_in_state(browser, base_url) -> dict:
    context = browser.new_context(base_url=base_url, locale="fr-BE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/staff/sign-in/?next=/impact/")
    page.fill("#id_identifier", COORDINATOR[0])
    page.fill("#id_password", COORDINATOR[1])
    page.fill("#id_token", "33333333")  # one page: password and second factor
    page.click("main button[type=submit]")
    page.wait_for_url("**/impact/**")
    state = context.storage_state()
    context.close()
    return state


def _check(page, where) -> list:
    problems = []
    overlaps = page.evaluate(OVERLAPS)
    if overlaps:
        problems.append((where, "overlapping", overlaps))
    charts = page.evaluate(CHARTS)
    if len(charts) != 4:
        problems.append((where, f"{len(charts)} charts shown, 4 expected"))
    for chart in charts:
        if not chart["texts"]:
            problems.append((where, chart["name"], "no text drawn"))
        elif chart["smallest"] < 12:
            problems.append((where, chart["name"], f"text {chart['smallest']:.1f}px"))
        if chart["cut"]:
            problems.append((where, chart["name"], "cut", chart["cut"]))
        if chart["width"] < chart["column"] - 40:
            problems.append((where, chart["name"], f"{chart['width']:.0f}px wide "
                             f"in a {chart['column']:.0f}px column"))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append((where, f"scrolls sideways by {overflow}px"))
    violations = axe_violations(page)
    if violations:
        problems.append((where, violations))
    return problems


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_impact_page_reads_well_at_1280_and_on_a_phone(browser, live_server, language):
    call_command("seed_demo", verbosity=0)
    state = _signed_in_state(browser, live_server.url)
    problems = []
    for label, options in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(base_url=live_server.url, storage_state=state,
                                      locale="ar" if language == "ar" else "fr-BE", **options)
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                              "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        response = page.goto("/impact/?city=liege")
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == language
        if language == "ar":
            assert page.locator("html").get_attribute("dir") == "rtl"
        problems += _check(page, f"{language} {label}")
        if language == "fr" and label == "desktop":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "impact-page.png"), full_page=True,
                            clip={"x": 0, "y": 0, "width": 1280, "height": 2000})
            _report_screenshot(page)
        context.close()
    assert problems == []


def _report_screenshot(page):
    """Staff write the perspectives on the page, then the PDF prints them, signed."""
    page.fill("#id_liege_highlights", "Quarante ateliers en cinq mois, quatre par semaine.")
    page.fill("#id_liege_outlook", "Ouvrir une deuxième antenne à Seraing.")
    page.click("#report-liege button[type=submit]")
    page.wait_for_selector("#report-liege [role=status]")
    assert page.input_value("#id_liege_outlook") == "Ouvrir une deuxième antenne à Seraing."
    href = page.get_attribute("a[href^='/impact/report.pdf']", "href")
    response = page.request.get(href)
    assert response.status == 200 and response.body().startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        return  # the check above is what matters; the picture is for the README
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "report.pdf"
        pdf.write_bytes(response.body())
        subprocess.run(["pdftoppm", "-f", "3", "-l", "3", "-r", "80", "-png", "-singlefile",
                        str(pdf), str(SCREENSHOTS / "report-page")], check=True)
