"""`hiddenharm report`: a submission's report as JSON, HTML or PDF."""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

FORMATS = ("json", "html", "pdf")
ENGINES = ("duckdb", "spark")


def render_json(report: dict[str, Any]) -> str:
    """The spec's JSON, exactly as ``reports.render.render_json`` writes it (a test holds the
    two equal), without importing the renderer's vl-convert, Jinja2 and WeasyPrint."""
    import json

    from hiddenharm.reports.build import spec_json

    return json.dumps(spec_json(report), indent=2, ensure_ascii=False) + "\n"


def spark_report(
    path: str,
    warehouse: bool,
    master: str | None,
    *,
    period_from: dt.date | None,
    period_to: dt.date | None,
    publish: bool,
    as_of: dt.date | None,
    prevalence: dict[str, tuple[float, float, float]] | None,
    children_per_parent: float | None,
    target: float,
) -> dict[str, Any]:
    """The JSON report computed on Spark: what ``build_report(..., detail=False)`` gives on
    DuckDB, from the same named queries. A warehouse is read by Spark in place; a submission
    is validated here first and its accepted tables handed to Spark."""
    try:
        from hiddenharm.measures.spark import SparkSubmission, session
    except ImportError as e:  # pragma: no cover - depends on the installation
        raise ValueError(
            f"--engine spark needs PySpark ({e}); install the extra: pip install 'hiddenharm[spark]'"
        ) from None
    kwargs: dict[str, Any] = {"publish": publish}
    if prevalence:
        kwargs["prevalence"] = dict(prevalence)
    if children_per_parent is not None:
        kwargs["children_per_parent"] = children_per_parent
    if period_from and period_to and period_from > period_to:
        raise ValueError(f"the period starts ({period_from}) after it ends ({period_to})")
    spark = session(master)
    if warehouse:
        from hiddenharm.measures.warehouse import latest, spark_frames

        filed = latest(path)
        if not filed:
            raise ValueError(f"{path} holds no complete agency=CODE/extract=DATE folder")
        counts = _spark_problem_counts(spark, filed)
        submission = SparkSubmission(spark=spark, frames=lambda own: spark_frames(own, filed))
    else:
        from hiddenharm.reports.build import load

        tables, counts, _ = load(path, as_of)
        submission = SparkSubmission(dict(tables), spark=spark)
    with submission:
        report = dict(submission.compute(period_from, period_to, **kwargs))
    report["problems"] = counts
    return report


def _spark_problem_counts(spark: Any, filed: list[Any]) -> dict[str, int]:
    """Problems by code over the warehouse's latest folders, counted by Spark."""
    paths = [str(f.file("problems")) for f in filed if f.file("problems").is_file()]
    if not paths:
        return {}
    rows = spark.read.parquet(*paths).groupBy("code").count().collect()
    return {str(r["code"]): int(r["count"]) for r in sorted(rows, key=lambda r: r["code"])}


class OptionError(Exception):
    """A bad option value: the message says which and why."""


def parse_date(value: str | None, option: str) -> dt.date | None:
    """YYYY-MM-DD or DD/MM/YYYY, the extract's two date forms."""
    if value is None:
        return None
    text = value.strip()
    try:
        # two-digit day and month, as the extract insists (1/4/2019 is not a date)
        if re.fullmatch(r"\d{2}/\d{2}/\d{4}", text):
            return dt.datetime.strptime(text, "%d/%m/%Y").date()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        raise ValueError(text)
    except ValueError:
        raise OptionError(f"{option} {value!r} is not a date (use YYYY-MM-DD)") from None


def check_options(
    period_from: str | None,
    period_to: str | None,
    fmt: str | None,
    out: Path | None,
    as_of: str | None,
    prevalence_drug: str | None,
    prevalence_alcohol: str | None,
    children_per_parent: float | None,
    target: float,
) -> dict[str, Any]:
    """The options as build_report's arguments, or an OptionError naming the bad one."""
    from hiddenharm.reports.build import parse_prevalence

    start, end = parse_date(period_from, "--from"), parse_date(period_to, "--to")
    if start and end and start > end:
        raise OptionError(f"--from {start} is after --to {end}")
    if fmt is None:
        suffix = out.suffix.lower().lstrip(".") if out else ""
        fmt = suffix if suffix in FORMATS else "json"
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise OptionError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    prevalence = {}
    for kind, given in (("drug", prevalence_drug), ("alcohol", prevalence_alcohol)):
        if given is not None:
            try:
                prevalence[kind] = parse_prevalence(given)
            except ValueError as e:
                raise OptionError(f"--prevalence-{kind}: {e}") from None
    if children_per_parent is not None and not (
        math.isfinite(children_per_parent) and children_per_parent > 0
    ):
        raise OptionError(f"--children-per-parent must be above 0, not {children_per_parent}")
    if not (math.isfinite(target) and 0 < target <= 1):
        raise OptionError(f"--target is a fraction from 0 to 1 (0.9 for 90%), not {target}")
    return {
        "period_from": start,
        "period_to": end,
        "format": fmt,
        "as_of": parse_date(as_of, "--as-of"),
        "prevalence": prevalence or None,
        "children_per_parent": children_per_parent,
        "target": target,
    }


@contextmanager
def _progress() -> Iterator[Any]:
    """A Rich progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("Reporting", total=1)

        def update(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=max(total, 1))

        yield update


def _fail(message: str) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(2)


def report(
    path: str = typer.Argument(
        ...,
        help="A submission (folder, .zip, .csv or .parquet), or a warehouse folder of "
        "agency=CODE/extract=DATE folders.",
    ),
    period_from: str | None = typer.Option(
        None,
        "--from",
        metavar="DATE",
        help="First day of the period. Default: the latest whole financial year.",
    ),
    period_to: str | None = typer.Option(
        None, "--to", metavar="DATE", help="Last day of the period."
    ),
    fmt: str | None = typer.Option(
        None,
        "--format",
        metavar="json|html|pdf",
        help="Output format. Default: from --out's suffix, else json.",
    ),
    publish: bool = typer.Option(
        False, "--publish", help="Suppress small numbers (1-4) for a report leaving the service."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", metavar="DATE", help="The extract date for validation (default today)."
    ),
    out: str | None = typer.Option(
        None, "--out", "-o", metavar="FILE", help="Write here instead of standard output."
    ),
    prevalence_drug: str | None = typer.Option(
        None,
        "--prevalence-drug",
        metavar="P,LOW,HIGH",
        help="Problem drug users in the area, with its interval, for the 2003 estimate.",
    ),
    prevalence_alcohol: str | None = typer.Option(
        None,
        "--prevalence-alcohol",
        metavar="P,LOW,HIGH",
        help="Problem alcohol users in the area, with its interval.",
    ),
    children_per_parent: float | None = typer.Option(
        None,
        "--children-per-parent",
        metavar="K",
        help="Children per parent (k) when the submission has no children.csv.",
    ),
    target: float = typer.Option(
        0.9, "--target", metavar="RATE", help="The completeness target, as a fraction."
    ),
    engine: str = typer.Option(
        "duckdb",
        "--engine",
        metavar="duckdb|spark",
        help="Where the measures run: DuckDB here, or Apache Spark (the spark extra; JSON only).",
    ),
    spark_master: str | None = typer.Option(
        None,
        "--spark-master",
        metavar="URL",
        help="Spark master for --engine spark (default local[2]); SPARK_REMOTE set means "
        "Spark Connect instead.",
    ),
) -> None:
    """Report on a submission or a warehouse: completeness, currency, the children and the
    estimates. PATH may be a warehouse folder filed by `validate --accepted`: the latest
    extract of each agency counts."""
    out_path = Path(out) if out else None
    engine = engine.strip().lower()
    if engine not in ENGINES:
        raise _fail(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if spark_master is not None and engine != "spark":
        raise _fail("--spark-master goes with --engine spark")
    try:
        opts = check_options(
            period_from,
            period_to,
            fmt,
            out_path,
            as_of,
            prevalence_drug,
            prevalence_alcohol,
            children_per_parent,
            target,
        )
    except OptionError as e:
        raise _fail(str(e)) from None
    if not Path(path).exists():
        raise _fail(f"{path}: no such file or folder")
    fmt_ = opts.pop("format")
    if fmt_ == "pdf" and out_path is None and sys.stdout.isatty():
        raise _fail("a PDF is not for a terminal: give --out FILE (or redirect the output)")
    if engine == "spark" and fmt_ != "json":
        raise _fail("--engine spark gives the JSON report; draw HTML or PDF with DuckDB")

    from hiddenharm.measures.warehouse import is_warehouse
    from hiddenharm.reports.build import FatalSubmission, build_report

    warehouse = is_warehouse(path)
    with _progress() as progress:
        try:
            if engine == "spark":
                result = spark_report(path, warehouse, spark_master, publish=publish, **opts)
            else:
                source: Any = path
                if warehouse:
                    from hiddenharm.measures.warehouse import read_tables

                    source, opts["problems"], _ = read_tables(path)
                # a PDF's charts are drawn (vl-convert) as it builds; the HTML's by the browser
                result = build_report(
                    source,
                    publish=publish,
                    detail=fmt_ != "json",
                    draw_charts=fmt_ == "pdf",
                    progress=progress,
                    **opts,
                )
        except FatalSubmission as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(2) from None
        except ValueError as e:  # e.g. a period the measures refuse, an empty warehouse
            raise _fail(str(e)) from None
        if progress is not None:
            progress(f"Rendering {fmt_.upper()}", 1, 2)
        if fmt_ == "json":
            data: bytes = render_json(result).encode()
        else:
            # Jinja2 (and for the PDF vl-convert and WeasyPrint): only for these formats.
            from hiddenharm.reports.render import render_html, render_pdf

            data = render_html(result).encode() if fmt_ == "html" else render_pdf(result)
    if out_path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        out_path.write_bytes(data)
        typer.echo(f"Wrote {out_path} ({len(data):,} bytes)", err=True)
