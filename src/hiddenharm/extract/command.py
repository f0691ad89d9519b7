"""`hiddenharm validate`: check a submission, print what is wrong, exit 0, 1 or 2."""

from __future__ import annotations

import datetime as dt
import json as jsonlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hiddenharm.extract.codes import PROBLEM_TITLES, SEVERITY

if TYPE_CHECKING:  # the engine (DuckDB, Arrow) and Rich are imported when the command runs
    from rich.console import Console

    from hiddenharm.extract.engine import Progress as ProgressFn
    from hiddenharm.extract.result import ValidationResult

SHOWN_PER_CODE = 5
# Below this size the run takes well under a second: a progress bar would only flicker.
_BIG_BYTES = 20 << 20


def _parse_date(text: str | None) -> dt.date | None:
    """The --as-of value: a usage error (exit 2) when it is not a date in one of the two forms."""
    if text is None:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if len(text) == 10:  # strptime accepts 1/4/2019; the spec's dates have two digits
            return parsed
        raise typer.BadParameter(f"{text!r} is not a date; write YYYY-MM-DD or DD/MM/YYYY.")
    raise typer.BadParameter(f"{text!r} is not a date; write YYYY-MM-DD or DD/MM/YYYY.")


def validate(
    path: Annotated[
        Path,
        typer.Argument(
            help="A submission: a folder, a .zip, a single .csv (episodes) or .parquet."
        ),
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            callback=_parse_date,
            help="The extract date (YYYY-MM-DD); default today.",
        ),
    ] = None,
    json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object on standard output.")
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects", metavar="DIR", help="Write the rejected rows and all problems here."
        ),
    ] = None,
    accepted: Annotated[
        Path | None,
        typer.Option(
            "--accepted",
            metavar="DIR",
            help="File the accepted rows as Parquet in this warehouse folder, under "
            "agency=CODE/extract=DATE/ (one folder per agency).",
        ),
    ] = None,
) -> None:
    """Validate a Hidden Harm extract (HHX-1). Exit 0: no errors; 1: rows rejected; 2: fatal."""
    from hiddenharm.extract.engine import validate as run_validation

    when = as_of if isinstance(as_of, dt.date) else _parse_date(as_of)
    with _progress(path) as progress:
        result = run_validation(path, as_of=when, progress=progress)
    if rejects is not None:
        result.write_rejects(rejects)
    if accepted is not None:
        _file_accepted(result, accepted, path)
    if json:
        typer.echo(jsonlib.dumps(result.to_json(), ensure_ascii=False))
    else:
        from rich.console import Console

        print_result(result, Console(), path=str(path), rejects=rejects)
    raise typer.Exit(result.exit_code())


def _file_accepted(result: ValidationResult, warehouse: Path, path: Path) -> None:
    """--accepted: the accepted tables into the warehouse; what was written, on stderr."""
    if result.fatal:
        typer.echo(f"Nothing filed in {warehouse}: the submission cannot be read.", err=True)
        return
    from hiddenharm.measures.warehouse import file_submission

    filed = file_submission(result, warehouse, source=str(path))
    if not filed:
        typer.echo(f"Nothing filed in {warehouse}: no episode row was accepted.", err=True)
    for f in filed:
        typer.echo(f"Filed agency {f.agency}, extract {f.extract}: {f.path}", err=True)


@contextmanager
def _progress(path: Path) -> Iterator[ProgressFn | None]:
    """A progress bar on standard error, only on a terminal and only for a large submission."""
    if not sys.stderr.isatty() or _size(path) < _BIG_BYTES:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("validating", total=1)
    with bar:

        def update(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        yield update


def _size(path: Path) -> int:
    try:
        if path.is_dir():
            return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
        return path.stat().st_size
    except OSError:
        return 0


def print_result(
    result: ValidationResult, console: Console, path: str = "", rejects: Path | None = None
) -> None:
    """The human summary: files, counts by code, then the first problems of each code."""
    from rich.table import Table

    files = Table(title=f"{path} as of {result.as_of.isoformat()}", title_justify="left")
    for name in ("file", "rows", "accepted", "rejected"):
        files.add_column(name, justify="left" if name == "file" else "right")
    for name, got in result.files.items():
        files.add_row(name, f"{got['rows']:,}", f"{got['accepted']:,}", f"{got['rejected']:,}")
    console.print(files)

    counts = result.counts()
    if not counts:
        console.print("No problems found.")
        return
    summary = Table(title="Problems by code", title_justify="left")
    for name in ("code", "severity", "count", "what"):
        summary.add_column(name, justify="right" if name == "count" else "left")
    for code, n in counts.items():
        summary.add_row(code, SEVERITY.get(code, ""), f"{n:,}", PROBLEM_TITLES.get(code, ""))
    console.print(summary)

    for code, n in counts.items():
        first = _first_of(result, code)
        shown = f"first {len(first)} of {n:,}" if n > len(first) else f"{n:,}"
        table = Table(
            title=f"{code} {PROBLEM_TITLES.get(code, '')} ({shown})", title_justify="left"
        )
        for name in ("file", "line", "column", "value", "message"):
            table.add_column(name, overflow="fold")
        for p in first:
            table.add_row(
                p["file"],
                "" if p["line"] is None else str(p["line"]),
                p["column"] or "",
                "" if p["value"] is None else repr(p["value"]),
                p["message"],
            )
        console.print(table)
    if rejects is not None:
        console.print(f"Rejected rows and all problems written to {rejects}.")


def _first_of(result: ValidationResult, code: str) -> list[dict[str, Any]]:
    import pyarrow.compute as pc

    mask = pc.equal(result.problems.column("code"), code)
    return result.problems.filter(mask).slice(0, SHOWN_PER_CODE).to_pylist()
