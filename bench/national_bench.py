"""The national benchmark's data and floor, each step run in a process of its own.

``python bench/national_bench.py STEP ARGS_JSON OUT_JSON`` (run by ``bench/run.py --only
national``):

- ``generate``: one synthetic nation from ``hiddenharm.synth.generate_tables`` (ten financial
  years, every agency and area asked for), split into one submission folder per provider, as
  providers send them: each agency's rows of the three files, in the generator's order. A row
  whose AGNCY is not one of the nation's agencies (a planted error) goes with the first
  provider's submission, so every generated row is in exactly one submission.
- ``floor``: DuckDB's load of every column of every file of those submissions, as the extract
  section measures it (``CREATE TABLE AS SELECT * FROM read_csv(..., all_varchar = true)``,
  file by file), with its wall time and CPU seconds.

The end-to-end run itself (``hiddenharm validate SUB --accepted DIR`` per submission, then
``hiddenharm report DIR``) is timed by ``bench/run.py`` as fresh processes of the command.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))

import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402

TABLES = ("episodes", "reviews", "children")


def split_by_agency(
    tables: dict[str, pa.Table], agencies: list[str]
) -> dict[str, dict[str, pa.Table]]:
    """Each agency's rows of every table, in their order; rows of no known agency go to the
    first agency (so that the submissions together hold every row once)."""
    first = agencies[0]
    out: dict[str, dict[str, pa.Table]] = {a: {} for a in agencies}
    known = pa.array(agencies, pa.string())
    for name, table in tables.items():
        code = pc.ascii_upper(pc.utf8_trim_whitespace(table.column("AGNCY").cast(pa.string())))
        owner = pc.if_else(pc.is_in(code, value_set=known), code, pa.scalar(first))
        owner = pc.fill_null(owner, first)
        for agency in agencies:
            out[agency][name] = table.filter(pc.equal(owner, agency))
    return out


def step_generate(args: dict[str, Any]) -> dict[str, Any]:
    from hiddenharm.extract import write_submission
    from hiddenharm.synth.generator import generate_tables, make_plan

    p = dict(args["params"])
    as_of = dt.date.fromisoformat(p["as_of"])
    years = tuple(p["years"])
    t0 = time.perf_counter()
    plan = make_plan(p["area"], p["agencies"], p["episodes"], years, p["seed"], as_of)
    tables = generate_tables(
        p["area"], p["agencies"], p["episodes"], years, p["errors"], p["seed"], as_of
    )
    agencies = [a.code for a in plan.agencies]
    clients = _distinct_clients(tables["episodes"])
    parts = split_by_agency(tables, agencies)
    del tables
    root = Path(args["dir"])
    subs = {}
    for i, agency in enumerate(agencies):
        folder = root / f"{i:03d}-{agency}"
        write_submission(parts.pop(agency), folder, "csv")
        subs[folder.name] = {
            f.name: {"bytes": f.stat().st_size} for f in sorted(folder.glob("*.csv"))
        }
    return {"seconds": time.perf_counter() - t0, "submissions": subs, **clients}


def _distinct_clients(episodes: pa.Table) -> dict[str, int]:
    """Distinct clients (agency and CLIENTID, as the measures count them) and people.

    A person who moves to another agency gets a new CLIENTID there; the generator's client
    identifiers are otherwise one per person, so distinct CLIENTIDs count people."""
    pairs = (
        pa.table({"a": episodes.column("AGNCY"), "c": episodes.column("CLIENTID")})
        .group_by(["a", "c"])
        .aggregate([])
    )
    return {
        "episodes_rows": episodes.num_rows,
        "clients_by_agency": pairs.num_rows,
        "client_ids": len(pc.unique(episodes.column("CLIENTID"))),
    }


def step_floor(args: dict[str, Any]) -> dict[str, Any]:
    """DuckDB's load of every column of every CSV file under ``dir`` (file by file)."""
    import duckdb

    con = duckdb.connect()
    files = sorted(Path(args["dir"]).glob("*/*.csv"))
    c0 = time.process_time()
    t0 = time.perf_counter()
    rows = 0
    for path in files:
        con.execute(
            "CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true, "
            "header = true)",
            [str(path)],
        )
        rows += con.execute("SELECT count(*) FROM t").fetchone()[0]
        con.execute("DROP TABLE t")
    return {
        "load_seconds": time.perf_counter() - t0,
        "load_cpu_seconds": time.process_time() - c0,
        "files": len(files),
        "rows": rows,
        "bytes": sum(p.stat().st_size for p in files),
        "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
    }


def main() -> None:
    step, args, out = sys.argv[1], json.loads(sys.argv[2]), Path(sys.argv[3])
    result = {"ok": True, **globals()[f"step_{step}"](args)}
    out.write_text(json.dumps(result, indent=1, default=str))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
