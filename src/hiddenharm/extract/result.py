"""The validator's result: problems as one table, accepted rows typed, rejected rows as given."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from hiddenharm.extract.codes import FILES, FileSpec

PROBLEM_SCHEMA = pa.schema(
    [
        ("file", pa.string()),
        ("line", pa.int64()),
        ("column", pa.string()),
        ("value", pa.string()),
        ("code", pa.string()),
        ("severity", pa.string()),
        ("message", pa.string()),
    ]
)

_TYPES = {"date": pa.date32(), "count": pa.int32(), "year": pa.int32()}


def typed_schema(spec: FileSpec) -> pa.Schema:
    """The accepted table's schema: `line`, then the spec's columns (dates date32, numbers int32)."""
    return pa.schema(
        [("line", pa.int64())] + [(c.name, _TYPES.get(c.kind, pa.string())) for c in spec.columns]
    )


def empty_tables() -> dict[str, pa.Table]:
    return {name: typed_schema(spec).empty_table() for name, spec in FILES.items()}


@dataclass
class ValidationResult:
    as_of: dt.date
    fatal: bool  # an HH001 on episodes.csv (or no episodes.csv at all)
    files: dict[str, dict[str, int]]  # "episodes.csv" -> {"rows", "accepted", "rejected"}
    problems: pa.Table  # PROBLEM_SCHEMA
    tables: dict[str, pa.Table] = field(default_factory=empty_tables)
    rejected: dict[str, pa.Table] = field(default_factory=dict)  # as given + line + reasons

    def counts(self) -> dict[str, int]:
        """Problems by code (one row can have several), in code order."""
        if self.problems.num_rows == 0:
            return {}
        counted = pc.value_counts(self.problems.column("code")).to_pylist()
        return {d["values"]: d["counts"] for d in sorted(counted, key=lambda d: d["values"])}

    def exit_code(self) -> int:
        """2 when any file is fatal, 1 when any row is rejected, else 0 (warnings allowed)."""
        if (
            self.problems.num_rows
            and pc.any(pc.equal(self.problems.column("severity"), "fatal")).as_py()
        ):
            return 2
        if any(f["rejected"] for f in self.files.values()):
            return 1
        return 0

    def to_json(self, limit: int | None = None) -> dict[str, Any]:
        """The spec's `--json` object; `limit` keeps only the first problems (counts stay whole)."""
        problems = self.problems if limit is None else self.problems.slice(0, limit)
        return {
            "as_of": self.as_of.isoformat(),
            "files": {k: dict(v) for k, v in self.files.items()},
            "counts": self.counts(),
            "problems": problems.to_pylist(),
        }

    def write_rejects(self, directory: str | Path) -> dict[str, Path]:
        """Write `<file>_rejected.csv` per file read (rows as given + line + reasons) and
        `problems.csv`; returns the paths written."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        options = pacsv.WriteOptions(quoting_style="needed", include_header=True)
        # Cells a spreadsheet would run as a formula are written as text (cells.py).
        from hiddenharm.extract.cells import neutralise_table

        for name, table in self.rejected.items():
            path = out / f"{name}_rejected.csv"
            pacsv.write_csv(neutralise_table(table), path, write_options=options)
            written[name] = path
        path = out / "problems.csv"
        pacsv.write_csv(neutralise_table(self.problems), path, write_options=options)
        written["problems"] = path
        return written
