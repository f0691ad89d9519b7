"""The light commands start fast: they import none of the heavy modules they do not use.

Each command runs in a fresh interpreter through the console script's `main`, which then
lists the heavy modules present in `sys.modules`. Jinja2 is for `report --format html|pdf`,
vl-convert (the charts' static SVG) and WeasyPrint for `--format pdf` alone, Django for the
web commands, PySpark for `--engine spark`; Altair and pandas for none of them (pyarrow
would import pandas, see `cli.main`).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from hiddenharm.synth import generate

HEAVY = ("pandas", "altair", "vl_convert", "weasyprint", "jinja2", "django", "pyspark")

_PROBE = """
import json, sys
args, wanted, out = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
from hiddenharm.cli import main
sys.argv = ["hiddenharm", *args]
try:
    main()
except SystemExit:
    pass
with open(out, "w") as f:
    json.dump([m for m in wanted if m in sys.modules], f)
"""


def heavy_imports(tmp_path: Path, *args: str | Path) -> list[str]:
    out = tmp_path / "heavy.json"
    run = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps([str(a) for a in args]), json.dumps(HEAVY), out],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.exists(), run.stderr[-2000:]
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    generate(folder, episodes=400, errors=True, seed=3, as_of=dt.date(2026, 1, 1))
    return folder


def test_it_validates_without_a_heavy_module(tmp_path: Path, small: Path) -> None:
    assert heavy_imports(tmp_path, "validate", small, "--as-of", "2026-01-01") == []


def test_it_validates_to_json_rejects_and_a_warehouse_without_a_heavy_module(
    tmp_path: Path, small: Path
) -> None:
    got = heavy_imports(
        tmp_path,
        "validate",
        small,
        "--as-of",
        "2026-01-01",
        "--json",
        "--rejects",
        tmp_path / "rejects",
        "--accepted",
        tmp_path / "warehouse",
    )
    assert got == []
    assert (tmp_path / "rejects" / "problems.csv").exists()
    assert list((tmp_path / "warehouse").glob("agency=*/extract=2026-01-01/episodes.parquet"))


def test_it_reports_json_without_a_heavy_module(tmp_path: Path, small: Path) -> None:
    out = tmp_path / "report.json"
    got = heavy_imports(tmp_path, "report", small, "--as-of", "2026-01-01", "--out", out)
    assert got == []
    assert "population" in json.loads(out.read_text())


def test_it_generates_without_a_heavy_module(tmp_path: Path) -> None:
    assert heavy_imports(tmp_path, "generate", tmp_path / "g", "--episodes", "50") == []


def test_the_probe_sees_what_html_imports(tmp_path: Path, small: Path) -> None:
    """The probe can fail: making HTML does import the template module. Not vl-convert: the
    HTML's charts are Vega-Lite specs drawn by the browser (only the PDF's are drawn here),
    nor Altair (the specs are plain dicts)."""
    out = tmp_path / "report.html"
    got = heavy_imports(tmp_path, "report", small, "--as-of", "2026-01-01", "--out", out)
    assert "jinja2" in got
    assert not {"vl_convert", "altair", "weasyprint"} & set(got)
    assert out.stat().st_size > 0 and 'class="vega-lite"' in out.read_text(encoding="utf-8")
