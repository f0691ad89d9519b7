"""Rendering a report dict (made by hand in the spec's shape) as HTML, PDF and JSON."""

from __future__ import annotations

import base64
import copy
import io
import json
import re
from html.parser import HTMLParser
from typing import Any

import pypdf

from hiddenharm.reports import render_html, render_json, spec_json
from hiddenharm.reports.text import findings, is_published

SECTIONS = (
    "headlines",
    "completeness",
    "currency",
    "clients-drug",
    "clients-alcohol",
    "children",
    "trend",
    "estimates",
    "areas",
    "methods",
)


class Tables(HTMLParser):
    """Collects each table's caption, header scopes and cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"caption": "", "scopes": [], "cells": []})
        elif self.tables and tag in ("caption", "th", "td"):
            self._in = tag
            if tag == "th":
                self.tables[-1]["scopes"].append(dict(attrs).get("scope"))
            if tag != "caption":
                self.tables[-1]["cells"].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("caption", "th", "td"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "caption":
            self.tables[-1]["caption"] += data
        elif self._in:
            self.tables[-1]["cells"][-1] += data


def parse_tables(html: str) -> list[dict[str, Any]]:
    p = Tables()
    p.feed(html)
    return p.tables


def test_it_shows_every_section_with_accessible_tables(detailed_html: str) -> None:
    html = detailed_html
    for section in SECTIONS:
        assert f'id="{section}"' in html, section
    tables = parse_tables(html)
    assert len(tables) >= 17
    for t in tables:
        assert t["caption"].strip()
        assert t["scopes"] and set(t["scopes"]) <= {"col", "row"}
    # every chart is followed by its data, and carries its Vega-Lite spec
    assert html.count("<figure") == html.count('type="application/json"') >= 15
    # self-contained: nothing fetched from elsewhere
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_it_marks_agencies_below_the_target(report: dict[str, Any], detailed_html: str) -> None:
    table = next(
        t
        for t in parse_tables(detailed_html)
        if "clients in drug treatment" in t["caption"] and "start" in t["caption"]
    )
    assert "80.0% (60 of 75), below target" in table["cells"]
    assert "96.0% (120 of 125)" in table["cells"]
    text = " ".join(findings(report, 0.9))
    assert "1 of 2 agencies fell below the 90% target for recording parental status" in text
    assert "AGY2 (81.0%)" in text  # all treatment types: 85 of 105
    # a stricter target puts the other agency below it too
    assert "AGY1 (97.4%)" in " ".join(findings(report, 0.98))


def test_it_writes_headlines_from_the_figures(report: dict[str, Any]) -> None:
    text = " ".join(findings(report, 0.9))
    assert "600 people were in treatment: 420 for drugs and 180 for alcohol" in text
    # the range first (observed to twice as many: 182 + 64 * 0.34 * 2), then the interval
    assert "Between 182 and 226 children live with the 600 adults in treatment" in text
    assert (
        "if the 64 clients whose number is not recorded lived with twice as many children as "
        "those recorded, the figure would be 226"
    ) in text
    assert "the estimate is 204 (95% interval 184 to 224)" in text
    assert text.index("Between 182 and 226") < text.index("95% interval")
    assert "16 on a child protection plan and 10 looked after" in text


def test_it_hides_suppressed_numbers_in_tables_charts_and_sentences(
    published: dict[str, Any], published_html: str
) -> None:
    html = published_html
    tables = parse_tables(html)
    preg = next(
        t for t in tables if t["caption"].startswith("Is the client pregnant? Women in drug")
    )
    cells = preg["cells"][preg["cells"].index("Share") :]  # the body, past the header
    assert cells[cells.index("Pregnant") + 1] == "*"
    # the chart draws the star too, not a bar: its spec labels it "*" at zero (the browser
    # draws the HTML's), and so does the PDF's chart, drawn here
    fig = html[html.index('id="fig-pregnant-drug"') :]
    spec = re.search(r'class="vega-lite"[^>]*>(.*?)</script>', fig[: fig.index("</figure>")])
    assert spec is not None
    star = [v for v in json.loads(spec.group(1))["data"]["values"] if v["label"] == "*"]
    assert star and all(v["shown"] == 0 and v["value"] is None for v in star)
    printed = render_html(published, for_print=True)
    fig = printed[printed.index('id="fig-pregnant-drug"') :]
    image = re.search(r'base64,([^"]+)"', fig[: fig.index("</figure>")])
    assert image is not None and ">*</text>" in base64.b64decode(image.group(1)).decode()
    assert "Published figures" in html
    sentences = findings(published, 0.9)
    text = " ".join(sentences[1:])  # the first gives the period's dates
    # the values behind the nulls (see conftest) appear in no sentence
    for hidden in ("7", "31", "19"):
        assert not re.search(rf"(?<![\d.,]){hidden}(?![\d.,]*\d)", text), (hidden, text)
    assert "parents living with children in alcohol treatment is too small" in text
    assert "Women recorded as pregnant: * in drug treatment and * in alcohol" in text


def test_it_states_nothing_about_a_count_it_does_not_have(report: dict[str, Any]) -> None:
    r = report
    r["estimates"]["all"].update(estimate=None, ci95=None)
    r["currency"]["all"].update(up_to_date=None, rate=None)
    text = " ".join(findings(r, 0.9))
    assert "an estimated" not in text and "the estimate is" not in text
    assert "Between 182 and 226" in text  # the range does not need the estimate
    assert "too small to publish" in text


def test_it_gives_the_json_in_the_specs_shape(detailed: dict[str, Any]) -> None:
    out = json.loads(render_json(detailed))
    assert list(out) == [
        "period",
        "population",
        "completeness",
        "currency",
        "parental_status",
        "children_living_with",
        "pregnant",
        "early_help",
        "children",
        "estimates",
        "problems",
    ]
    assert out == spec_json(detailed)
    assert "trend" in detailed and "trend" not in out


def test_it_makes_a_pdf_with_the_content_and_charts(detailed_pdf: bytes) -> None:
    pdf = pypdf.PdfReader(io.BytesIO(detailed_pdf))
    assert len(pdf.pages) >= 8
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for words in (
        "Headline findings",
        "Recording at the start of treatment",
        "Updating at care-plan review",
        "Clients in drug treatment",
        "Clients in alcohol treatment",
        "Recommendation 9",
        "Trends by quarter",
        "How many children?",
        "Each area against the region",
        "Methods: what each figure means",
        "AGY2",
        "E06000002",
    ):
        assert words in text, words
    # the charts' own text (axis titles) is drawn: they are vector charts with data
    assert "Recorded" in text and "Up to date" in text


def test_it_draws_the_pdfs_charts_with_marks_for_the_data(detailed: dict[str, Any]) -> None:
    # the PDF's charts are SVG images drawn by vl-convert (the HTML's: by the browser,
    # test_html_charts.py and the browser test in test_interactive.py)
    page = render_html(detailed, for_print=True)
    images = re.findall(
        r'<figure id="fig-([\w-]+)".*?<img src="data:image/svg\+xml;base64,([^"]+)"', page, re.S
    )
    svgs = {fid: base64.b64decode(data).decode() for fid, data in images}
    assert len(svgs) >= 15
    for fid, svg in svgs.items():
        assert "role-mark" in svg and re.search(r'<path[^>]* d="M', svg), fid
    # one bar per category with a value: 0, 1, 2, 3, 4+ and not recorded
    rects = re.search(r"mark-rect role-mark[^>]*>(.*?)</g>", svgs["childwth-drug"], re.S)
    assert rects and rects.group(1).count("<path") == 6


def test_it_escapes_what_the_submission_wrote_and_uses_the_target_given(
    report: dict[str, Any],
) -> None:
    r = copy.deepcopy(report)
    r["completeness"]["by_agency"]["<b>X</b>"] = r["completeness"]["by_agency"].pop("AGY2")
    html = render_html(r, target=0.95, scripts=["static/vega.min.js"])
    assert '<script src="static/vega.min.js"></script>' in html
    assert "<b>X</b>" not in html and "&lt;b&gt;X&lt;/b&gt;" in html
    assert "target is 95%" in html and "is 90%" not in html
    assert "96.0% (120 of 125)</td>" in html  # AGY1 meets 95% for parental status
    assert "94.4% (118 of 125), below target" in html


def test_it_knows_a_published_report_by_its_nulls(
    published: dict[str, Any], report: dict[str, Any]
) -> None:
    del published["meta"]  # as the measures give it, without build_report's meta
    assert is_published(published)
    assert not is_published(report)


def test_it_says_little_when_no_one_was_in_treatment(report: dict[str, Any]) -> None:
    report["population"]["in_treatment"] = {"drug": 0, "alcohol": 0, "all": 0}
    sentences = findings(report, 0.9)
    assert len(sentences) == 2 and "nothing more to report" in sentences[1]


def test_a_count_with_no_total_to_share_out_has_no_share_column(detailed_html: str) -> None:
    """The help the children receive has no total the counts are shares of: its table had a
    Share column of dashes only."""
    tables = parse_tables(detailed_html)
    help_ = next(t for t in tables if t["caption"].startswith("Help the children of clients"))
    assert "Share" not in help_["cells"] and "–" not in help_["cells"]
    assert help_["cells"][:2] == ["Help received", "Clients"]
    # a distribution of the clients keeps its shares
    preg = next(t for t in tables if t["caption"].startswith("Is the client pregnant?"))
    assert preg["cells"][:3] == ["Pregnant", "Clients", "Share"]
