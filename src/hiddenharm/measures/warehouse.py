"""The national warehouse: many providers' accepted rows as one dataset, without copying.

``hiddenharm validate PATH --accepted DIR`` files each submission's accepted tables as Parquet
under the agency and the extract date (the validation's ``as_of``)::

    DIR/agency=A1/extract=2026-03-31/episodes.parquet
                                     reviews.parquet
                                     children.parquet
                                     problems.parquet    the validation's problems of A1's rows
                                     submission.json     where it came from, rows by file

A submission holding several agencies writes one folder per agency (each agency's episodes,
reviews and children rows). The latest extract of each agency counts: a national report reads
the latest folder of every agency, in place (``hiddenharm report DIR``, DuckDB; or
``--engine spark``, where Spark reads the same files). Filing the same agency and extract date
again replaces that folder (the new one is written beside it and renamed into place, so a
reader never sees half a submission).

Problems: a problem on a row goes to the folder of that row's agency (AGNCY as given, trimmed
and upper-cased). A problem that belongs to no one agency (a header's HW101, a row whose AGNCY
is blank or not a valid code, or whose agency has no accepted row) goes to the folder of the
submission's first agency in code order, so that the warehouse counts each problem once.

Episodes are identified by their line within a submission; two submissions' lines collide, so a
reader adds ``i * 2**32`` to the lines of the i-th folder (in agency order): lines stay unique
and keep their order within each submission, which is all the measures ask of them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from hiddenharm.measures.schema import SCHEMAS, conform

if TYPE_CHECKING:
    import duckdb

    from hiddenharm.extract.result import ValidationResult

TABLES = tuple(SCHEMAS)  # episodes, reviews, children
PROBLEMS = "problems"
MANIFEST = "submission.json"
LINE_STRIDE = 1 << 32  # per folder, added to `line` when reading (see the module's docstring)
_AGENCY = re.compile(r"^[A-Z0-9]{1,12}$")  # as the extract's AGNCY rule
_FOLDER = re.compile(r"^agency=([A-Z0-9]{1,12})$")
_EXTRACT = re.compile(r"^extract=(\d{4}-\d{2}-\d{2})$")
_FILE_OF = {"episodes": "episodes.csv", "reviews": "reviews.csv", "children": "children.csv"}


@dataclass(frozen=True)
class Filed:
    """One agency's submission in the warehouse."""

    agency: str
    extract: dt.date
    path: Path

    def file(self, name: str) -> Path:
        return self.path / f"{name}.parquet"


# --- writing ----------------------------------------------------------------------------------


def file_submission(
    result: ValidationResult, root: str | Path, *, source: str | None = None
) -> list[Filed]:
    """Write the accepted tables of a (non-fatal) validation into the warehouse at ``root``.

    Returns the folders written, one per agency with an accepted episode, in agency order.
    """
    if result.fatal:
        raise ValueError("the submission is fatal (HH001): it has no accepted rows to file")
    tables = conform(dict(result.tables))
    agencies = sorted(
        a for a in pc.unique(tables["episodes"].column("AGNCY")).to_pylist() if a is not None
    )
    if not agencies:
        return []
    problems = _problems_by_agency(result, agencies)
    extract = result.as_of
    root = Path(root)
    filed = []
    for agency in agencies:
        final = root / f"agency={agency}" / f"extract={extract.isoformat()}"
        final.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the final folder under a hidden name, then renamed into place.
        work = final.parent / f".writing-{uuid.uuid4().hex}"
        work.mkdir()
        try:
            rows = {}
            for name in TABLES:
                table = tables[name]
                part = table.filter(pc.equal(table.column("AGNCY"), agency))
                pq.write_table(part, work / f"{name}.parquet")
                rows[_FILE_OF[name]] = part.num_rows
            pq.write_table(problems[agency], work / f"{PROBLEMS}.parquet")
            manifest = {
                "agency": agency,
                "extract": extract.isoformat(),
                "source": source,
                "filed": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "accepted_rows": rows,
                "problems": problems[agency].num_rows,
            }
            (work / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
            _replace(work, final)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        filed.append(Filed(agency, extract, final))
    return filed


def _replace(work: Path, final: Path) -> None:
    """Rename ``work`` to ``final``; an existing ``final`` is moved aside first, then removed."""
    old = None
    if final.exists():
        old = final.parent / f".replaced-{uuid.uuid4().hex}"
        os.rename(final, old)
    os.rename(work, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _problems_by_agency(result: ValidationResult, agencies: list[str]) -> dict[str, pa.Table]:
    """The problems, split by the agency of the row each is on (see the module's docstring)."""
    problems = result.problems
    owner = pa.nulls(problems.num_rows, pa.string())
    if problems.num_rows:
        # (file, line) -> agency, from the accepted rows (typed) and the rejected rows (as given)
        keys: list[pa.Table] = []
        for name, file in _FILE_OF.items():
            for part in (result.tables.get(name), result.rejected.get(name)):
                if part is None or part.num_rows == 0 or "AGNCY" not in part.column_names:
                    continue
                agency = pc.ascii_upper(pc.utf8_trim_whitespace(part.column("AGNCY")))
                keys.append(
                    pa.table(
                        {
                            "file": pa.repeat(pa.scalar(file), part.num_rows),
                            "line": part.column("line").cast(pa.int64()),
                            "agency": agency.cast(pa.string()),
                        }
                    )
                )
        if keys:
            lookup = pa.concat_tables(keys).combine_chunks()
            with_index = problems.select(["file", "line"]).append_column(
                "i", pa.array(range(problems.num_rows), pa.int64())
            )
            joined = with_index.join(lookup, ["file", "line"], join_type="left outer")
            order = pc.sort_indices(joined.column("i"))
            owner = joined.column("agency").take(order)
    known = pa.array(agencies, pa.string())
    attributed = pc.fill_null(pc.is_in(owner, value_set=known), False)
    owner = pc.if_else(attributed, owner, pa.scalar(agencies[0]))
    return {a: problems.filter(pc.equal(owner, a)) for a in agencies}


# --- reading ----------------------------------------------------------------------------------


def is_warehouse(path: str | Path) -> bool:
    """A folder holding at least one ``agency=CODE`` folder."""
    p = Path(path)
    return p.is_dir() and any(c.is_dir() and _FOLDER.match(c.name) for c in p.iterdir())


def latest(root: str | Path) -> list[Filed]:
    """The latest complete extract of each agency, in agency order."""
    out = []
    for folder in sorted(Path(root).iterdir()):
        m = _FOLDER.match(folder.name)
        if not m or not folder.is_dir():
            continue
        extracts = []
        for sub in folder.iterdir():
            e = _EXTRACT.match(sub.name)
            if e and sub.is_dir() and all((sub / f"{n}.parquet").is_file() for n in TABLES):
                try:
                    extracts.append((dt.date.fromisoformat(e.group(1)), sub))
                except ValueError:
                    continue
        if extracts:
            when, path = max(extracts)
            out.append(Filed(m.group(1), when, path))
    return out


def _union_sql(files: Iterable[tuple[int, Path]], name: str) -> str:
    columns = ", ".join(f.name for f in SCHEMAS[name] if f.name != "line")
    parts = [
        f"SELECT line + {i * LINE_STRIDE} AS line, {columns} FROM read_parquet({_lit(str(p))})"
        for i, p in files
    ]
    return " UNION ALL ".join(parts)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_tables(
    root: str | Path, con: duckdb.DuckDBPyConnection | None = None
) -> tuple[dict[str, pa.Table], dict[str, int], list[Filed]]:
    """(accepted tables, problem counts by code, the folders read) of the warehouse's latest
    submissions, read with DuckDB."""
    import duckdb

    filed = latest(root)
    if not filed:
        raise ValueError(f"{root} holds no complete agency=CODE/extract=DATE folder")
    own = con is None
    con = con or duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        tables = {}
        for name in TABLES:
            sql = _union_sql(((i, f.file(name)) for i, f in enumerate(filed)), name)
            rel = con.sql(sql)
            got = (getattr(rel, "to_arrow_table", None) or rel.fetch_arrow_table)()
            tables[name] = conform({name: got})[name]
        counts = problem_counts(con, filed)
    finally:
        if own:
            con.close()
    return tables, counts, filed


def problem_counts(con: duckdb.DuckDBPyConnection, filed: list[Filed]) -> dict[str, int]:
    """Problems by code over the folders, in code order (as ``ValidationResult.counts``)."""
    paths = [f.file(PROBLEMS) for f in filed if f.file(PROBLEMS).is_file()]
    if not paths:
        return {}
    listed = ", ".join(_lit(str(p)) for p in paths)
    rows = con.execute(
        f"SELECT code, count(*) FROM read_parquet([{listed}]) GROUP BY code ORDER BY code"
    ).fetchall()
    return {str(code): int(n) for code, n in rows}


def spark_frames(spark: Any, filed: list[Filed]) -> dict[str, Any]:
    """Each table of the folders as one Spark DataFrame read from the Parquet files in place,
    with the same line offsets as ``read_tables``."""
    from pyspark.sql import functions as F

    frames = {}
    for name in TABLES:
        columns = [f.name for f in SCHEMAS[name]]
        parts = [
            spark.read.parquet(str(f.file(name)))
            .withColumn("line", F.col("line") + F.lit(i * LINE_STRIDE))
            .select(*columns)
            for i, f in enumerate(filed)
        ]
        frame = parts[0]
        for part in parts[1:]:
            frame = frame.unionByName(part)
        frames[name] = frame
    return frames
