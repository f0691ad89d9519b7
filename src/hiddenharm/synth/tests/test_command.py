"""`hiddenharm generate`: arguments, files and a plain word when the arguments are wrong."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from hiddenharm.synth.command import generate, parse_years

app = typer.Typer()
app.command()(generate)
runner = CliRunner()


def test_it_writes_a_submission_and_summarises_it(tmp_path):
    args = [str(tmp_path), "--episodes", "300", "--agencies", "2", "--seed", "4"]
    result = runner.invoke(app, [*args, "--years", "2022-2024", "--as-of", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert "episodes.csv" in result.output and "300" in result.output
    assert "2022-04-01" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "children.csv",
        "episodes.csv",
        "reviews.csv",
    ]


def test_it_writes_parquet_and_a_manifest_with_errors(tmp_path):
    args = [str(tmp_path), "--episodes", "600", "--format", "parquet", "--errors"]
    result = runner.invoke(app, [*args, "--area", "E10000020,E10000029"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "episodes.parquet").exists() and (tmp_path / "planted.json").exists()
    assert "Suffolk" in result.output and "Planted" in result.output


def test_it_explains_backwards_years(tmp_path):
    result = runner.invoke(app, [str(tmp_path), "--years", "2025-2019"])
    assert result.exit_code == 2
    assert "backwards" in result.output
    assert not any(tmp_path.iterdir())


def test_it_explains_other_bad_arguments(tmp_path):
    for args, word in [
        (["--format", "xlsx"], "csv or parquet"),
        (["--years", "last year"], "range of years"),
        (["--episodes", "0"], "at least 1"),
        (["--as-of", "21/11/2026"], "YYYY-MM-DD"),
        (["--area", "Norfolk!"], "local authority"),
    ]:
        result = runner.invoke(app, [str(tmp_path / "x"), *args])
        assert result.exit_code == 2, args
        assert word in result.output, (args, result.output)


def test_it_reads_a_single_year_as_one_financial_year():
    assert parse_years("2024") == (2024, 2024)
    assert parse_years(" 2019 - 2025 ") == (2019, 2025)
