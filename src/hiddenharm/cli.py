"""The `hiddenharm` command. Each sub-command lives beside the library it drives."""

from __future__ import annotations

import sys

import typer

from hiddenharm.extract.command import validate
from hiddenharm.reports.command import report
from hiddenharm.synth.command import generate
from hiddenharm.web.backups import backup, restore
from hiddenharm.web.command import demo, figures, serve

app = typer.Typer(
    name="hiddenharm",
    help="Hidden Harm: validate extracts, report on them, and run the case-record application.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.command()(validate)
app.command()(generate)
app.command()(report)
app.command()(serve)
app.command()(demo)
app.command()(figures)
app.command()(backup)
app.command()(restore)


def _token_commands() -> typer.Typer:
    from hiddenharm.api.command import token_app  # imports only Typer until it runs

    return token_app


app.add_typer(_token_commands(), name="token")


@app.command()
def docs(
    check: bool = typer.Option(False, "--check", help="Fail if the generated docs differ."),
) -> None:
    """Regenerate the CLI reference and code-list tables (docs/ and README)."""
    from hiddenharm.docsgen import write_docs

    changed = write_docs(check=check)
    if check and changed:
        typer.echo("Out of date: " + ", ".join(changed) + " (run `make docs`)", err=True)
        raise typer.Exit(1)


def _arrow_without_pandas(argv: list[str]) -> None:
    """Tell pyarrow, before its first call, that there is no pandas in this process.

    pyarrow imports pandas (about a second) on the first `pa.array`, `pa.scalar` or compute
    call with a Python value, only to ask whether the value is a pandas object; none of these
    commands hands it one. With `import pandas` failing once, pyarrow remembers "no pandas"
    and never looks again; an explicit conversion to pandas would still import it. Not for
    the Spark engine, whose PySpark does hand pyarrow pandas objects.
    """
    if "pandas" in sys.modules or "spark" in argv or "--engine=spark" in argv:
        return
    import pyarrow as pa

    blocker = _NoPandas()
    sys.meta_path.insert(0, blocker)
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(blocker)


class _NoPandas:
    """An import finder for which pandas does not exist (used for one call, then removed)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError("pandas is not needed here", name=name)
        return None


def main() -> None:
    _arrow_without_pandas(sys.argv[1:])
    app()


if __name__ == "__main__":
    main()
