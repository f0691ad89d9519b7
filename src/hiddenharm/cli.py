"""The `hiddenharm` command. Each sub-command lives beside the library it drives."""

from __future__ import annotations

import typer

from hiddenharm.extract.command import validate
from hiddenharm.reports.command import report
from hiddenharm.synth.command import generate
from hiddenharm.web.command import demo, serve

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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
