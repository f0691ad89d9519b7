"""Build a report: validation, the measures, and the extra views the HTML and PDF show.

The JSON of ``spec/measures.md`` is the measures' dict plus ``problems``. The rendered
report also shows quarterly trends and each local authority against the region; these
sit under the extra keys ``trend``, ``areas`` and ``meta`` (see ``SPEC_KEYS``), which
the ``--format json`` output leaves out so that it keeps the spec's shape.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from hiddenharm.measures.engine import SECTIONS, whole_quarters

# The spec's top-level keys: the measures' sections, between the period and the problems.
SPEC_KEYS = ("period", *SECTIONS, "problems")
TREND_QUARTERS = 8  # "the last two years of the submission"
DEFAULT_TARGET = 0.9

Progress = Callable[[str, int, int], None]  # description, steps done, steps in all


class FatalSubmission(Exception):
    """The submission cannot be read (an HH001 on episodes.csv): no report is possible."""

    def __init__(self, message: str, problems: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def parse_prevalence(text: str) -> tuple[float, float, float]:
    """``"P,LOW,HIGH"`` -> (P, LOW, HIGH); a ValueError says what is wrong."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 3:
        raise ValueError(f"expected three numbers P,LOW,HIGH (e.g. 2500,2100,3000), got {text!r}")
    try:
        p, low, high = (float(x) for x in parts)
    except ValueError:
        raise ValueError(f"P, LOW and HIGH must be numbers, got {text!r}") from None
    if not all(math.isfinite(x) and x >= 0 for x in (p, low, high)):
        raise ValueError(f"P, LOW and HIGH must be finite and not negative, got {text!r}")
    if not low <= p <= high:
        raise ValueError(f"need LOW <= P <= HIGH, got {text!r}")
    return p, low, high


def quarter_label(start: dt.date) -> str:
    """Financial-year quarter label, e.g. 2019-04-01 -> ``2019/20 Q1``."""
    fy = start.year if start.month >= 4 else start.year - 1
    q = ((start.month - 4) % 12) // 3 + 1
    return f"{fy}/{(fy + 1) % 100:02d} Q{q}"


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def local_authorities(tables: Mapping[str, pa.Table]) -> list[str]:
    """The distinct LA codes of the accepted episodes, sorted."""
    episodes = tables.get("episodes")
    if episodes is None or "LA" not in episodes.column_names or episodes.num_rows == 0:
        return []
    values = pc.unique(episodes.column("LA")).to_pylist()
    return sorted(v for v in values if v)


def _problem_counts(result: Any) -> dict[str, int]:
    counts = result.counts() if callable(getattr(result, "counts", None)) else {}
    return {str(k): int(v) for k, v in dict(counts).items()}


def _fatal_message(result: Any, source: object) -> FatalSubmission:
    rows: list[dict[str, Any]] = []
    problems = getattr(result, "problems", None)
    if isinstance(problems, pa.Table):
        rows = [r for r in problems.to_pylist() if r.get("severity") == "fatal"] or problems.slice(
            0, 5
        ).to_pylist()
    lines = [f"{source}: the submission cannot be read, so no report was made."]
    for r in rows[:10]:
        where = r.get("file") or ""
        col = f" column {r['column']}" if r.get("column") else ""
        lines.append(f"  {r.get('code', '')} {where}{col}: {r.get('message', '')}")
    lines.append("Run `hiddenharm validate` on it for the full list of problems.")
    return FatalSubmission("\n".join(lines), rows)


def load(
    source: str | Path | Mapping[str, pa.Table] | Any,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> tuple[Mapping[str, pa.Table], dict[str, int], dict[str, Any]]:
    """(tables, problem counts, file counts) from a path, a ValidationResult or tables."""
    name: object = getattr(source, "path", "the submission")
    if isinstance(source, str | Path):
        from hiddenharm.extract import validate

        name = source
        source = validate(source, as_of=as_of, progress=progress)
    if hasattr(source, "tables") and hasattr(source, "fatal"):
        if source.fatal:
            raise _fatal_message(source, name)
        files = dict(getattr(source, "files", {}) or {})
        return source.tables, _problem_counts(source), files
    if isinstance(source, Mapping):
        return source, {}, {}
    raise TypeError(f"cannot report on {type(source).__name__}: give a path, a result or tables")


# Only what the trend and area views show: the individuals' sections (distributions,
# estimates) cost several times as much per period on a large submission.
TREND_SECTIONS = ("population", "completeness", "currency")
AREA_SECTIONS = ("population", "completeness", "currency", "estimates")


def build_report(
    source: str | Path | Mapping[str, pa.Table] | Any,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    *,
    as_of: dt.date | None = None,
    publish: bool = False,
    prevalence: Mapping[str, tuple[float, float, float]] | None = None,
    children_per_parent: float | None = None,
    target: float = DEFAULT_TARGET,
    detail: bool = True,
    problems: Mapping[str, int] | None = None,
    title: str | None = None,
    progress: Progress | None = None,
    draw_charts: bool = False,
) -> dict[str, Any]:
    """The report for a submission (a path), a ValidationResult, or accepted tables.

    With ``detail`` (the default) the dict also carries ``trend`` (eight quarters),
    ``areas`` (each LA when there are several) and ``meta``, which the HTML and PDF
    need. ``problems`` gives the validation counts when passing tables directly.
    ``draw_charts``: the report is for a PDF, whose charts are static SVG drawn by
    vl-convert: a second process draws them while this one computes (``_drawing_ahead``).
    The HTML's charts are drawn by the browser: nothing to draw for it here.
    Raises FatalSubmission when the submission cannot be read, ValueError for a period
    that ends before it starts.
    """
    from hiddenharm.measures import Submission

    if period_from and period_to and period_from > period_to:
        raise ValueError(f"the period starts ({period_from}) after it ends ({period_to})")
    steps, done = 2, 0

    def tick(what: str) -> None:
        nonlocal done
        if progress is not None:
            progress(what, done, steps)
        done += 1

    tick("Validating the submission")

    def validating(what: str, step: int, of: int) -> None:
        if progress is not None:  # validation is the long step: show its own progress
            progress(f"Validating: {what}", step, of)

    # a PDF's charts are drawn by a second process as the measures come (_drawing_ahead)
    drawing = _drawing_ahead() if detail and draw_charts else None
    try:
        tables, counts, files = load(source, as_of, validating)
        if problems is not None:
            counts = {str(k): int(v) for k, v in problems.items()}
        kwargs: dict[str, Any] = {"publish": publish}
        if prevalence:
            kwargs["prevalence"] = dict(prevalence)
        if children_per_parent is not None:
            kwargs["children_per_parent"] = children_per_parent
        las = local_authorities(tables) if detail else []
        if detail:
            steps += 1 + (1 if len(las) > 1 else 0)

        # One engine for the region: it loads the submission once and answers every period.
        areas: dict[str, Any] = {}
        with Submission(dict(tables)) as region:
            tick("Computing the measures")
            report = dict(region.compute(period_from, period_to, **kwargs))
            report["problems"] = counts
            if drawing is not None:
                _draw_ahead(drawing, report, target)
            if detail:
                to = _as_date(report["period"]["to"])
                assert to is not None
                quarters = whole_quarters(to, TREND_QUARTERS)
                tick(f"{len(quarters)} quarters")
                # the quarters, from the rows that fall in them (see Submission.trend)
                measured = region.trend(quarters, publish=publish, sections=TREND_SECTIONS)
                report["trend"] = [
                    _trend_point(start, end, q)
                    for (start, end), q in zip(quarters, measured, strict=True)
                ]
                if drawing is not None:  # the trend's chart, drawn while the areas compute
                    _draw_later(drawing, "trend_section", report, target)
                if len(las) > 1:
                    # every LA in one grouped pass over the loaded submission, each as `la=` gives
                    tick(f"{len(las)} local authorities")
                    period = report["period"]
                    areas = region.areas(
                        period["from"], period["to"], las=las, sections=AREA_SECTIONS, **kwargs
                    )
        if not detail:
            if progress is not None:
                progress("Done", steps, steps)
            return report

        report["areas"] = areas
        if drawing is not None:
            _draw_later(drawing, "areas_section", report, target)
            drawing.finish()
            drawing = None
        report["meta"] = {
            "title": title or "Hidden Harm: what the data tells us",
            "publish": publish,
            "target": target,
            "as_of": str(as_of or getattr(source, "as_of", None) or dt.date.today()),
            "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "source": str(source) if isinstance(source, str | Path) else None,
            "files": files,
            "prevalence": {k: list(v) for k, v in (prevalence or {}).items()},
            "children_per_parent": children_per_parent,
        }
        if progress is not None:
            progress("Done", steps, steps)
        return report
    finally:
        if drawing is not None:  # the build failed: stop the drawing
            drawing.cancel()


def _drawing_ahead() -> Any:
    """A second process to draw a PDF's charts while this one computes, or None.

    A PDF's charts are static SVG, and drawing them (vl-convert, on one core, holding
    the GIL) is a long part of making it (the HTML's are drawn by the browser). A
    second process starts its vl-convert while the submission loads, draws the measures'
    charts while DuckDB computes the quarters and the areas, then theirs; the two use
    both cores. The charts come back into ``charts``' cache, where rendering finds them
    (the same report and target: the same specs); any that fails or differs is drawn
    when rendered, as ever. Not in a process whose own vl-convert is running already (a
    web worker): there it is cheaper to draw them as they are shown; nor when no core is
    free (``_spare_core``).
    """
    with contextlib.suppress(Exception):
        from hiddenharm.reports import charts

        if not charts.drawing_here() and _spare_core():
            return charts.DrawingAhead()
    return None


def _spare_core() -> bool:
    """Whether a core is free for the drawing process: DuckDB keeps one busy, and with no
    other free the two would only take turns and slow each other (measured on 2 cores: ~10%
    slower with the other core busy, ~25% faster with it free)."""
    others = _running_elsewhere()
    return others is None or (os.cpu_count() or 1) - others >= 2


def _running_elsewhere() -> int | None:
    """Processes running on the machine now besides this one (the least of three looks at
    /proc/loadavg's running count, 10 ms apart), or None where there is no such count."""
    seen = []
    try:
        for _ in range(3):
            with open("/proc/loadavg", encoding="ascii") as f:
                seen.append(int(f.read().split()[3].split("/")[0]))
            time.sleep(0.01)
    except (OSError, ValueError, IndexError):
        return None
    return max(0, min(seen) - 1)  # the count includes this process, reading it


def _draw_ahead(drawing: Any, report: Mapping[str, Any], target: float) -> None:
    """Hands ``drawing`` the charts of the measures computed so far (the trend's and the
    areas' come later)."""
    with contextlib.suppress(Exception):
        from hiddenharm.reports import view

        drawing.add(f.spec for s in view.sections(dict(report), target) for f in s.figures)


def _draw_later(drawing: Any, section: str, report: Mapping[str, Any], target: float) -> None:
    """Hands ``drawing`` the charts of one later section (``view.trend_section`` or
    ``view.areas_section``) as soon as its figures are known."""
    with contextlib.suppress(Exception):
        from hiddenharm.reports import view

        made = getattr(view, section)(dict(report), target)
        if made:
            drawing.add(f.spec for f in made.figures)


def _trend_point(start: dt.date, end: dt.date, q: Mapping[str, Any]) -> dict[str, Any]:
    """The few figures of one quarter that the trend shows (by_agency left out)."""

    def splits(section: str) -> dict[str, Any]:
        return {k: v for k, v in (q.get(section) or {}).items() if k != "by_agency"}

    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "label": quarter_label(start),
        "population": q.get("population", {}),
        "completeness": splits("completeness"),
        "currency": splits("currency"),
    }


def spec_json(report: Mapping[str, Any]) -> dict[str, Any]:
    """The report in the spec's JSON shape (the extra rendering keys left out)."""
    return {k: report[k] for k in report if k in SPEC_KEYS}
