"""Render a report dict as self-contained HTML, as PDF (WeasyPrint) or as the spec's JSON.

HTML and PDF come from one Jinja2 template set: the PDF is the HTML in print mode.
The HTML needs nothing from the network: CSS is inline, charts are inline SVG, and
each chart's Vega-Lite spec rides along in a ``<script type="application/json">`` so
that a page with vega-embed can make it interactive.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import jinja2

from hiddenharm.reports import text, view
from hiddenharm.reports.build import DEFAULT_TARGET, spec_json


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hiddenharm.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["pct"] = text.pct
    env.filters["count"] = text.count
    return env


def _target(report: Mapping[str, Any], target: float | None) -> float:
    if target is not None:
        return target
    meta = report.get("meta") or {}
    return float(meta.get("target", DEFAULT_TARGET))


def context(
    report: Mapping[str, Any],
    *,
    target: float | None = None,
    title: str | None = None,
    publish: bool | None = None,
) -> dict[str, Any]:
    """What the template needs; the web application can use it with its own templates.

    ``target`` and ``publish`` default to the report's ``meta`` (as build_report sets it).
    """
    goal = _target(report, target)
    meta = dict(report.get("meta") or {})
    return {
        "title": title or meta.get("title") or "Hidden Harm: what the data tells us",
        "period": text.period_words(report),
        "meta": meta,
        "published": text.is_published(report) if publish is None else publish,
        "target": goal,
        "target_pct": text.pct(goal).replace(".0%", "%"),
        "findings": text.findings(report, goal),
        "sections": view.sections(report, goal),
        "submission": view.submission_table(report),
        "files": meta.get("files") or {},
    }


def render_html(
    report: Mapping[str, Any],
    *,
    target: float | None = None,
    title: str | None = None,
    publish: bool | None = None,
    for_print: bool = False,
    scripts: Sequence[str] = (),
) -> str:
    """The report as one self-contained HTML page.

    ``scripts``: URLs of vega, vega-lite and vega-embed (in that order) where the page is
    served with them, e.g. by the web application; the static charts then become
    interactive views of the same specs. Without them the page needs nothing else.
    """
    ctx = context(report, target=target, title=title, publish=publish)
    return (
        _env()
        .get_template("report.html.j2")
        .render(**ctx, for_print=for_print, scripts=list(scripts))
    )


def render_pdf(
    report: Mapping[str, Any],
    *,
    target: float | None = None,
    title: str | None = None,
    publish: bool | None = None,
) -> bytes:
    """The report as PDF: the same content as the HTML, laid out for A4."""
    import weasyprint

    html = render_html(report, target=target, title=title, publish=publish, for_print=True)
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render_json(report: Mapping[str, Any]) -> str:
    """The spec's JSON object (the rendering extras left out)."""
    return json.dumps(spec_json(report), indent=2, ensure_ascii=False) + "\n"
