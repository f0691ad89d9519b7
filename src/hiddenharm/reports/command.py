"""`hiddenharm report` (being built)."""
import typer

def report(path: str = typer.Argument(...)) -> None:
    """Report on a submission."""
    raise typer.Exit(3)
