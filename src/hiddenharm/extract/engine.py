"""`validate(path)`: read a submission, run every rule, split rows into accepted and rejected.

Never raises for the content of the submission: whatever is wrong becomes a problem row.
Invariant: for every file, accepted + rejected == rows read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hiddenharm.extract import rules
from hiddenharm.extract.codes import FILES, SETTING_DEFAULT, SEVERITY, FileSpec
from hiddenharm.extract.reader import FileProblem, RawFile, locate, read
from hiddenharm.extract.result import PROBLEM_SCHEMA, ValidationResult, empty_tables, typed_schema

Progress = Callable[[str, int, int], None]

_ERRORS = [c for c, s in SEVERITY.items() if s in ("error", "fatal")]
_ORDER = list(FILES)


def validate(
    path: str | Path, as_of: dt.date | None = None, progress: Progress | None = None
) -> ValidationResult:
    """Validate the submission at `path` (folder, .zip, .csv or .parquet) as of `as_of`."""
    as_of = as_of or dt.date.today()
    report = progress or (lambda _step, _done, _total: None)
    total = 1 + 3 * len(FILES)  # read, check and split each file; collect
    step = 0

    def tick(what: str) -> None:
        nonlocal step
        step += 1
        report(what, step, total)

    try:
        sources, error = locate(path)
    except OSError as exc:  # a folder we may not list, a path that vanished
        sources, error = {}, f"{path} cannot be read ({exc.strerror or exc})"
    raws: dict[str, RawFile] = {}
    # The files are read side by side: a CSV with quoted line breaks allowed is parsed by
    # one thread, and the reader releases the GIL.
    with ThreadPoolExecutor(max_workers=2) as pool:
        reading = {n: pool.submit(read, sources[n], FILES[n]) for n in FILES if n in sources}
        for name, spec in FILES.items():
            if name in reading:
                tick(f"reading {sources[name].name}")
                raws[name] = reading[name].result()
            else:
                tick(f"no {spec.filename}")
    episodes = raws.get("episodes")
    if episodes is None:
        episodes = RawFile("episodes.csv", FILES["episodes"], str(path))
        message = error or (
            f"{Path(path).name} has no episodes.csv (or episodes.parquet); a submission needs one."
        )
        episodes.problems.append(FileProblem(None, None, None, "HH001", message))
        episodes.fatal = True
        raws = {"episodes": episodes}  # nothing else is checked without episodes

    # DuckDB's own progress bar writes to stdout, which must stay clean for --json.
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    try:
        result = _run(con, raws, as_of, tick)
    finally:
        con.close()
    report("done", total, total)
    return result


def _run(
    con: duckdb.DuckDBPyConnection,
    raws: dict[str, RawFile],
    as_of: dt.date,
    tick: Callable[[str], None],
) -> ValidationResult:
    con.execute(
        "CREATE TEMP TABLE problems (file VARCHAR, line BIGINT, col VARCHAR, value VARCHAR, "
        "code VARCHAR, message VARCHAR, pos INTEGER)"
    )
    episodes_fatal = raws["episodes"].fatal
    files: dict[str, dict[str, int]] = {}
    tables = empty_tables()
    rejected: dict[str, pa.Table] = {}

    for name in _ORDER:
        raw = raws.get(name)
        if raw is None:
            continue
        spec = raw.spec
        not_checked = name != "episodes" and episodes_fatal
        if not not_checked:
            _insert_file_problems(con, raw)
        if raw.fatal or not_checked or raw.table is None:
            reason = (
                "not checked: episodes.csv could not be read, so this file was not validated"
                if not_checked
                else " | ".join(f"{p.code}: {p.message}" for p in raw.problems if p.code == "HH001")
            )
            files[raw.key] = {"rows": raw.rows, "accepted": 0, "rejected": raw.rows}
            rejected[name] = _all_rejected(raw, reason)
            continue

        tick(f"checking {raw.key}")
        n_rows = raw.rows
        loaded = rules.load(con, spec, raw.table, as_of)
        raw.table = None  # the loaded table holds these columns now; let this one go (memory)
        table = loaded.name
        selects = rules.selects(loaded.row_rules, loaded.flagged)
        selects.append(rules.duplicate_rule(spec, table))
        if name == "episodes":
            selects.append(rules.overlap_rule(table))
        elif name == "reviews":
            selects += rules.review_rules(table, "first_episodes")
        else:
            selects += rules.children_rules(table, "accepted_episodes")
        # One statement: DuckDB plans the rules together (and per-statement overhead is paid once).
        con.execute(
            f"INSERT INTO problems ({rules.PROBLEM_COLUMNS}) "
            + " UNION ALL ".join(f"({sql})" for sql in selects)
        )
        tick(f"splitting {raw.key}")
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE rej_{name} AS SELECT line, string_agg("
            f"concat(code, ' ', col, ': ', message), ' | ' ORDER BY code, col) AS reasons "
            f"FROM problems WHERE file = {rules.lit(raw.key)} AND code IN "
            f"({', '.join(rules.lit(c) for c in _ERRORS)}) AND line IS NOT NULL GROUP BY line"
        )
        if name == "episodes":
            con.execute(
                f"CREATE TEMP TABLE accepted_episodes AS SELECT AGNCY, EPISODID, CLIENTID "
                f"FROM {table} t ANTI JOIN rej_episodes r USING (line)"
            )
            # The first row of each episode key (every later copy is an HH008), and whether
            # it was accepted: the episode a review row refers to.
            con.execute(
                f"CREATE TEMP VIEW first_episodes AS SELECT line, AGNCY, EPISODID, SEX, "
                f"d_CPLANDT, d_DISD, line NOT IN (SELECT line FROM rej_episodes) AS accepted "
                f"FROM {table} WHERE AGNCY IS NOT NULL AND EPISODID IS NOT NULL "
                f"AND line NOT IN (SELECT line FROM problems WHERE file = 'episodes.csv' "
                f"AND code = 'HH008' AND line IS NOT NULL)"
            )
        rejected_lines = _arrow(con, f"SELECT line, reasons FROM rej_{name} ORDER BY line")
        tables[name] = _accepted(spec, loaded, rejected_lines)
        rejected[name] = _rejected(raw, loaded, rejected_lines)
        n_rejected = rejected[name].num_rows
        files[raw.key] = {
            "rows": n_rows,
            "accepted": n_rows - n_rejected,
            "rejected": n_rejected,
        }

    tick("collecting problems")
    return ValidationResult(
        as_of=as_of,
        fatal=episodes_fatal,
        files=files,
        problems=_problems(con),
        tables=tables,
        rejected=rejected,
    )


def _insert_file_problems(con: duckdb.DuckDBPyConnection, raw: RawFile) -> None:
    if not raw.problems:
        return
    rows = pa.table(
        {
            "file": [raw.key] * len(raw.problems),
            "line": pa.array([p.line for p in raw.problems], pa.int64()),
            "col": pa.array([p.column for p in raw.problems], pa.string()),
            "value": pa.array([p.value for p in raw.problems], pa.string()),
            "code": [p.code for p in raw.problems],
            "message": [p.message for p in raw.problems],
            "pos": pa.array(range(len(raw.problems)), pa.int32()),  # header order
        }
    )
    con.register("file_problems", rows)
    con.execute("INSERT INTO problems SELECT * FROM file_problems")
    con.unregister("file_problems")


def _typed(spec: FileSpec, loaded: rules.Loaded, name: str) -> pa.ChunkedArray:
    """The accepted table's column: the parsed value, or the normalised text."""
    kind = spec.column(name).kind
    prefix = {"date": "d_", "count": "n_", "year": "y_", "multicode": "m_"}.get(kind)
    if prefix:
        return loaded.table.column(prefix + name)
    value = loaded.table.column(name)
    if name == "SETTING":
        return pc.fill_null(value, SETTING_DEFAULT)
    return value


def _positions(loaded: rules.Loaded, lines: pa.Table) -> np.ndarray:
    """The positions in the loaded table of the given lines (its lines ascend)."""
    ours = loaded.table.column("line").to_numpy()
    wanted = lines.column("line").to_numpy()
    pos = np.searchsorted(ours, wanted)
    assert np.array_equal(ours[pos], wanted), "a rejected line is not in the table"
    return pos


def _accepted(spec: FileSpec, loaded: rules.Loaded, rejected: pa.Table) -> pa.Table:
    got = pa.table(
        [loaded.table.column("line"), *(_typed(spec, loaded, c) for c in spec.column_names)],
        names=["line", *spec.column_names],
    )
    if rejected.num_rows:  # few: the rest of the rows, in the file's order
        keep = np.ones(got.num_rows, dtype=bool)
        keep[_positions(loaded, rejected)] = False
        got = got.filter(pa.array(keep))
    return got.cast(typed_schema(spec))


def _rejected(raw: RawFile, loaded: rules.Loaded, rejected: pa.Table) -> pa.Table:
    """The rejected rows as given, in line order, with their reasons."""
    kept = loaded.table.select(["line", *(f"r_{c}" for c in raw.present)])
    kept = kept.take(pa.array(_positions(loaded, rejected))).rename_columns(["line", *raw.present])
    return kept.append_column("reasons", rejected.column("reasons"))


def _all_rejected(raw: RawFile, reason: str) -> pa.Table:
    if raw.table is None:
        fields = [("line", pa.int64())] + [(c, pa.string()) for c in raw.present]
        return pa.schema(fields + [("reasons", pa.string())]).empty_table()
    kept = raw.table.select(["line", *raw.present])
    return kept.append_column("reasons", pa.array([reason] * kept.num_rows, pa.string()))


def _problems(con: duckdb.DuckDBPyConnection) -> pa.Table:
    rank = " ".join(f"WHEN {rules.lit(FILES[n].filename)} THEN {i}" for i, n in enumerate(_ORDER))
    severity = " ".join(f"WHEN {rules.lit(c)} THEN {rules.lit(s)}" for c, s in SEVERITY.items())
    # Within a line and code, problems come in the file's column order; the message last,
    # so that two problems of one cell (two HW104 pairs on one line) keep a fixed order.
    position = " ".join(
        f"WHEN {rules.lit(spec.filename)} THEN CASE col "
        + " ".join(f"WHEN {rules.lit(c)} THEN {i}" for i, c in enumerate(spec.column_names))
        + " END"
        for spec in FILES.values()
    )
    table = _arrow(
        con,
        (
            f'SELECT file, line, col AS "column", value, code, '
            f"CASE code {severity} END AS severity, message FROM problems "
            f"ORDER BY CASE file {rank} END, line NULLS FIRST, code, "
            f"coalesce(pos, CASE file {position} END), col, message"
        ),
    )
    return table.cast(PROBLEM_SCHEMA)


def _arrow(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    """The query's result as one pyarrow Table (the method's name differs across DuckDB 1.x/2.x)."""
    rel = con.sql(sql)
    fetch = getattr(rel, "to_arrow_table", None) or rel.arrow
    got = fetch()
    return got.read_all() if isinstance(got, pa.RecordBatchReader) else got
