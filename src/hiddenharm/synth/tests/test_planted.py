"""Planted problems: where planted.json says they are, and found there by the validator."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from hiddenharm.extract.codes import SEVERITY
from hiddenharm.synth import NOT_PLANTED, generate

AS_OF = dt.date(2026, 11, 21)
HAS_VALIDATOR = importlib.util.find_spec("hiddenharm.extract.engine") is not None


@pytest.fixture(scope="module")
def planted_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("planted")
    generate(out, episodes=1500, agencies=3, seed=9, errors=True, as_of=AS_OF)
    return out


def _read(path: Path) -> pa.Table:
    text = pacsv.ConvertOptions(strings_can_be_null=True, column_types={})
    read = pacsv.read_csv(path, convert_options=text)
    return read.cast(pa.schema([(n, pa.string()) for n in read.column_names]))


def test_it_plants_every_code_but_the_fatal_one(planted_dir):
    planted = json.loads((planted_dir / "planted.json").read_text())
    codes = {p["code"] for p in planted}
    assert codes == set(SEVERITY) - set(NOT_PLANTED)
    episodes = _read(planted_dir / "episodes.csv").num_rows
    assert len(planted) < 0.02 * episodes


def test_it_puts_each_planted_value_on_its_line(planted_dir):
    planted = json.loads((planted_dir / "planted.json").read_text())
    tables = {name: _read(planted_dir / name) for name in {p["file"] for p in planted}}
    for p in planted:
        table = tables[p["file"]]
        if p["line"] == 1:  # a column warning: the header names it
            assert p["value"] in table.column_names
            continue
        cell = table.column(p["column"])[p["line"] - 2].as_py()
        assert cell == p["value"], p


def test_it_removes_a_stale_manifest_when_writing_a_clean_submission(tmp_path):
    generate(tmp_path, episodes=400, seed=1, errors=True, as_of=AS_OF)
    assert (tmp_path / "planted.json").exists()
    summary = generate(tmp_path, episodes=400, seed=1, as_of=AS_OF)
    assert not (tmp_path / "planted.json").exists()
    assert summary["planted"] == 0


def test_it_refuses_to_plant_in_too_small_a_submission(tmp_path):
    with pytest.raises(ValueError, match="too small"):
        generate(tmp_path, episodes=10, errors=True, as_of=AS_OF)


@pytest.mark.skipif(not HAS_VALIDATOR, reason="hiddenharm.extract.validate not built yet")
def test_it_validates_a_clean_submission_with_no_errors(tmp_path):
    from hiddenharm.extract import validate

    generate(tmp_path, episodes=3000, agencies=4, seed=3, as_of=AS_OF)
    result = validate(tmp_path, as_of=AS_OF)
    errors = {c: n for c, n in result.counts().items() if SEVERITY[c] != "warning"}
    assert errors == {}
    assert not result.fatal
    assert result.exit_code() == 0
    # the warnings real data carries: other people's children, items recorded late
    assert set(result.counts()) <= {"HW102", "HW103", "HW104"}


@pytest.mark.skipif(not HAS_VALIDATOR, reason="hiddenharm.extract.validate not built yet")
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_it_has_the_validator_find_every_planted_problem_and_no_other_error(tmp_path, fmt):
    from hiddenharm.extract import validate

    generate(tmp_path, episodes=1500, agencies=3, seed=9, errors=True, as_of=AS_OF, fmt=fmt)
    planted = json.loads((tmp_path / "planted.json").read_text())
    result = validate(tmp_path, as_of=AS_OF)
    found = {(p["file"], p["line"], p["code"]) for p in result.problems.to_pylist()}
    missing = [p for p in planted if (p["file"], p["line"], p["code"]) not in found]
    assert missing == []
    errors = {(f, line, c) for f, line, c in found if SEVERITY[c] != "warning"}
    assert errors == {(p["file"], p["line"], p["code"]) for p in planted if p["code"][1] == "H"}
