"""One timed piece of the benchmark, run in its own process by ``bench/run.py``.

``python bench/tasks.py TASK ARGS_JSON OUT_JSON``: runs TASK with the arguments, writes a
JSON object to OUT_JSON. A fresh process per task keeps each peak RSS and wall time its
own (the parent reads them with ``os.wait4``), and keeps one part's memory or imports
from flattering or penalising another's.

Every figure here is measured; a task whose part is missing raises ``Missing`` and the
parent records the section as skipped with the reason.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(BENCH.parent / "src"))


class Missing(Exception):
    """A part of the project this task needs is not there yet."""


def _need(module: str, *names: str) -> Any:
    import importlib

    try:
        mod = importlib.import_module(module)
    except Exception as exc:  # an import error, or a half-built package raising on import
        raise Missing(f"{module} not importable: {type(exc).__name__}: {exc}") from exc
    for name in names:
        if not hasattr(mod, name):
            raise Missing(f"{module}.{name} does not exist yet")
    return mod


def _as_of(args: dict) -> dt.date | None:
    return dt.date.fromisoformat(args["as_of"]) if args.get("as_of") else None


def _jsonable(obj: Any) -> Any:
    return json.loads(json.dumps(obj, default=str))


# --- data ------------------------------------------------------------------------------


def _generator() -> tuple[Any, str]:
    """`hiddenharm.synth.generate` (writes the files); until it lands, `generate_tables`
    written out with `hiddenharm.extract.write_submission`."""
    synth = _need("hiddenharm.synth")
    if hasattr(synth, "generate"):
        return synth.generate, "hiddenharm.synth.generate"
    try:
        from hiddenharm.synth.generator import generate_tables
    except ImportError:
        generate_tables = getattr(synth, "generate_tables", None)
    if generate_tables is None:
        raise Missing("hiddenharm.synth has neither generate nor generate_tables yet")
    return generate_tables, "hiddenharm.synth generate_tables + extract.write_submission"


def generator_parameters() -> list[str]:
    import inspect

    return list(inspect.signature(_generator()[0]).parameters)


def task_generate(args: dict) -> dict:
    fn, how = _generator()
    params = dict(args["params"])
    if params.get("as_of"):
        params["as_of"] = dt.date.fromisoformat(params["as_of"])
    if "years" in params:
        params["years"] = tuple(params["years"])
    t0 = time.perf_counter()
    if how.startswith("hiddenharm.synth.generate"):
        out = fn(args["dir"], **params)
    else:
        from hiddenharm.extract import write_submission

        params.pop("fmt", None)
        out = write_submission(fn(**params), args["dir"], "csv")
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "how": how, "returned": _jsonable(out) if out else None}


def task_scan(args: dict) -> dict:
    """DuckDB's bare scan of each CSV, every column as text: the floor for any validator.

    Two readings: `count(*)` (the brief's bare scan: rows found, values not materialised)
    and every column read into Arrow (what a validator must at least do to see each value).
    """
    import duckdb

    con = duckdb.connect()
    files = {}
    t0 = time.perf_counter()
    for path in sorted(Path(args["dir"]).glob("*.csv")):
        t1 = time.perf_counter()
        (rows,) = con.execute(
            "SELECT count(*) FROM read_csv(?, all_varchar = true, header = true)", [str(path)]
        ).fetchone()
        files[path.name] = {
            "rows": rows,
            "seconds": time.perf_counter() - t1,
            "bytes": path.stat().st_size,
        }
    seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    for path in sorted(Path(args["dir"]).glob("*.csv")):
        t1 = time.perf_counter()
        table = con.execute(
            "SELECT * FROM read_csv(?, all_varchar = true, header = true)", [str(path)]
        ).to_arrow_table()
        files[path.name]["arrow_seconds"] = time.perf_counter() - t1
        del table
    arrow_seconds = time.perf_counter() - t0
    # The floor of the issue: DuckDB's load of every column into its own table, as text.
    # CPU time too (all threads): on a shared machine it is the work done, whatever the load.
    c0 = time.process_time()
    t0 = time.perf_counter()
    for path in sorted(Path(args["dir"]).glob("*.csv")):
        t1 = time.perf_counter()
        con.execute(
            "CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true, "
            "header = true)",
            [str(path)],
        )
        files[path.name]["load_seconds"] = time.perf_counter() - t1
        con.execute("DROP TABLE t")
    load_seconds = time.perf_counter() - t0
    load_cpu_seconds = time.process_time() - c0
    return {
        "load_cpu_seconds": load_cpu_seconds,
        "seconds": seconds,
        "arrow_seconds": arrow_seconds,
        "load_seconds": load_seconds,
        "files": files,
        "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
    }


# --- extract ---------------------------------------------------------------------------


def _as_the_command_does() -> None:
    """What `hiddenharm` does before any command: tell pyarrow there is no pandas (else its
    first call imports pandas, a second of the validation's time that the command never pays)."""
    cli = _need("hiddenharm.cli", "_arrow_without_pandas")
    cli._arrow_without_pandas([])


def task_validate(args: dict) -> dict:
    extract = _need("hiddenharm.extract", "validate")
    _as_the_command_does()
    c0 = time.process_time()
    t0 = time.perf_counter()
    res = extract.validate(args["dir"], as_of=_as_of(args))
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "validate_cpu_seconds": time.process_time() - c0,
        "fatal": bool(res.fatal),
        "files": _jsonable(res.files),
        "counts": _jsonable(res.counts()),
        "problems": res.problems.num_rows,
        "accepted": {k: t.num_rows for k, t in res.tables.items()},
    }


def task_pandas_validate(args: dict) -> dict:
    import pandas_validate

    t0 = time.perf_counter()
    res = pandas_validate.validate(args["dir"], _as_of(args))
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "fatal": res["fatal"],
        "files": res["files"],
        "counts": res["counts"],
        "problems": len(res["problems"]),
    }


# --- measures and reports --------------------------------------------------------------


def _cpu() -> float:
    """CPU seconds of this process and of the children it has waited for (a report build
    with the detail draws its charts in a second process: that work counts too)."""
    t = os.times()
    return time.process_time() + t.children_user + t.children_system


def _validated(args: dict) -> tuple[Any, float]:
    extract = _need("hiddenharm.extract", "validate")
    _as_the_command_does()
    t0 = time.perf_counter()
    res = extract.validate(args["dir"], as_of=_as_of(args))
    return res, time.perf_counter() - t0


def task_report(args: dict) -> dict:
    """The JSON report (validate + build without the detail + JSON), then HTML, PDF.

    Each report is built the way `hiddenharm report --format ...` builds it, from the same
    validation result: the JSON from ``build_report(..., detail=False)``, the HTML and PDF
    each from ``build_report(...)`` with the detail (the eight quarterly trends and each
    LA), the PDF's with ``draw_charts`` (its charts drawn by a second process meanwhile; the
    HTML's are drawn by the browser). What the HTML or PDF costs beyond the JSON is the
    difference of its build and the JSON's (the detail's own queries, and the PDF's
    drawing) plus its rendering; the measures the builds share are not counted twice.
    """
    measures = _need("hiddenharm.measures", "compute", "default_period")
    out: dict[str, Any] = {}
    res, out["validate_seconds"] = _validated(args)
    if res.fatal:
        raise RuntimeError("the benchmark submission is fatal (HH001): nothing to report")
    reports = None
    try:
        reports = _need("hiddenharm.reports", "build_report")
    except Missing as exc:
        out["html_skipped"] = out["pdf_skipped"] = str(exc)
    c0 = _cpu()
    t0 = time.perf_counter()
    period = measures.default_period(res.tables)
    if reports is not None:
        report = reports.build_report(res, *period, as_of=_as_of(args), detail=False)
        text = reports.render_json(report)
    else:
        report = dict(measures.compute(res.tables, *period))
        report["problems"] = res.counts()
        text = json.dumps(report, default=str)
    out["compute_seconds"] = time.perf_counter() - t0
    out["compute_cpu_seconds"] = _cpu() - c0
    out["json_seconds"] = out["validate_seconds"] + out["compute_seconds"]
    out["json_bytes"] = len(text)
    out["period"] = [str(p) for p in period]
    out["in_treatment"] = report.get("population", {}).get("in_treatment")

    if reports is not None:
        for fmt in ("html", "pdf"):
            render = getattr(reports, f"render_{fmt}", None)
            if render is None:
                out[f"{fmt}_skipped"] = f"hiddenharm.reports.render_{fmt} does not exist yet"
                continue
            # as `hiddenharm report --format FMT` builds it: the PDF's charts (static SVG) are
            # drawn by a second process meanwhile, the HTML's by the browser (none here)
            c0 = _cpu()
            t0 = time.perf_counter()
            full = reports.build_report(res, *period, as_of=_as_of(args), draw_charts=fmt == "pdf")
            build_seconds = time.perf_counter() - t0
            build_cpu = _cpu() - c0
            # beyond the JSON's build: the trend's quarters and the areas (and the drawing)
            out[f"{fmt}_build_detail_seconds"] = max(0.0, build_seconds - out["compute_seconds"])
            out[f"{fmt}_build_detail_cpu_seconds"] = max(
                0.0, build_cpu - out["compute_cpu_seconds"]
            )
            dest = Path(args["out_dir"]) / f"report.{fmt}"
            c0 = _cpu()
            t0 = time.perf_counter()
            data = render(full)
            if isinstance(data, str):
                dest.write_text(data, encoding="utf-8")
            elif isinstance(data, bytes | bytearray):
                dest.write_bytes(data)
            out[f"{fmt}_render_seconds"] = time.perf_counter() - t0
            out[f"{fmt}_render_cpu_seconds"] = _cpu() - c0
            out[f"{fmt}_extra_seconds"] = (
                out[f"{fmt}_build_detail_seconds"] + out[f"{fmt}_render_seconds"]
            )
            out[f"{fmt}_extra_cpu_seconds"] = (
                out[f"{fmt}_build_detail_cpu_seconds"] + out[f"{fmt}_render_cpu_seconds"]
            )
            out[f"{fmt}_bytes"] = dest.stat().st_size if dest.exists() else None
        # the PDF's build, as before HTML and PDF were built apart
        for key in ("build_detail_seconds", "build_detail_cpu_seconds"):
            if f"pdf_{key}" in out:
                out[key] = out[f"pdf_{key}"]
    return out


def task_measures_compare(args: dict) -> dict:
    """compute() against the pandas baseline on the same accepted tables: time and figures."""
    measures = _need("hiddenharm.measures", "compute", "default_period")
    import pandas_measures

    res, _ = _validated(args)
    period = measures.default_period(res.tables)
    t0 = time.perf_counter()
    ours = measures.compute(res.tables, *period)
    compute_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs = pandas_measures.compute(res.tables, *period)
    pandas_seconds = time.perf_counter() - t0
    mine_period = pandas_measures.default_period(res.tables)
    return {
        "period": [str(p) for p in period],
        "pandas_default_period": [str(p) for p in mine_period],
        "compute_seconds": compute_seconds,
        "pandas_seconds": pandas_seconds,
        "comparison": pandas_measures.compare(_jsonable(ours), _jsonable(theirs)),
    }


# --- web -------------------------------------------------------------------------------


def task_web(args: dict) -> dict:
    import web_bench

    return web_bench.run(args)


def main() -> None:
    task, args, out = sys.argv[1], json.loads(sys.argv[2]), Path(sys.argv[3])
    try:
        result = {"ok": True, **globals()[f"task_{task}"](args)}
    except Missing as exc:
        result = {"ok": False, "missing": str(exc)}
    except Exception as exc:
        result = {
            "ok": False,
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(),
        }
    out.write_text(json.dumps(result, indent=1, default=str))
    # A half-finished thread pool or Django connection must not hold the parent's wait.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
