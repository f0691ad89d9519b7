"""`hiddenharm generate`: write a realistic synthetic submission (optionally with planted errors)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

_YEARS_RE = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?$")


def parse_years(text: str) -> tuple[int, int]:
    """Read "2019-2025" as (2019, 2025) and "2024" as (2024, 2024); ValueError with a reason."""
    m = _YEARS_RE.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a range of years such as 2019-2025")
    first = int(m.group(1))
    last = int(m.group(2) or first)
    if first > last:
        raise ValueError(f"{text!r} runs backwards: give the earlier year first ({last}-{first})")
    return first, last


def generate(
    directory: Annotated[
        Path,
        typer.Argument(
            help="Folder to write episodes, reviews and children into (created if need be)."
        ),
    ],
    area: Annotated[
        str,
        typer.Option(
            "--area",
            metavar="CODE",
            help="Local authority ONS code; several joined by commas split the clients between them.",
        ),
    ] = "E10000020",
    agencies: Annotated[
        int, typer.Option("--agencies", metavar="N", help="Number of treatment agencies.")
    ] = 3,
    episodes: Annotated[
        int, typer.Option("--episodes", metavar="N", help="Number of treatment episodes.")
    ] = 2000,
    years: Annotated[
        str,
        typer.Option(
            "--years",
            metavar="A-B",
            help="Financial years A-B: referrals from 1 April A to 31 March B+1.",
        ),
    ] = "2019-2025",
    errors: Annotated[
        bool,
        typer.Option(
            "--errors", help="Plant known problems of every code and list them in planted.json."
        ),
    ] = False,
    seed: Annotated[
        int,
        typer.Option("--seed", metavar="S", help="Random seed: the same seed, the same files."),
    ] = 0,
    fmt: Annotated[
        str, typer.Option("--format", metavar="csv|parquet", help="File format.")
    ] = "csv",
    as_of: Annotated[
        str,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Extract date YYYY-MM-DD (default: today); no date falls after it.",
        ),
    ] = "",
) -> None:
    """Generate a realistic synthetic Hidden Harm submission."""
    from hiddenharm.synth import generate as run

    try:
        year_range = parse_years(years)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--years'") from None
    fmt = fmt.strip().lower()
    if fmt not in ("csv", "parquet"):
        raise typer.BadParameter(f"{fmt!r}: choose csv or parquet", param_hint="'--format'")
    if agencies < 1:
        raise typer.BadParameter("must be at least 1", param_hint="'--agencies'")
    if episodes < 1:
        raise typer.BadParameter("must be at least 1", param_hint="'--episodes'")
    if seed < 0:
        raise typer.BadParameter("must be 0 or more", param_hint="'--seed'")
    extract_date = None
    if as_of:
        try:
            extract_date = dt.date.fromisoformat(as_of.strip())
        except ValueError:
            raise typer.BadParameter(
                f"{as_of!r} is not a date YYYY-MM-DD", param_hint="'--as-of'"
            ) from None

    console = Console(stderr=True)
    try:
        with console.status(f"Generating {episodes:,} episodes…"):
            summary = run(
                directory,
                area=area,
                agencies=agencies,
                episodes=episodes,
                years=year_range,
                errors=errors,
                seed=seed,
                as_of=extract_date,
                fmt=fmt,
            )
    except ValueError as exc:  # bad area code, too short a window, too few episodes to plant
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2) from None

    out = Console()
    table = Table(title=f"Synthetic submission in {summary['directory']}")
    table.add_column("file")
    table.add_column("rows", justify="right")
    for name, rows in summary["files"].items():
        table.add_row(name, f"{rows:,}")
    out.print(table)
    areas = ", ".join(f"{name} ({code})" for code, name in summary["areas"].items())
    out.print(f"Areas: {areas}")
    out.print(f"Agencies: {', '.join(f'{n} ({c})' for c, n in summary['agencies'].items())}")
    out.print(f"Referrals from {summary['period']['from']} to {summary['period']['to']}")
    if errors:
        out.print(
            f"Planted {summary['planted']} problems ({len(summary['planted_codes'])} codes; "
            f"HH001 is not planted): see {summary['manifest']}"
        )
