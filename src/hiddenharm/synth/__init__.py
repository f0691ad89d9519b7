"""Realistic synthetic HHX-1 submissions for demos, tests and benchmarks.

`generate_tables(...)` gives the three tables (text columns, as a CSV carries
them); `generate(directory, ...)` writes them with the extract writer and
returns a summary. `years=(A, B)` are financial years (1 April A to 31 March
B+1), cut at `as_of` (default: today); every date is on or before that end.
With `errors=True`, known problems of every code HH002-HH014 and HW101-HW105
are planted and listed in `planted.json` beside the files (see `errors`).

A clean submission has no errors, but it does carry the warnings real data
carries: HW102 (other people's children in the household) and HW103 (items
recorded late), and, rarely in large submissions, HW104 where two different
people happen to share an attributor (initials, date of birth and sex).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from hiddenharm.extract.writer import write_submission
from hiddenharm.synth.errors import NOT_PLANTED, planted_of
from hiddenharm.synth.generator import generate_tables, make_plan
from hiddenharm.synth.profiles import (
    AGENCIES,
    AREAS,
    AgencyProfile,
    agency_name,
    agency_profiles,
    area_name,
)

PLANTED_FILE = "planted.json"

__all__ = [
    "AGENCIES",
    "AREAS",
    "AgencyProfile",
    "NOT_PLANTED",
    "PLANTED_FILE",
    "agency_name",
    "agency_profiles",
    "area_name",
    "generate",
    "generate_tables",
    "planted_of",
]


def generate(
    directory: str | Path,
    area: str | list[str] | tuple[str, ...] = "E10000020",
    agencies: int = 3,
    episodes: int = 2000,
    years: tuple[int, int] = (2019, 2025),
    errors: bool = False,
    seed: int = 0,
    as_of: dt.date | None = None,
    fmt: str = "csv",
) -> dict[str, Any]:
    """Write a submission into `directory` and say what is in it.

    planted.json names files as the spec and the validator do (`episodes.csv`),
    whichever format is written. Files of the other format with the same names are removed, so that the
    folder holds one submission; so is a `planted.json` left by an earlier run.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"format must be csv or parquet, not {fmt!r}")
    plan = make_plan(area, agencies, episodes, years, seed, as_of)
    tables = generate_tables(area, agencies, episodes, years, errors, seed, as_of)
    out = Path(directory)
    other = "parquet" if fmt == "csv" else "csv"
    for name in tables:
        stale = out / f"{name}.{other}"
        if stale.exists():
            stale.unlink()
    written = write_submission(tables, out, fmt)
    planted = planted_of(tables)
    manifest = out / PLANTED_FILE
    if errors:
        manifest.write_text(json.dumps(planted, indent=1) + "\n", encoding="utf-8")
    elif manifest.exists():
        manifest.unlink()
    return {
        "directory": str(out),
        "files": {p.name: tables[name].num_rows for name, p in written.items()},
        "areas": {code: area_name(code) for code in plan.areas},
        "agencies": {a.code: a.name for a in plan.agencies},
        "period": {"from": plan.start.isoformat(), "to": plan.end.isoformat()},
        "planted": len(planted),
        "planted_codes": sorted({p["code"] for p in planted}),
        "manifest": str(manifest) if errors else None,
    }
