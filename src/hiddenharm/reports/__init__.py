"""A report on a submission as JSON, HTML and PDF, with its charts (no Django).

report = build_report("submission/", publish=True)   # or tables, or a ValidationResult
html = render_html(report)
pdf = render_pdf(report)
"""

from hiddenharm.reports.build import (
    DEFAULT_TARGET,
    SPEC_KEYS,
    FatalSubmission,
    build_report,
    parse_prevalence,
    spec_json,
)
from hiddenharm.reports.render import context, render_html, render_json, render_pdf

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
