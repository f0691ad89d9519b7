"""The HTML report's charts are drawn in the browser (Vega, Vega-Lite and vega-embed, inlined)
with no network; a browser without JavaScript is told the tables hold their figures."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from hiddenharm.chromium import CHROMIUM, CHROMIUM_ARGS
from hiddenharm.reports import render, view


def test_it_inlines_vega_so_the_page_needs_no_network(detailed: dict[str, Any]) -> None:
    if not render.vendored_scripts():
        pytest.fail("Vega scripts missing: run `make static` (make test does)")
    html = render.render_html(detailed)
    assert "vegaEmbed" in html
    assert "<script src=" not in html  # nothing fetched
    assert "</script" not in "".join(render.vendored_scripts())


def test_it_leaves_scripts_out_of_the_print_version(detailed: dict[str, Any]) -> None:
    html = render.render_html(detailed, for_print=True)
    assert "vegaEmbed(" not in html
    assert render.render_html(detailed, interactive=False).count("<script>") == 0


# every figure's box, once vega-embed has run: its drawn <svg>'s marks, legends and size
DRAWN = """() => Array.from(document.querySelectorAll("figure.chart")).map(f => {
  const svg = f.querySelector(".svg .vega-embed > svg");
  return [f.id, svg ? svg.querySelectorAll(".role-mark > *").length : -1,
          svg ? svg.querySelectorAll(".role-legend").length : -1,
          svg ? [+svg.getAttribute("width"), +svg.getAttribute("height")] : [0, 0]];
})"""


def _size(svg: str) -> tuple[float, float]:
    found = re.search(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)"', svg)
    assert found is not None
    return float(found.group(1)), float(found.group(2))


def _chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make system)")


def _report_file(detailed: dict[str, Any], tmp_path: Path) -> tuple[str, Path, int]:
    """The interactive HTML report written to a file for Chromium (skipped without it):
    its text, its path, and how many charts it carries."""
    _chromium()
    html = render.render_html(detailed)
    page_file = tmp_path / "report.html"
    page_file.write_text(html, encoding="utf-8")
    return html, page_file, html.count('class="vega-lite"')


@pytest.mark.browser
def test_it_draws_every_chart_in_the_browser_with_no_error(
    detailed: dict[str, Any], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    html, page_file, charts = _report_file(detailed, tmp_path)
    assert charts >= 15 and "<svg" not in html.split("<script>", 1)[0]  # none drawn beforehand
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
            page.goto(page_file.as_uri())
            page.wait_for_function(
                f"document.querySelectorAll('figure.chart .svg svg').length >= {charts}",
                timeout=15000,
            )
            drawn = page.evaluate(DRAWN)
            assert len(drawn) == charts
            # drawn as vl-convert draws the PDF's: the same legends, about the same size
            # (the browser measures the text itself)
            pdf = {f"fig-{f.id}": f.svg for s in view.sections(detailed, 0.9) for f in s.figures}
            for fid, marks, legends, (width, height) in drawn:
                assert marks > 0, fid  # bars, lines, points, rules and labels: the data
                assert (legends > 0) == ("role-legend" in pdf[fid]), fid
                assert (width, height) == pytest.approx(_size(pdf[fid]), rel=0.05), fid
            assert page.locator("figure.chart .svg[role=img][aria-label^='Chart: ']").count() == (
                charts
            )
            assert not page.get_by_text("could not be drawn").count()
            assert errors == []
        finally:
            browser.close()


@pytest.mark.browser
def test_it_tells_a_reader_without_javascript_or_with_a_broken_chart_where_the_figures_are(
    detailed: dict[str, Any], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    html, page_file, charts = _report_file(detailed, tmp_path)
    # one chart's spec broken: Vega-Lite refuses it, the others are drawn
    broken = tmp_path / "broken.html"
    broken.write_text(
        re.sub(r'(class="vega-lite" data-for="fig-trend">)[^<]*', r'\1{"mark": 5}', html),
        encoding="utf-8",
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(java_script_enabled=False).new_page()
            page.goto(page_file.as_uri())
            told = page.locator("figure.chart noscript p.note")  # get_by_text skips <noscript>
            assert told.count() == charts and told.first.is_visible()
            assert told.first.inner_text() == (
                "This chart needs JavaScript: its figures are in the table that follows."
            )
            assert page.locator("figure.chart svg").count() == 0

            page = browser.new_page()
            page.goto(broken.as_uri())
            page.wait_for_function(
                f"document.querySelectorAll('figure.chart .svg svg').length >= {charts - 1}",
                timeout=15000,
            )
            note = page.locator("#fig-trend p.note")
            note.wait_for(timeout=5000)
            assert note.inner_text().startswith("This chart could not be drawn")
            assert page.locator("#fig-trend [role=img]").count() == 0
            assert page.locator("#fig-trend + .table-wrap table").count() == 1
        finally:
            browser.close()
