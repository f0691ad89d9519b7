"""The national benchmark's data: one submission per provider, every generated row once."""

import importlib.util
import json
from pathlib import Path

import pyarrow as pa

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_splits_a_nation_by_agency_keeping_each_row_once_in_order():
    national = _module("national_bench")
    episodes = pa.table(
        {
            "AGNCY": ["B1", "A1", " b1 ", "ZZ", None, "A1"],
            "CLIENTID": ["c1", "c2", "c3", "c4", "c5", "c6"],
        }
    )
    reviews = pa.table({"AGNCY": ["A1", "B1"], "EPISODID": ["e1", "e2"]})
    parts = national.split_by_agency({"episodes": episodes, "reviews": reviews}, ["A1", "B1"])
    assert parts["A1"]["episodes"]["CLIENTID"].to_pylist() == ["c2", "c4", "c5", "c6"]
    assert parts["B1"]["episodes"]["CLIENTID"].to_pylist() == ["c1", "c3"]
    assert parts["A1"]["reviews"]["EPISODID"].to_pylist() == ["e1"]
    assert parts["B1"]["reviews"]["EPISODID"].to_pylist() == ["e2"]


def test_it_writes_one_validatable_submission_per_agency(tmp_path):
    national = _module("national_bench")
    params = {
        "episodes": 300,
        "years": [2023, 2025],
        "agencies": 3,
        "errors": True,
        "seed": 5,
        "as_of": "2026-11-01",
        "area": "E10000020",
    }
    out = national.step_generate({"dir": str(tmp_path), "params": params})
    assert len(out["submissions"]) == 3 and out["episodes_rows"] >= 300
    folders = sorted(p for p in tmp_path.iterdir() if p.is_dir())
    assert [sorted(f.name for f in d.iterdir()) for d in folders] == [
        ["children.csv", "episodes.csv", "reviews.csv"]
    ] * 3
    rows = sum(len((d / "episodes.csv").read_text().splitlines()) - 1 for d in folders)
    assert rows == out["episodes_rows"]
    floor = national.step_floor({"dir": str(tmp_path)})
    assert floor["files"] == 9 and floor["load_cpu_seconds"] >= 0
    assert json.dumps(floor)  # what bench/run.py reads back
