"""The national warehouse: `validate --accepted DIR` files, `report DIR` reads (DuckDB).

Many providers' submissions filed one by one must give the figures of one submission holding
them all; the latest extract of each agency counts; nothing is lost or counted twice.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from hiddenharm.cli import app
from hiddenharm.extract import validate, write_submission
from hiddenharm.measures import warehouse as W
from hiddenharm.synth import generate, generate_tables

AS_OF = dt.date(2026, 1, 1)
runner = CliRunner()


def cli(*args: str | Path) -> tuple[int, str, str]:
    got = runner.invoke(app, [str(a) for a in args])
    return got.exit_code, got.stdout, got.stderr


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One clean submission of three agencies in two areas."""
    folder = tmp_path_factory.mktemp("whole")
    generate(folder, area="E10000020,E06000031", agencies=3, episodes=900, seed=21, as_of=AS_OF)
    return folder


def split_by_agency(whole: Path, out: Path) -> dict[str, Path]:
    """The same rows as one submission per agency (as three providers would send them)."""
    tables = generate_tables(("E10000020", "E06000031"), 3, 900, (2019, 2025), False, 21, AS_OF)
    folders = {}
    for agency in sorted(pc.unique(tables["episodes"].column("AGNCY")).to_pylist()):
        part = {
            name: t.filter(pc.equal(pc.utf8_trim_whitespace(t.column("AGNCY")), agency))
            for name, t in tables.items()
        }
        folders[agency] = out / agency
        write_submission(part, folders[agency], "csv")
    # the split is of the very submission in `whole`
    assert sum(pq_rows(f) for f in folders.values()) == pq_rows(whole)
    return folders


def pq_rows(folder: Path) -> int:
    return sum(1 for _ in (folder / "episodes.csv").open()) - 1


def test_it_files_one_folder_per_agency_with_that_agencys_accepted_rows(
    tmp_path: Path, whole: Path
) -> None:
    result = validate(whole, as_of=AS_OF)
    filed = W.file_submission(result, tmp_path / "wh", source="whole")
    assert [f.agency for f in filed] == sorted({f.agency for f in filed}) and len(filed) == 3
    for name in W.TABLES:
        total = 0
        for f in filed:
            assert f.path == tmp_path / "wh" / f"agency={f.agency}" / "extract=2026-01-01"
            part = pq.read_table(f.file(name))
            assert set(part.column("AGNCY").to_pylist()) <= {f.agency}
            assert part.schema.equals(W.SCHEMAS[name])
            total += part.num_rows
        assert total == result.tables[name].num_rows
    # every problem once, in one folder
    problems = sum(pq.read_table(f.file("problems")).num_rows for f in filed)
    assert problems == result.problems.num_rows
    manifest = json.loads((filed[0].path / "submission.json").read_text())
    assert manifest["agency"] == filed[0].agency and manifest["source"] == "whole"


def test_many_providers_filed_one_by_one_give_the_figures_of_one_submission(
    tmp_path: Path, whole: Path
) -> None:
    folders = split_by_agency(whole, tmp_path / "providers")
    for folder in folders.values():
        code, _, err = cli(
            "validate", folder, "--as-of", "2026-01-01", "--accepted", tmp_path / "wh"
        )
        assert code in (0, 1) and "Filed agency" in err
    code, one, _ = cli("report", whole, "--as-of", "2026-01-01")
    assert code == 0
    code, national, _ = cli("report", tmp_path / "wh")
    assert code == 0
    assert json.loads(national) == json.loads(one)
    assert national == one


def test_the_report_of_a_warehouse_of_one_submission_is_that_submissions(
    tmp_path: Path, whole: Path
) -> None:
    code, _, _ = cli("validate", whole, "--as-of", "2026-01-01", "--accepted", tmp_path / "wh")
    assert code in (0, 1)
    for args in ([], ["--publish", "--from", "2023-04-01", "--to", "2024-03-31"]):
        _, direct, _ = cli("report", whole, "--as-of", "2026-01-01", *args)
        _, filed, _ = cli("report", tmp_path / "wh", *args)
        assert filed == direct


def test_the_latest_extract_of_each_agency_counts(tmp_path: Path, whole: Path) -> None:
    first = W.file_submission(validate(whole, as_of=AS_OF), tmp_path)
    a = first[0].agency
    # a later, smaller extract of agency `a` alone
    tables = validate(whole, as_of=AS_OF).tables
    keep = {
        name: t.filter(pc.equal(t.column("AGNCY"), a)).slice(0, 50 if name == "episodes" else 0)
        for name, t in tables.items()
    }
    later = tmp_path / "later"
    write_submission(
        {
            n: t.drop_columns(["line"]).cast(_as_text(t.drop_columns(["line"]).schema))
            for n, t in keep.items()
        },
        later,
        "csv",
    )
    refiled = W.file_submission(validate(later, as_of=dt.date(2026, 2, 1)), tmp_path)
    assert [(f.agency, f.extract) for f in refiled] == [(a, dt.date(2026, 2, 1))]
    read, _, filed = W.read_tables(tmp_path)
    assert [(f.agency, f.extract) for f in filed] == [(a, dt.date(2026, 2, 1))] + [
        (f.agency, f.extract) for f in first[1:]
    ]
    episodes = read["episodes"]
    assert pc.sum(pc.equal(episodes.column("AGNCY"), a)).as_py() == 50
    assert episodes.num_rows == 50 + sum(
        pq.read_table(f.file("episodes")).num_rows for f in first[1:]
    )
    # lines stay unique across folders (episodes are identified by line)
    assert pc.count_distinct(episodes.column("line")).as_py() == episodes.num_rows


def _as_text(schema: pa.Schema) -> pa.Schema:
    return pa.schema([(f.name, pa.string()) for f in schema])


def test_filing_the_same_extract_again_replaces_it(tmp_path: Path, whole: Path) -> None:
    result = validate(whole, as_of=AS_OF)
    W.file_submission(result, tmp_path)
    again = W.file_submission(result, tmp_path)
    for f in again:
        assert sorted(p.name for p in f.path.parent.iterdir()) == ["extract=2026-01-01"]
    tables, _, _ = W.read_tables(tmp_path)
    assert tables["episodes"].num_rows == result.tables["episodes"].num_rows


def test_problems_of_no_one_agency_go_to_the_first_agency(tmp_path: Path) -> None:
    folder = tmp_path / "sub"
    generate(folder, agencies=2, episodes=400, errors=True, seed=4, as_of=AS_OF)
    result = validate(folder, as_of=AS_OF)
    filed = W.file_submission(result, tmp_path / "wh")
    counts: dict[str, int] = {}
    for f in filed:
        for code in pq.read_table(f.file("problems")).column("code").to_pylist():
            counts[code] = counts.get(code, 0) + 1
    assert dict(sorted(counts.items())) == result.counts()
    # header problems (HW101) belong to no agency: filed with the first
    first = pq.read_table(filed[0].file("problems"))
    later = pq.read_table(filed[1].file("problems"))
    if "HW101" in result.counts():
        assert "HW101" in first.column("code").to_pylist()
    assert "HW101" not in later.column("code").to_pylist()
    _, problems, _ = W.read_tables(tmp_path / "wh")
    assert problems == result.counts()


def test_it_refuses_to_file_a_fatal_submission_and_to_report_an_empty_warehouse(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "episodes.csv").write_text("AGNCY\nA1\n")
    code, _, err = cli("validate", bad, "--accepted", tmp_path / "wh")
    assert code == 2 and "Nothing filed" in err
    assert not (tmp_path / "wh").exists()
    (tmp_path / "wh" / "agency=A1" / "extract=2026-01-01").mkdir(parents=True)  # incomplete
    code, _, err = cli("report", tmp_path / "wh")
    assert code == 2 and "no complete agency=CODE/extract=DATE folder" in err


def test_it_refuses_spark_options_that_do_not_fit(tmp_path: Path, whole: Path) -> None:
    code, _, err = cli("report", whole, "--engine", "spark", "--format", "html")
    assert code == 2 and "JSON" in err
    code, _, err = cli("report", whole, "--spark-master", "local[1]")
    assert code == 2 and "--engine spark" in err
    code, _, err = cli("report", whole, "--engine", "polars")
    assert code == 2 and "duckdb, spark" in err


def test_the_commands_json_is_the_renderers(tmp_path: Path, whole: Path) -> None:
    from hiddenharm.reports.build import build_report
    from hiddenharm.reports.command import render_json
    from hiddenharm.reports.render import render_json as renderers

    report = build_report(whole, as_of=AS_OF, detail=True)
    assert render_json(report) == renderers(report)
