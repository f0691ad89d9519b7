"""`hiddenharm validate`: exit codes, the human summary, --json and --rejects."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from hiddenharm.extract.command import validate

from .conftest import write

app = typer.Typer()
app.command()(validate)
runner = CliRunner()


def make(tmp_path: Path, episodes, reviews=None) -> Path:
    folder = tmp_path / "sub"
    folder.mkdir(exist_ok=True)
    write(folder, "episodes", episodes)
    write(folder, "reviews", reviews)
    return folder


def test_it_exits_0_with_only_warnings(tmp_path):
    got = runner.invoke(
        app, [str(make(tmp_path, [{"PRNTSTAT": "14", "CHILDWTH": "1"}])), "--as-of", "2026-01-01"]
    )
    assert got.exit_code == 0
    assert "HW102" in got.output and "episodes.csv" in got.output


def test_it_exits_1_when_rows_are_rejected_and_shows_the_first_five_of_each_code(tmp_path):
    rows = [{"EPISODID": f"E{i}", "FINITIAL": chr(65 + i), "SEX": "Q"} for i in range(7)]
    got = runner.invoke(app, [str(make(tmp_path, rows)), "--as-of", "2026-01-01"])
    assert got.exit_code == 1
    assert "Value not in its code list" in got.output
    assert "first 5 of 7" in got.output
    assert got.output.count("'Q'") == 5 * 2  # value column and message


def test_it_exits_2_when_fatal(tmp_path):
    got = runner.invoke(app, [str(make(tmp_path, "AGNCY,LA\nA1,E1\n"))])
    assert got.exit_code == 2
    assert "HH001" in got.output


def test_it_prints_the_spec_json_object(tmp_path):
    path = make(tmp_path, [{"SEX": "Q"}, {"EPISODID": "E2", "DOB": "31/02/1980", "NOTES": "x"}])
    got = runner.invoke(app, [str(path), "--json", "--as-of", "2026-11-21"])
    assert got.exit_code == 1
    data = json.loads(got.stdout)
    assert data["as_of"] == "2026-11-21"
    assert data["files"] == {"episodes.csv": {"rows": 2, "accepted": 0, "rejected": 2}}
    assert data["counts"] == {"HH003": 1, "HH004": 1, "HW101": 1}
    assert [(p["line"], p["column"], p["value"], p["code"]) for p in data["problems"]] == [
        (1, "NOTES", "NOTES", "HW101"),
        (2, "SEX", "Q", "HH003"),
        (3, "DOB", "31/02/1980", "HH004"),
    ]


def test_it_writes_rejects_that_add_up(tmp_path):
    path = make(
        tmp_path,
        [{"SEX": "Q"}, {"EPISODID": "E2", "FINITIAL": "K"}],
        [{"CHILDWTH": "x"}, {"EPISODID": "E2"}],
    )
    out = tmp_path / "rejects"
    got = runner.invoke(app, [str(path), "--json", "--rejects", str(out), "--as-of", "2026-01-01"])
    data = json.loads(got.stdout)
    for name in ("episodes", "reviews"):
        with open(out / f"{name}_rejected.csv", newline="") as fh:
            rejected = list(csv.DictReader(fh))
        counts = data["files"][f"{name}.csv"]
        assert len(rejected) == counts["rejected"] > 0
        assert len(rejected) + counts["accepted"] == counts["rows"]


def test_it_refuses_a_bad_as_of_date(tmp_path):
    got = runner.invoke(app, [str(make(tmp_path, [{}])), "--as-of", "1/4/2019"])
    assert got.exit_code == 2
    assert "not a date" in got.output
