"""A report on a submission as JSON, HTML and PDF, with its charts (no Django).

report = build_report("submission/", publish=True)   # or tables, or a ValidationResult
html = render_html(report)
pdf = render_pdf(report)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hiddenharm.reports.build import (
        DEFAULT_TARGET,
        SPEC_KEYS,
        FatalSubmission,
        build_report,
        parse_prevalence,
        spec_json,
    )
    from hiddenharm.reports.render import context, render_html, render_json, render_pdf

# Imported on first use (PEP 562): `hiddenharm report --format json` and the other commands
# must not pay for vl-convert, Jinja2 and WeasyPrint, which only rendering needs.
_WHERE = {
    **dict.fromkeys(
        (
            "DEFAULT_TARGET",
            "SPEC_KEYS",
            "FatalSubmission",
            "build_report",
            "parse_prevalence",
            "spec_json",
        ),
        "hiddenharm.reports.build",
    ),
    **dict.fromkeys(
        ("context", "render_html", "render_json", "render_pdf"), "hiddenharm.reports.render"
    ),
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_WHERE[name]), name)


__all__ = [
    "DEFAULT_TARGET",
    "SPEC_KEYS",
    "FatalSubmission",
    "build_report",
    "context",
    "parse_prevalence",
    "render_html",
    "render_json",
    "render_pdf",
    "spec_json",
]
