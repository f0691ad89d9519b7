"""The HTML report's charts are drawn by the browser from their specs: the page carries no
chart drawn by vl-convert, and making it runs no vl-convert at all (the PDF's still does)."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from markupsafe import escape
from typer.testing import CliRunner

from hiddenharm.reports import build, charts, render, view
from hiddenharm.reports.command import report as report_command

NO_SCRIPT = "This chart needs JavaScript: its figures are in the table that follows."
AS_OF = "2026-01-01"


def esc(text: str) -> str:
    """As the template escapes it."""
    return str(escape(text))


def figure_blocks(page: str) -> dict[str, str]:
    """Each <figure>'s id and inner HTML (the specs' JSON escapes "<", so none holds one)."""
    return dict(re.findall(r'<figure id="fig-([\w-]+)" class="chart">(.*?)</figure>', page, re.S))


def specs(block: str) -> list[dict[str, Any]]:
    found = re.findall(
        r'<script type="application/json" class="vega-lite"[^>]*>(.*?)</script>', block
    )
    return [json.loads(s) for s in found]


def test_it_gives_each_html_figure_its_spec_and_no_drawn_chart(
    detailed: dict[str, Any], detailed_html: str
) -> None:
    figures = [f for s in view.sections(detailed, 0.9) for f in s.figures]
    blocks = figure_blocks(detailed_html)
    assert len(figures) >= 15 and list(blocks) == [f.id for f in figures]
    for f in figures:
        block = blocks[f.id]
        assert f"<figcaption>{esc(f.title)}</figcaption>" in block, f.id
        label = esc(f"Chart: {f.title}. Its data is in the table that follows.")
        # an empty box for the browser to draw in, the same label as the chart had
        assert (
            f'<div class="svg" role="img" aria-label="{label}"><div class="view"></div></div>'
            in (block)
        ), f.id
        assert specs(block) == [f.spec], f.id  # one spec, the figure's own
        assert "<svg" not in block and "<img" not in block, f.id
    # nothing drawn anywhere in the page before its scripts (vega-embed's own icons)
    assert "<svg" not in detailed_html.split("<script>", 1)[0]
    assert 'class="marks"' not in detailed_html  # what every vl-convert SVG has


def test_it_says_in_each_charts_place_that_without_javascript_the_table_has_its_figures(
    detailed: dict[str, Any], detailed_html: str
) -> None:
    blocks = figure_blocks(detailed_html)
    for fid, block in blocks.items():
        assert f'<noscript><p class="note">{NO_SCRIPT}</p></noscript>' in block, fid
    # and the table with the chart's figures follows each chart
    figures = {f.id: f for s in view.sections(detailed, 0.9) for f in s.figures}
    for fid, table_start in re.findall(
        r'<figure id="fig-([\w-]+)".*?</figure>\s*<div class="table-wrap">\s*<table>\s*'
        r"<caption>(.*?)</caption>",
        detailed_html,
        re.S,
    ):
        assert table_start == esc(figures[fid].table.caption)
        del figures[fid]
    assert figures == {}


def test_it_says_so_when_the_page_has_no_scripts_to_draw_its_charts(
    detailed: dict[str, Any],
) -> None:
    page = render.render_html(detailed, interactive=False)
    blocks = figure_blocks(page)
    assert blocks and "<script>" not in page
    for fid, block in blocks.items():
        assert "does not draw its charts" in block and "table that follows" in block, fid
        assert 'role="img"' not in block and "<noscript>" not in block, fid


def test_it_keeps_the_pdfs_charts_as_svg_drawn_by_vl_convert(detailed: dict[str, Any]) -> None:
    page = render.render_html(detailed, for_print=True)
    figures = [f for s in view.sections(detailed, 0.9) for f in s.figures]
    blocks = figure_blocks(page)
    assert list(blocks) == [f.id for f in figures]
    for f in figures:
        assert f.svg_data_uri in blocks[f.id] and not specs(blocks[f.id]), f.id
    assert "<noscript>" not in page and "vegaEmbed" not in page


@pytest.fixture
def submission(tmp_path: Path) -> Path:
    from hiddenharm.synth import generate

    folder = tmp_path / "sub"
    generate(folder, area="E10000020,E06000031", episodes=120, seed=3)
    return folder


@pytest.fixture
def no_vl_convert(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any drawing by vl-convert fails: here, in a second process, or by importing it."""

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("vl-convert was asked to draw a chart")

    monkeypatch.setattr(charts, "_svg", refused)
    monkeypatch.setattr(charts, "_AHEAD", {})
    monkeypatch.setattr(charts, "DrawingAhead", refused)
    monkeypatch.setitem(sys.modules, "vl_convert", None)  # `import vl_convert` fails
    monkeypatch.setattr(charts, "_drawing_here", False)  # as in a fresh `hiddenharm report`
    monkeypatch.setattr(build, "_spare_core", lambda: True)  # a core free to draw ahead


def _run(*args: str | Path) -> Any:
    app = typer.Typer()
    app.command()(report_command)
    return CliRunner().invoke(app, [str(a) for a in args])


def test_it_builds_and_renders_the_html_without_vl_convert(
    submission: Path, tmp_path: Path, no_vl_convert: None
) -> None:
    report = build.build_report(submission, as_of=dt.date(2026, 1, 1))
    figures = [f for s in view.sections(report, 0.9) for f in s.figures]
    assert {f.id for f in figures} >= {"trend", "areas", "estimates"}
    page = render.render_html(report)
    assert [len(specs(b)) for b in figure_blocks(page).values()] == [1] * len(figures)
    # the command too, for --format html
    out = tmp_path / "report.html"
    result = _run(submission, "--format", "html", "--as-of", AS_OF, "--out", out)
    assert result.exit_code == 0, result.output
    blocks = figure_blocks(out.read_text(encoding="utf-8"))
    assert len(blocks) == len(figures) and all("<svg" not in b for b in blocks.values())
    # the trap is real: the PDF's page asks vl-convert for its charts
    with pytest.raises(AssertionError, match="vl-convert was asked"):
        render.render_html(report, for_print=True)


def test_it_draws_a_pdfs_charts_in_a_second_process_while_the_command_builds(
    submission: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drawings_started: list
) -> None:
    started = drawings_started
    monkeypatch.setattr(charts, "_AHEAD", {})
    pages: list[str] = []

    def pdf_page(report: dict[str, Any]) -> bytes:  # the PDF's page, without WeasyPrint's 5 s
        pages.append(render.render_html(report, for_print=True))
        return b"%PDF-"

    monkeypatch.setattr(render, "render_pdf", pdf_page)
    result = _run(submission, "--format", "pdf", "--as-of", AS_OF, "--out", tmp_path / "r.pdf")
    assert result.exit_code == 0, result.output
    assert len(started) == 1 and len(pages) == 1
    blocks = figure_blocks(pages[0])
    assert len(blocks) >= 15 and all("data:image/svg+xml;base64," in b for b in blocks.values())
    assert len(charts._AHEAD) == len(blocks)  # every one drawn by the second process
    # while --format html starts none
    result = _run(submission, "--format", "html", "--as-of", AS_OF, "--out", tmp_path / "r.html")
    assert result.exit_code == 0 and len(started) == 1
