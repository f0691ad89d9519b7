"""The HTML report's charts become interactive in a browser with no network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hiddenharm.chromium import CHROMIUM, CHROMIUM_ARGS
from hiddenharm.reports import render


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


@pytest.mark.browser
def test_it_turns_every_chart_into_an_interactive_view(
    detailed: dict[str, Any], tmp_path: Path
) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make system)")
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "report.html"
    page_file.write_text(render.render_html(detailed), encoding="utf-8")
    charts = render.render_html(detailed).count('class="vega-lite"')
    assert charts > 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            page.wait_for_function(
                f"document.querySelectorAll('.vega-embed').length >= {charts}", timeout=15000
            )
            assert errors == []
            assert page.locator(".vega-embed svg .mark-rect, .vega-embed svg .mark-line").count()
        finally:
            browser.close()
