"""Fixtures for the extract tests: a valid row of each file, and a way to submit rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hiddenharm.extract import ValidationResult, validate
from hiddenharm.extract.codes import FILES

AS_OF = dt.date(2026, 1, 1)

EPISODE = {
    "AGNCY": "A1",
    "LA": "E10000020",
    "CLIENTID": "C1",
    "EPISODID": "E1",
    "FINITIAL": "J",
    "SINITIAL": "S",
    "DOB": "1980-05-01",
    "SEX": "F",
    "DRUG1": "HEROIN",
    "REFLD": "2020-01-01",
    "TRIAGED": "2020-01-05",
    "CPLANDT": "2020-01-10",
    "PRNTSTAT": "11",
    "CHILDWTH": "2",
    "PREGNANT": "N",
    "EARLYHLP": "EH",
}
REVIEW = {
    "AGNCY": "A1",
    "EPISODID": "E1",
    "REVDATE": "2020-03-01",
    "PRNTSTAT": "11",
    "CHILDWTH": "2",
}
CHILD = {
    "AGNCY": "A1",
    "CLIENTID": "C1",
    "CHILDREF": "K1",
    "CHILDYOB": "2015",
    "CHSEX": "M",
    "WHEREABT": "CLIENT",
    "CSCSTAT": "NONE",
    "RECDATE": "2020-02-01",
}
BASE = {"episodes": EPISODE, "reviews": REVIEW, "children": CHILD}

Rows = list[dict[str, str]] | str | None


def csv_text(name: str, rows: list[dict[str, str]]) -> str:
    """Rows (overrides on the file's valid row) as CSV text with the spec's columns."""
    columns = list(FILES[name].column_names)
    for row in rows:
        columns += [c for c in row if c not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    for i, row in enumerate(rows):
        base = dict(BASE[name])
        if name == "episodes":
            # Each row is a different person unless the test says otherwise (HW104).
            base["FINITIAL"] = chr(ord("A") + i % 26)
        writer.writerow({**base, **row})
    return out.getvalue()


def write(folder: Path, name: str, rows: Rows) -> None:
    if rows is None:
        return
    text = rows if isinstance(rows, str) else csv_text(name, rows)
    (folder / f"{name}.csv").write_text(text, encoding="utf-8", newline="")


Submit = Callable[..., ValidationResult]


@pytest.fixture
def submit(tmp_path: Path) -> Submit:
    """submit(episodes=[{...overrides}], reviews=..., children=..., as_of=...) -> result.

    Each file is a list of rows (overrides on a valid row), raw CSV text, or None (absent).
    """

    def _submit(
        episodes: Rows = None,
        reviews: Rows = None,
        children: Rows = None,
        as_of: dt.date = AS_OF,
    ) -> ValidationResult:
        folder = tmp_path / "submission"
        folder.mkdir(exist_ok=True)
        for name, rows in (("episodes", episodes), ("reviews", reviews), ("children", children)):
            write(folder, name, rows)
        return validate(folder, as_of=as_of)

    return _submit


def found(result: ValidationResult, code: str | None = None) -> list[tuple[Any, ...]]:
    """(file, line, column, code) of each problem, optionally of one code."""
    rows = result.problems.to_pylist()
    return [
        (p["file"], p["line"], p["column"], p["code"])
        for p in rows
        if code is None or p["code"] == code
    ]


@pytest.fixture
def problems() -> Callable[..., list[tuple[Any, ...]]]:
    return found
